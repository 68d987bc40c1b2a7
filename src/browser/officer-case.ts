// The case page in the browser: fetch the sealed case (the audit records that request), open it
// with my keys, show the thread and the internal notes with their integrity checks, and seal
// replies and notes before they leave the tab.
import type { JsonValue, ThreadHead } from '../../crypto'
import type { OfficerCaseView } from '../officer/api'

import { filesOf, downloadAndDecrypt, type FileEntry } from './download'
import { h } from './dom'
import { ApiFailure, type Api } from './http'
import { dateTime, inQuestionOrder, optionLabel, questionLabel, strings } from './i18n'
import {
  makeNoteKey,
  openOfficerCase,
  sealOfficerItem,
  type OfficerEntry,
  type OpenedOfficerCase,
} from './officer-open'
import { headOf, hashOfSealed } from './chain'
import { attachWithProgress, fileField, rereadCaseHead } from './officer-files'
import { htmx } from './htmx'
import { keysOrPrompt, once, say, type OfficerPage } from './officer-ui'
import type { UnlockedKeys } from './staff-keys'
import { formatHead, nextSeen, officerHeads } from './thread-head'

const MAX_SEQ_RETRIES = 8
const MAX_TEXT = 20_000

interface CaseState {
  api: Api
  page: OfficerPage
  me: UnlockedKeys
  caseId: string
  view: OfficerCaseView
  opened: OpenedOfficerCase
  /** The head this browser saw before this view (the high-water mark), if any. */
  seen: ThreadHead | undefined
  /** blob: URLs handed out; revoked when the page goes. */
  urls: string[]
}

/** Opens the case against the head remembered for it, and remembers the new one. */
function openAndRemember(view: OfficerCaseView, me: UnlockedKeys, caseId: string) {
  const heads = officerHeads(window.localStorage, me.accountId, me.keys.box.secretKey)
  const seen = heads.get(caseId)
  const opened = openOfficerCase(view, me.keys, seen)
  heads.put(caseId, nextSeen(seen, opened.report))
  return { opened, seen }
}

export async function initCasePage(page: OfficerPage, api: Api): Promise<void> {
  const thread = document.getElementById('case-thread')
  if (!thread || !once(thread, 'Case') || page.config.page.kind !== 'case') return
  const caseId = page.config.page.caseId
  const me = await keysOrPrompt(page)
  if (!me) return
  thread.replaceChildren(h('p', { class: 'hint' }, page.s('decrypting')))
  thread.setAttribute('aria-busy', 'true')
  try {
    const view = await api.json<OfficerCaseView>('GET', `/officer/api/cases/${caseId}`)
    const { opened, seen } = openAndRemember(view, me, caseId)
    const state: CaseState = { api, page, me, caseId, view, opened, seen, urls: [] }
    window.addEventListener('pagehide', () => state.urls.forEach((u) => URL.revokeObjectURL(u)), {
      once: true,
    })
    render(state)
  } catch {
    thread.replaceChildren(h('p', { class: 'error', role: 'alert' }, page.s('unreadable')))
  } finally {
    thread.removeAttribute('aria-busy')
  }
}

function render(state: CaseState): void {
  const { opened } = state
  const thread = document.getElementById('case-thread')
  const notes = document.getElementById('case-notes')
  const problems = threadProblems(state)
  const messages = opened.entries.filter((e) => e.view.kind !== 'note')
  const noteEntries = opened.entries.filter((e) => e.view.kind === 'note')
  const head = opened.report.head
  thread?.replaceChildren(
    ...(problems.length
      ? [h('ul', { class: 'notice js-thread-problems' }, ...problems.map((p) => h('li', {}, p)))]
      : []),
    ...(head
      ? [
          h(
            'p',
            { class: 'hint js-thread-head' },
            `${state.page.s('threadHead')} `,
            h('code', {}, formatHead(head))
          ),
        ]
      : []),
    h('ol', { class: 'thread js-thread' }, ...messages.map((e) => entryView(e, state)))
  )
  notes?.replaceChildren(
    noteEntries.length
      ? h('ol', { class: 'thread notes js-notes' }, ...noteEntries.map((e) => entryView(e, state)))
      : ''
  )
  replyForm(state)
  noteForm(state)
}

function threadProblems({ opened, page, seen }: CaseState): string[] {
  const r = opened.report
  const out: string[] = []
  if (r.behindSeen || r.seenReplaced) out.push(page.s('headRolledBack', { seq: seen?.seq ?? 0 }))
  out.push(...r.gaps.map((g) => page.s('sequenceGap', { from: g.from, to: g.to })))
  out.push(...r.brokenLinks.map((seq) => page.s('brokenLink', { seq: seq - 1 })))
  if (r.duplicates.length || r.duplicateItemIds.length || r.outOfOrder || r.mixedCases) {
    out.push(page.s('sequenceProblem'))
  }
  return out
}

function entryView(entry: OfficerEntry, state: CaseState): HTMLElement {
  const { page } = state
  const env = entry.envelope
  const role = env?.author.role ?? entry.view.authorRole
  const signer =
    role === 'officer'
      ? state.view.signers.find((x) => x.id === (env?.author.id ?? entry.view.authorId))
      : undefined
  const who =
    entry.view.kind === 'note'
      ? `${page.s('note')} · ${signer?.displayName ?? page.s('officer')}`
      : role === 'reporter'
        ? page.s('reporter')
        : role === 'officer'
          ? `${page.s('officer')}${signer ? ` (${signer.displayName})` : ''}`
          : page.s('system')
  const when = dateTime(env?.createdAt ?? entry.view.createdAt, page.config.lang)
  const check =
    entry.problem === 'unverified'
      ? h('span', { class: 'check check-bad js-unverified' }, page.s('unverified'))
      : entry.problem
        ? null
        : h('span', { class: 'check check-ok js-verified' }, page.s('verified'))
  const header = h(
    'p',
    { class: 'entry-meta' },
    h('strong', {}, who),
    ` · ${when} · #${entry.view.seq} `,
    check
  )
  const body: HTMLElement[] = []
  if (entry.problem === 'unreadable') {
    body.push(h('p', { class: 'error js-unreadable' }, page.s('unreadable')))
  }
  if (entry.problem === 'locked') body.push(h('p', { class: 'notice' }, page.s('noteLocked')))
  if (env) body.push(...bodyView(env.type, env.body, state))
  return h(
    'li',
    { class: `entry entry-${role} entry-${entry.view.kind}`, 'data-seq': entry.view.seq },
    h('article', {}, header, ...body)
  )
}

function textOf(body: JsonValue): string {
  const text = (body as { text?: unknown } | null)?.text
  return typeof text === 'string' ? text : ''
}

function bodyView(type: string, body: JsonValue, state: CaseState): HTMLElement[] {
  const { page } = state
  if (type === 'message' || type === 'note') {
    return [h('p', { class: 'message-text js-message' }, textOf(body))]
  }
  if (type === 'attachment') {
    return [h('ul', { class: 'files' }, ...filesOf(body).map((f) => fileRow(f, state)))]
  }
  if (type !== 'answers') return []
  const b = (body ?? {}) as {
    title?: unknown
    answers?: unknown
    contact?: unknown
    attachments?: unknown
  }
  const out: HTMLElement[] = []
  if (typeof b.title === 'string' && b.title) out.push(h('h3', { class: 'js-title' }, b.title))
  const answers =
    b.answers && typeof b.answers === 'object' ? (b.answers as Record<string, unknown>) : {}
  // Question labels as the reporter saw them (the questionnaire's strings).
  const labels = strings(page.config.lang)
  const rows = inQuestionOrder(labels, answers).flatMap(([id, value]) => {
    const values = (Array.isArray(value) ? value : [value]).filter(
      (x): x is string => typeof x === 'string'
    )
    return [
      h('dt', {}, questionLabel(labels, id)),
      h(
        'dd',
        { class: 'js-answer message-text' },
        values.map((v) => optionLabel(labels, id, v)).join(', ')
      ),
    ]
  })
  out.push(h('dl', { class: 'answers js-answers' }, ...rows))
  const c = b.contact as { name?: unknown; contact?: unknown } | undefined
  if (c && typeof c === 'object') {
    out.push(
      h('p', {}, h('strong', {}, page.s('contact'))),
      h(
        'p',
        { class: 'js-contact' },
        [c.name, c.contact].filter((x): x is string => typeof x === 'string' && !!x).join(' · ')
      )
    )
  }
  if (typeof b.attachments === 'number' && b.attachments > 0) {
    out.push(h('p', { class: 'hint' }, page.s('attachments', { n: b.attachments })))
  }
  return out
}

function fileRow(file: FileEntry, state: CaseState): HTMLElement {
  const { page } = state
  const name = file.manifest.name || 'file'
  const error = h('span', { class: 'error', role: 'alert', hidden: true }, page.s('downloadFailed'))
  const get = h('button', { type: 'button', class: 'js-download' }, page.s('download', { name }))
  get.addEventListener('click', () => {
    get.disabled = true
    error.hidden = true
    downloadAndDecrypt(
      state.api,
      file,
      `/officer/api/cases/${state.caseId}/blobs/${file.blobId}/data`
    )
      .then((blob) => {
        const url = URL.createObjectURL(blob)
        state.urls.push(url)
        const link = h('a', { href: url, class: 'button js-save' }, page.s('save', { name }))
        link.download = name
        get.replaceWith(link)
        link.focus()
      })
      .catch(() => {
        get.disabled = false
        error.hidden = false
      })
  })
  return h('li', { class: 'js-file' }, get, ' ', error)
}

/** A form built here (sealing needs the keys, so it has no server-side fallback). */
function textForm(
  id: string,
  title: string,
  label: string,
  submit: string,
  filesLabel: string,
  hint?: string
): {
  form: HTMLFormElement
  text: HTMLTextAreaElement
  files: HTMLInputElement
  progress: HTMLElement
  result: HTMLElement
} {
  const text = h('textarea', {
    id: `${id}-text`,
    name: 'text',
    required: true,
    maxlength: MAX_TEXT,
  })
  const files = fileField(`${id}-files`, filesLabel)
  const result = h('p', { class: 'js-result', role: 'status', 'aria-live': 'polite' })
  const form = h(
    'form',
    // Sealing needs the keys in this page: never a boosted (plain) submission.
    { id, class: 'sealed-form', 'hx-boost': 'false' },
    h('h3', {}, title),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('div', { class: 'field' }, h('label', { for: `${id}-text` }, label), text),
    files.field,
    h('button', { type: 'submit', class: 'primary' }, submit),
    result
  )
  return { form, text, files: files.input, progress: files.progress, result }
}

function replyForm(state: CaseState): void {
  const area = document.getElementById('case-reply')
  if (!area) return
  const { page } = state
  const hint = state.view.reporterSignPublicKey ? undefined : page.s('noReporterKey')
  const parts = textForm(
    'reply-form',
    page.s('replyTitle'),
    page.s('replyLabel'),
    page.s('replySend'),
    page.s('replyFilesLabel'),
    hint
  )
  parts.form.addEventListener('submit', (e) => {
    e.preventDefault()
    void send(state, parts, 'message')
  })
  area.replaceChildren(parts.form)
}

function noteForm(state: CaseState): void {
  const area = document.getElementById('case-note-form')
  if (!area) return
  const { page, view, opened } = state
  // A note key exists but was never given to me: I cannot seal a note others could read.
  if (view.notePublicKey && !opened.noteKeys) {
    area.replaceChildren(h('p', { class: 'notice' }, page.s('noteLocked')))
    return
  }
  const parts = textForm(
    'note-form',
    page.s('noteTitle'),
    page.s('noteLabel'),
    page.s('noteSend'),
    page.s('noteFilesLabel')
  )
  parts.form.addEventListener('submit', (e) => {
    e.preventDefault()
    void send(state, parts, 'note')
  })
  area.replaceChildren(parts.form)
}

/** The public key a kind of item is sealed to; a first note makes the case's note key. */
async function sealingKey(state: CaseState, kind: 'message' | 'note'): Promise<Uint8Array> {
  if (kind === 'message') return state.opened.casePublicKey
  if (state.opened.noteKeys) return state.opened.noteKeys.publicKey
  const { request, keys } = makeNoteKey(state.view)
  await state.api.json('POST', `/officer/api/cases/${state.caseId}/note-key`, request)
  state.opened.noteKeys = keys
  state.view.notePublicKey = request.notePublicKey
  // Storing the note key changed the case's version: fetch the status forms with the new one.
  refreshStatus()
  return keys.publicKey
}

function refreshStatus(): void {
  const api = htmx()
  if (!api || !document.getElementById('case-status')) return
  void api.ajax('GET', window.location.pathname + window.location.search, {
    target: '#case-status',
    swap: 'outerHTML',
  })
}

async function send(
  state: CaseState,
  parts: ReturnType<typeof textForm>,
  kind: 'message' | 'note'
): Promise<void> {
  const { form, text, result } = parts
  const { page, api } = state
  const value = text.value.replace(/\r\n/g, '\n').trim()
  if (!value) {
    say(result, page.s('empty'), 'error')
    text.focus()
    return
  }
  const button = form.querySelector('button')
  if (button) button.disabled = true
  form.setAttribute('aria-busy', 'true')
  say(result, page.s('sending'))
  try {
    const key = await sealingKey(state, kind)
    // After the head I opened, naming its hash; a race re-reads the thread for the new head.
    let at = headOf(state.view.items)
    for (let attempt = 0; ; attempt++) {
      const req = sealOfficerItem(state.caseId, state.me, kind, { text: value }, at, key)
      try {
        await api.json('POST', `/officer/api/cases/${state.caseId}/items`, req)
        at = { seq: req.seq, hash: hashOfSealed(req.sealed) }
        break
      } catch (e) {
        const taken =
          e instanceof ApiFailure &&
          e.status === 409 &&
          e.code === ('seq-taken' as ApiFailure['code'])
        if (!taken || attempt >= MAX_SEQ_RETRIES) throw e
        at = await rereadCaseHead(api, state.caseId)
      }
    }
    text.value = ''
    // The files after the text, as their own item sealed to the same key (note key for a note).
    const picked = Array.from(parts.files.files ?? [])
    let filesError: unknown
    if (picked.length > 0) {
      try {
        await attachWithProgress(
          api,
          {
            caseId: state.caseId,
            me: state.me,
            purpose: kind === 'note' ? 'note' : 'reply',
            toPublicKey: key,
            lastSeq: at.seq,
            lastHash: at.hash,
          },
          picked,
          parts.progress,
          (name) => page.s('uploading', { name })
        )
      } catch (e) {
        filesError = e
      }
    }
    // Re-read: the thread shows what the server now holds, checked again.
    const view = await api.json<OfficerCaseView>('GET', `/officer/api/cases/${state.caseId}`)
    state.view = view
    const next = openAndRemember(view, state.me, state.caseId)
    state.opened = next.opened
    state.seen = next.seen
    render(state)
    const fresh = document.querySelector(
      kind === 'note' ? '#note-form .js-result' : '#reply-form .js-result'
    )
    if (filesError === undefined) say(fresh, page.s('sent'), 'ok')
    else say(fresh, page.s('filesFailed', { reason: failureReason(page, filesError) }), 'error')
  } catch (e) {
    say(result, page.s('failed', { reason: failureReason(page, e) }), 'error')
  } finally {
    if (button) button.disabled = false
    form.removeAttribute('aria-busy')
  }
}

function failureReason(page: OfficerPage, e: unknown): string {
  return e instanceof ApiFailure && e.status === 0
    ? page.s('networkError')
    : e instanceof ApiFailure && e.status === 409
      ? page.s('conflict')
      : String(e instanceof ApiFailure ? e.status : 'crypto')
}
