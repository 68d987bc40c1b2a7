// Renders an opened case for the reporter: state in plain words, the thread (answers, messages,
// attachments with in-browser decryption), and integrity problems spelled out.
import type { CaseView } from '../report/api'

import { downloadAndDecrypt, filesOf, type FileEntry } from './download'
import { button, h } from './dom'
import type { Api } from './http'
import {
  dateTime,
  formatBytes,
  inQuestionOrder,
  optionLabel,
  questionLabel,
  type Lang,
  type Strings,
} from './i18n'
import type { OpenedCase, ThreadEntry } from './thread'
import { ackDateRows, ackStrings } from './report-ack'
import { formatHead } from './thread-head'

export interface ViewContext {
  api: Api
  s: Strings
  lang: Lang
  /** blob: URLs handed out, revoked when the reporter leaves. */
  urls: string[]
}

export function caseSummary(view: CaseView, opened: OpenedCase, v: ViewContext): HTMLElement[] {
  const { s } = v
  const out: HTMLElement[] = [
    h(
      'p',
      { class: 'js-state' },
      `${s.stateLabel} `,
      h('strong', {}, s.states[view.state] ?? view.state)
    ),
  ]
  if (view.outcome) {
    out.push(
      h('p', {}, `${s.outcomeLabel} `, h('strong', {}, s.outcomes[view.outcome] ?? view.outcome))
    )
  }
  if (view.acknowledgement) {
    // The same registration number and dates as the printed acknowledgement.
    out.push(
      h(
        'section',
        { class: 'status-dates js-status-dates' },
        h('h3', {}, ackStrings(v.lang).statusDates.title),
        h('dl', { class: 'ack-dates' }, ...ackDateRows(view.acknowledgement, v.lang, true))
      )
    )
  }
  if (view.encMode === 'server') out.push(h('p', { class: 'notice' }, s.serverEncrypted))
  const head = opened.report.head
  if (head) {
    out.push(
      h('p', { class: 'hint js-thread-head' }, `${s.threadHead} `, h('code', {}, formatHead(head)))
    )
  }
  const problems = threadProblems(opened, s)
  if (problems.length > 0) {
    out.push(
      h('ul', { class: 'notice js-thread-problems' }, ...problems.map((p) => h('li', {}, p)))
    )
  }
  return out
}

export function threadProblems(opened: Pick<OpenedCase, 'report'>, s: Strings): string[] {
  const r = opened.report
  const out: string[] = []
  if (r.behindSeen || r.seenReplaced) out.push(s.headRolledBack)
  out.push(...r.gaps.map((g) => s.sequenceGap(g.from, g.to)))
  out.push(...r.brokenLinks.map((seq) => s.brokenLink(seq - 1)))
  if (r.duplicates.length || r.duplicateItemIds.length || r.outOfOrder || r.mixedCases) {
    out.push(s.sequenceProblem)
  }
  return out
}

export function threadList(opened: OpenedCase, v: ViewContext): HTMLElement {
  const items = opened.entries.filter((e) => e.view.kind !== 'note').map((e) => itemView(e, v))
  return h('ol', { class: 'js-thread' }, ...items)
}

function itemView(entry: ThreadEntry, v: ViewContext): HTMLElement {
  const { s } = v
  const role = entry.envelope?.author.role ?? entry.view.authorRole
  const who = role === 'reporter' ? s.you : role === 'officer' ? s.officer : s.system
  const when = dateTime(entry.envelope?.createdAt ?? entry.view.createdAt, v.lang)
  const header = h(
    'p',
    { class: 'js-item-meta' },
    h('strong', {}, who),
    ` · ${when}`,
    entry.view.encMode === 'server' ? ` · ${s.serverEncrypted}` : null
  )
  const flags: HTMLElement[] = []
  if (entry.problem === 'unverified') {
    flags.push(h('p', { class: 'js-unverified error' }, s.unverified))
  }
  if (entry.problem === 'unreadable') {
    flags.push(h('p', { class: 'js-unreadable error' }, s.unreadable))
  }
  return h(
    'li',
    { class: `js-item js-item-${role}`, 'data-seq': entry.view.seq },
    h('article', {}, header, ...flags, ...itemBody(entry, v))
  )
}

function itemBody(entry: ThreadEntry, v: ViewContext): HTMLElement[] {
  const env = entry.envelope
  if (!env) return []
  switch (env.type) {
    case 'answers':
      return answersView(env.body, v.s)
    case 'message':
      return [h('p', { class: 'js-message' }, textOf(env.body))]
    case 'attachment':
      return [filesView(filesOf(env.body), v)]
    default:
      return []
  }
}

function textOf(body: unknown): string {
  const text = (body as { text?: unknown } | null)?.text
  return typeof text === 'string' ? text : ''
}

function answersView(body: unknown, s: Strings): HTMLElement[] {
  const b = (body ?? {}) as { answers?: unknown; contact?: unknown; attachments?: unknown }
  const out: HTMLElement[] = []
  const answers =
    b.answers && typeof b.answers === 'object' ? (b.answers as Record<string, unknown>) : {}
  const rows = inQuestionOrder(s, answers).flatMap(([id, value]) => {
    const values = (Array.isArray(value) ? value : [value]).filter((x) => typeof x === 'string')
    return [
      h('dt', {}, questionLabel(s, id)),
      h('dd', { class: 'js-answer' }, values.map((x) => optionLabel(s, id, x)).join(', ')),
    ]
  })
  out.push(h('dl', { class: 'js-answers' }, ...rows))
  const c = b.contact as { name?: unknown; contact?: unknown } | undefined
  if (c && typeof c === 'object') {
    out.push(
      h('p', {}, h('strong', {}, s.contactTitle)),
      h(
        'dl',
        { class: 'js-answers' },
        h('dt', {}, s.contactName),
        h('dd', {}, typeof c.name === 'string' ? c.name : ''),
        h('dt', {}, s.contactWay),
        h('dd', {}, typeof c.contact === 'string' ? c.contact : '')
      )
    )
  }
  if (typeof b.attachments === 'number' && b.attachments > 0) {
    out.push(h('p', { class: 'hint' }, s.attachmentsCount(b.attachments)))
  }
  return out
}

function filesView(files: FileEntry[], v: ViewContext): HTMLElement {
  return h('ul', { class: 'js-files' }, ...files.map((f) => fileRow(f, v)))
}

function fileRow(file: FileEntry, v: ViewContext): HTMLElement {
  const { s } = v
  const size = formatBytes(file.manifest.size, s, v.lang)
  const error = h('span', { class: 'error', role: 'alert', hidden: true }, s.downloadFailed)
  const row = h(
    'li',
    { class: 'js-file' },
    h('span', { class: 'js-file-name' }, `${file.manifest.name} (${size}) `)
  )
  const get = button(s.download(file.manifest.name), () => void fetchFile())
  get.classList.add('js-download')
  row.append(get, ' ', error)
  const fetchFile = async () => {
    get.disabled = true
    get.setAttribute('aria-busy', 'true')
    error.hidden = true
    try {
      const blob = await downloadAndDecrypt(v.api, file)
      const url = URL.createObjectURL(blob)
      v.urls.push(url)
      const link = h('a', { href: url, class: 'button js-save' }, s.save(file.manifest.name, size))
      // The name comes from the sender's device; the browser sanitises it for the file system.
      link.download = file.manifest.name || 'file'
      get.replaceWith(link)
      link.focus()
    } catch {
      get.disabled = false
      get.removeAttribute('aria-busy')
      error.hidden = false
    }
  }
  return row
}
