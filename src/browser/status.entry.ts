// GET /status, enhanced: the receipt never leaves this browser. Keys are derived in the worker,
// only the authKey is sent, the case is decrypted and verified here, and replies are sealed here.
// The bearer token and the keys live in this closure only (no storage, no cookie).
import {
  normalizeReceipt,
  receiptProblem,
  toBase64,
  wipeReceiptKeys,
  type ReceiptKeys,
} from '../../crypto'
import { describeReceiptProblem } from '../lib/receipt-problem'
import type { CaseView, ReporterPageConfig, StatusLoginRequest } from '../report/api'

import { button, cryptoAvailable, h, readConfig, showStep } from './dom'
import { errorMessage } from './errors'
import { once, onPage } from './page'
import { enhanceFileInput } from './file-field'
import { createApi, isApiFailure, type Api } from './http'
import { strings, type Strings } from './i18n'
import { addItem, type ThreadContext } from './items'
import { fileProgress, kdfIndicator, workIndicator, type FileProgress } from './progress'
import { deriveKeysInWorker } from './receipt-keys'
import { ackStrings } from './report-ack'
import { attachmentJobs, rereadHead, sendAttachments, type AttachmentJob } from './report-send'
import { openCase } from './thread'
import { nextSeen, sessionHeads } from './thread-head'
import { solveWork } from './work'
import { caseSummary, threadList, type ViewContext } from './thread-view'

interface Session {
  api: Api
  keys: ReceiptKeys
  /** Highest sequence number seen, so a later view that lost items shows a gap. */
  seenSeq: number
  /** The thread head seen in this browser session, kept in sessionStorage across logins. */
  heads: ReturnType<typeof sessionHeads>
}

interface Page {
  form: HTMLFormElement
  input: HTMLInputElement | null
  area: HTMLElement
  live: HTMLElement
  config: ReporterPageConfig | null
  s: Strings
  urls: string[]
}

function init(): void {
  const form = document.getElementById('status-form')
  const area = document.getElementById('js-area')
  if (!(form instanceof HTMLFormElement) || !area || !once(form, 'Status')) return
  const config = readConfig()
  const s = strings(config?.lang ?? (document.documentElement.lang === 'en' ? 'en' : 'uk'))
  const live = document.getElementById('js-status') ?? liveRegion(area)
  const input = form.querySelector<HTMLInputElement>('[name="receipt"]')
  const page: Page = { form, input, area, live, config, s, urls: [] }
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void login(page)
  })
  // Decrypted files must not outlive the page.
  window.addEventListener('pagehide', () => page.urls.forEach((u) => URL.revokeObjectURL(u)))
}

function liveRegion(area: HTMLElement): HTMLElement {
  const el = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' })
  area.after(el)
  return el
}

function formError(page: Page, message: string): void {
  let el = page.form.querySelector<HTMLElement>('.js-form-error')
  if (!el) {
    el = h('p', { class: 'error js-form-error', role: 'alert', id: 'js-receipt-error' })
    page.form.append(el)
    page.input?.setAttribute('aria-describedby', el.id)
  }
  el.textContent = message
  el.hidden = message === ''
  if (message) page.input?.focus()
}

async function login(page: Page): Promise<void> {
  const { s, config, form } = page
  const receipt = page.input?.value ?? ''
  formError(page, '')
  const problem = receiptProblem(receipt)
  if (problem) {
    const lang = config?.lang ?? 'uk'
    return formError(page, describeReceiptProblem(ackStrings(lang).receiptProblems, problem))
  }
  if (!config || !cryptoAvailable()) return formError(page, s.kdfFailed)
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"], button:not([type])')
  const kdf = kdfIndicator(s)
  const workBar = workIndicator(s.workProgress)
  workBar.el.hidden = true
  form.append(kdf.el, workBar.el)
  if (submit) submit.disabled = true
  form.setAttribute('aria-busy', 'true')
  let keys: ReceiptKeys | undefined
  try {
    keys = await deriveKeysInWorker(normalizeReceipt(receipt), config, (f) => kdf.update(f))
    kdf.finish()
    announce(page, s.loginChecking)
    const api = createApi()
    const req: StatusLoginRequest = { authKey: toBase64(keys.authKey) }
    const work = () => {
      workBar.el.hidden = false
      return solveWork('receipt', (f) => workBar.update(f), api)
    }
    const view = await api.json<CaseView>('POST', '/api/status/login', req, { work })
    api.token = view.token
    // The bearer token stands in for authKey from here on.
    keys.authKey.fill(0)
    // The receipt stays on paper, not in the page.
    if (page.input) page.input.value = ''
    form.hidden = true
    render(page, { api, keys, seenSeq: 0, heads: sessionHeads(window.sessionStorage) }, view)
    // "Checking the receipt…" must not stay on the page above the opened case.
    announce(page, '')
  } catch (e) {
    if (keys) wipeReceiptKeys(keys)
    if (isApiFailure(e, 401)) formError(page, s.noMatch)
    else if (isApiFailure(e, 429)) formError(page, s.slowDown)
    else if (isApiFailure(e)) formError(page, errorMessage(e, s))
    else if (e instanceof Error && e.message.startsWith('work')) formError(page, s.workFailed)
    else formError(page, s.kdfFailed)
  } finally {
    kdf.el.remove()
    workBar.el.remove()
    if (submit) submit.disabled = false
    form.removeAttribute('aria-busy')
  }
}

function render(page: Page, session: Session, view: CaseView, notice?: string): void {
  const { s } = page
  const lang = page.config?.lang ?? 'uk'
  const v: ViewContext = { api: session.api, s, lang, urls: page.urls }
  let opened
  const seen = session.heads.get(view.caseId)
  try {
    opened = openCase(view, session.keys, session.seenSeq, seen)
  } catch {
    showStep(page.area, s.caseTitle, h('p', { class: 'error' }, s.unreadable))
    return
  }
  session.seenSeq = Math.max(session.seenSeq, opened.report.lastSeq)
  session.heads.put(view.caseId, nextSeen(seen, opened.report))
  const head = opened.report.head
  const ctx: ThreadContext = {
    caseId: view.caseId,
    casePublicKey: opened.casePublicKey,
    signSecretKey: session.keys.sign.secretKey,
    // The next item goes after the listed head and names it; a race re-reads the thread.
    lastSeq: head?.seq ?? 0,
    lastHash: head?.hash ?? '',
    reread: () => rereadHead(session.api),
  }
  opened.caseSecretKey.fill(0)
  showStep(
    page.area,
    s.caseTitle,
    notice ? h('p', { class: 'ok', role: 'status' }, notice) : null,
    ...caseSummary(view, opened, v),
    h('h3', {}, s.threadTitle),
    threadList(opened, v),
    replyForm(page, session, ctx),
    h(
      'div',
      { class: 'actions' },
      button(s.logout, () => logout(page, session))
    )
  )
}

function replyForm(page: Page, session: Session, ctx: ThreadContext): HTMLElement {
  const { s } = page
  const config = page.config as ReporterPageConfig
  const text = h('textarea', { id: 'js-reply-text', name: 'text', rows: 5, maxlength: 20000 })
  const files = h('input', { type: 'file', id: 'js-reply-files', name: 'files', multiple: true })
  const error = h('p', { class: 'error', role: 'alert', hidden: true })
  const uploads = h('div', { class: 'js-uploads' })
  const send = h('button', { type: 'submit', class: 'primary' }, s.replySend)
  const form = h(
    'form',
    { class: 'js-reply', novalidate: true },
    h('h3', {}, s.replyTitle),
    h('div', { class: 'field' }, h('label', { for: text.id }, s.replyText), text),
    h('div', { class: 'field' }, h('label', { for: files.id }, s.replyFiles), files),
    error,
    uploads,
    h('div', { class: 'actions' }, send)
  )
  const field = enhanceFileInput(files, config, s)
  let jobs: AttachmentJob[] | null = null
  let bars: FileProgress[] = []
  let textSent = false
  const fail = (message: string) => {
    error.textContent = message
    error.hidden = false
    send.disabled = false
    form.removeAttribute('aria-busy')
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void (async () => {
      error.hidden = true
      const message = text.value.trim()
      if (!jobs && message === '' && field.files().length === 0) return fail(s.replyEmpty)
      if (!jobs && field.check().length > 0) return fail(field.check().join(' '))
      send.disabled = true
      form.setAttribute('aria-busy', 'true')
      try {
        if (message !== '' && !textSent) {
          await addItem(session.api, ctx, 'message', { text: message })
          textSent = true
        }
        if (!jobs) {
          jobs = attachmentJobs(await field.prepare())
          bars = jobs.map((j) => fileProgress(j.file.name, j.file.data.size, s, config.lang))
          uploads.replaceChildren(...bars.map((b) => b.el))
        }
        await sendAttachments(session.api, ctx, jobs, {
          maxPieceBytes: config.maxPieceBytes,
          onProgress: (i, sent, total) => bars[i]?.update(sent, total),
        })
      } catch (err) {
        if (isApiFailure(err, 401)) return expired(page, session)
        // Pressing the button again resumes: the text is not re-sent, uploads continue.
        return fail(errorMessage(err, s))
      }
      await refresh(page, session, s.replySent)
    })()
  })
  return form
}

async function refresh(page: Page, session: Session, notice?: string): Promise<void> {
  try {
    const view = await session.api.json<CaseView>('GET', '/api/r/case')
    render(page, session, view, notice)
    announce(page, notice ?? '')
  } catch (e) {
    if (isApiFailure(e, 401)) expired(page, session)
    else announce(page, errorMessage(e, page.s))
  }
}

function expired(page: Page, session: Session): void {
  logout(page, session)
  formError(page, page.s.sessionExpired)
}

/** Forgets the token and the keys; the receipt is needed again. */
function logout(page: Page, session: Session): void {
  // Best effort: the server forgets the session too; the token is dropped here either way.
  if (session.api.token) session.api.json('POST', '/api/r/logout').catch(() => undefined)
  session.api.token = undefined
  session.keys.box.secretKey.fill(0)
  session.keys.sign.secretKey.fill(0)
  session.keys.authKey.fill(0)
  page.urls.forEach((u) => URL.revokeObjectURL(u))
  page.urls.length = 0
  page.area.replaceChildren()
  page.form.hidden = false
  page.input?.focus()
}

function announce(page: Page, text: string): void {
  page.live.textContent = text
}

onPage(init)
