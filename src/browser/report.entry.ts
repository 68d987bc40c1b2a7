// GET /report, enhanced: the report is encrypted in this browser. Steps: the form (native
// validation, size checks) → the receipt → typing two of its words back → keys in the worker →
// sealed answers and grants → POST /api/report → encrypted attachments → done.
// Fail closed: if encryption fails nothing is sent, and the plain form (server-side encryption)
// is only used when the reporter presses the button that says so.
import {
  checkReceiptChallenge,
  fromBase64,
  generateReceipt,
  orgFingerprint,
  pickChallengePositions,
  receiptParts,
  receiptWordList,
  receiptWordListFor,
  type ReceiptKeys,
  type ReceiptKind,
} from '../../crypto'
import type { Acknowledgement, ReporterPageConfig } from '../report/api'

import { button, cryptoAvailable, h, localHref, readConfig, showStep } from './dom'
import { errorMessage } from './errors'
import { once, onPage } from './page'
import { enhanceFileInput, type FileField } from './file-field'
import { createApi, isApiFailure, type Api } from './http'
import { strings, type Strings } from './i18n'
import type { ThreadContext } from './items'
import { formatHead, sessionHeads } from './thread-head'
import {
  fileProgress,
  kdfIndicator,
  workIndicator,
  type FileProgress,
  type KdfIndicator,
} from './progress'
import { deriveKeysInWorker } from './receipt-keys'
import { solveWork } from './work'
import { acknowledgementSection, enhancePrintControls } from './report-ack'
import { readForm, toggleContactFields } from './report-form'
import {
  LocalCryptoError,
  attachmentJobs,
  sendAttachments,
  submitReport,
  type AttachmentJob,
} from './report-send'

/** The thread as sent, and the dates the server promised with it. */
type SentContext = ThreadContext & { acknowledgement?: Acknowledgement }

interface Page {
  form: HTMLFormElement
  area: HTMLElement
  status: HTMLElement | null
  config: ReporterPageConfig | null
  s: Strings
  files: FileField | null
  /** Bumped on every new attempt, so a stale worker result cannot act on a newer one. */
  attempt: number
}

/** One receipt and what hangs on it: the two positions to type back, and its keys. */
interface Attempt {
  id: number
  config: ReporterPageConfig
  receipt: string
  kind: ReceiptKind
  positions: number[]
  kdf: KdfIndicator
  /** Started when the receipt is shown, so Argon2id runs while the reporter writes it down. */
  keys: Promise<ReceiptKeys>
}

function init(): void {
  // The "done" and receipt pages (no-JS path) load this script only for their print buttons.
  enhancePrintControls()
  const form = document.getElementById('report-form')
  const area = document.getElementById('js-area')
  if (!(form instanceof HTMLFormElement) || !area || !once(form, 'Report')) return
  toggleContactFields(form)
  const config = readConfig()
  const s = strings(config?.lang ?? (document.documentElement.lang === 'en' ? 'en' : 'uk'))
  const fileInput = form.querySelector<HTMLInputElement>('input[type="file"][name="files"]')
  const page: Page = {
    form,
    area,
    status: document.getElementById('js-status'),
    config,
    s,
    files:
      fileInput && config
        ? enhanceFileInput(fileInput, config, s, document.getElementById('files-limits'))
        : null,
    attempt: 0,
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    onSubmit(page)
  })
}

function onSubmit(page: Page): void {
  const { form, config } = page
  announce(page, '')
  if (page.files && page.files.check().length > 0) {
    form.reportValidity()
    return
  }
  if (!form.checkValidity()) {
    form.reportValidity()
    return
  }
  // The honeypot: a person whose browser filled it is told; nothing is sent.
  const trap = form.elements.namedItem('website')
  if (trap instanceof HTMLInputElement && trap.value !== '') {
    announce(page, page.s.honeypotFilled)
    showError(page, page.s.honeypotFilled, false)
    form.hidden = true
    return
  }
  if (!config || !cryptoAvailable()) {
    showFallback(page, page.s.kdfFailed)
    return
  }
  let attempt: Attempt
  try {
    attempt = startAttempt(page, config)
  } catch {
    showFallback(page, page.s.kdfFailed)
    return
  }
  form.hidden = true
  showReceipt(page, attempt)
}

function startAttempt(page: Page, config: ReporterPageConfig): Attempt {
  // Words (default) or digits, as chosen on the form; words from the page language's list.
  const kind: ReceiptKind =
    new FormData(page.form).get('receiptKind') === 'digits' ? 'digits' : 'words'
  const receipt = generateReceipt(kind, undefined, receiptWordListFor(config.lang))
  const positions = pickChallengePositions(receipt, 2)
  const kdf = kdfIndicator(page.s)
  const id = ++page.attempt
  const keys = deriveKeysInWorker(receipt, config, (f) => kdf.update(f))
  // Fail closed at once if the worker cannot run: nothing has been sent yet.
  keys.then(
    () => kdf.finish(),
    () => {
      if (page.attempt === id) showFallback(page, page.s.kdfFailed)
    }
  )
  return { id, config, receipt, kind, positions, kdf, keys }
}

function showReceipt(page: Page, attempt: Attempt): void {
  const { s } = page
  showStep(
    page.area,
    s.receiptTitle,
    h('p', {}, attempt.kind === 'digits' ? s.receiptIntroDigits : s.receiptIntro),
    receiptList(attempt.receipt),
    h('p', { class: 'notice' }, s.receiptDont),
    h(
      'div',
      { class: 'actions' },
      button(s.receiptWritten, () => showCheck(page, attempt), true),
      button(s.backToForm, () => backToForm(page))
    ),
    // After the actions: the next Tab from the heading stays "I have written it down".
    orgKeyNote(page, attempt.config)
  )
}

/** The fingerprint of the org key this browser checked the recipients against, to compare. */
function orgKeyNote(page: Page, config: ReporterPageConfig): HTMLElement | null {
  if (!config.orgPublicKey) return null
  return h(
    'p',
    { class: 'hint js-org-fingerprint' },
    `${page.s.orgKeyFingerprint} `,
    h('code', { translate: 'no' }, orgFingerprint(fromBase64(config.orgPublicKey))),
    ' (',
    h('a', { href: localHref('/about/keys', config.lang) }, page.s.orgKeyLink),
    ')'
  )
}

function receiptList(receipt: string): HTMLElement {
  // Numbered, so "word no. 3" is easy to find; translate="no" keeps translators off the words.
  const list = receiptWordList(receipt)
  return h(
    'ol',
    {
      class: list ? 'js-receipt' : 'js-receipt js-receipt-digits',
      translate: 'no',
      lang: list ?? 'zxx',
    },
    ...receiptParts(receipt).map((w) => h('li', {}, w))
  )
}

function showCheck(page: Page, attempt: Attempt): void {
  const { s } = page
  const [a = 1, b = 2] = attempt.positions
  const field = (n: number) => {
    const input = h('input', {
      type: 'text',
      id: `js-word-${n}`,
      name: `word${n}`,
      required: true,
      autocomplete: 'off',
      autocapitalize: 'none',
      spellcheck: 'false',
    })
    return {
      input,
      row: h(
        'div',
        { class: 'field' },
        h('label', { for: input.id }, attempt.kind === 'digits' ? s.groupN(n) : s.wordN(n)),
        input
      ),
    }
  }
  const first = field(a)
  const second = field(b)
  const wrong = h('p', { class: 'error', role: 'alert', hidden: true }, s.checkWrong)
  const check = h(
    'form',
    { class: 'js-check', novalidate: true },
    first.row,
    second.row,
    wrong,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, s.checkAndSend),
      button(s.showReceiptAgain, () => showReceipt(page, attempt))
    )
  )
  check.addEventListener('submit', (e) => {
    e.preventDefault()
    const answers = [first.input.value, second.input.value]
    if (!checkReceiptChallenge(attempt.receipt, attempt.positions, answers)) {
      wrong.hidden = false
      first.input.setAttribute('aria-invalid', 'true')
      second.input.setAttribute('aria-invalid', 'true')
      first.input.focus()
      return
    }
    void send(page, attempt)
  })
  const intro = attempt.kind === 'digits' ? s.checkIntroDigits(a, b) : s.checkIntro(a, b)
  showStep(page.area, s.checkTitle, h('p', {}, intro), check)
}

function backToForm(page: Page): void {
  // A new submit makes a new receipt; whatever the old worker returns is ignored.
  page.attempt++
  page.area.replaceChildren()
  page.form.hidden = false
  const first = page.form.querySelector<HTMLElement>('input, textarea, select')
  first?.focus()
}

async function send(page: Page, attempt: Attempt): Promise<void> {
  const { s } = page
  const { config, receipt, kdf } = attempt
  const sending = h('p', { hidden: true }, s.sendingReport)
  const uploads = h('div', { class: 'js-uploads' })
  // The proof of work runs in its own worker while Argon2id may still be finishing.
  const workBar = workIndicator(s.workProgress)
  workBar.el.hidden = true
  const work = () => {
    workBar.el.hidden = false
    return solveWork('submit', (f) => workBar.update(f)).then((proof) => {
      workBar.finish()
      return proof
    })
  }
  showStep(page.area, s.sendingTitle, kdf.el, workBar.el, sending, uploads)
  page.area.setAttribute('aria-busy', 'true')
  const api = createApi()
  let ctx: SentContext
  let jobs: AttachmentJob[]
  try {
    const files = page.files ? await page.files.prepare() : []
    jobs = attachmentJobs(files)
    const keys = await attempt.keys
    sending.hidden = false
    announce(page, s.sendingReport)
    ctx = await submitReport(api, config, keys, readForm(page.form, files.length), work)
    // Sent: the bearer token replaces authKey, and the reporter's box key is only needed to
    // open the case later, from the receipt. The signing key stays for the attachments.
    keys.authKey.fill(0)
    keys.box.secretKey.fill(0)
  } catch (e) {
    page.area.removeAttribute('aria-busy')
    if (page.attempt === attempt.id) reportFailed(page, e)
    return
  }
  const bars = jobs.map((j) => fileProgress(j.file.name, j.file.data.size, s, config.lang))
  uploads.replaceChildren(...bars.map((b) => b.el))
  await uploadAll(page, config, api, ctx, jobs, bars, receipt)
}

async function uploadAll(
  page: Page,
  config: ReporterPageConfig,
  api: Api,
  ctx: SentContext,
  jobs: AttachmentJob[],
  bars: FileProgress[],
  receipt: string
): Promise<void> {
  try {
    await sendAttachments(api, ctx, jobs, {
      maxPieceBytes: config.maxPieceBytes,
      onProgress: (i, sent, total) => bars[i]?.update(sent, total),
    })
  } catch (e) {
    const failed = jobs.findIndex((j) => !j.done)
    const job = jobs[failed]
    if (job) bars[failed]?.fail(`${page.s.uploadFailed(job.file.name)} ${errorMessage(e, page.s)}`)
    page.area.removeAttribute('aria-busy')
    showDone(
      page,
      config,
      receipt,
      bars,
      ctx,
      () => void uploadAll(page, config, api, ctx, jobs, bars, receipt)
    )
    return
  }
  page.area.removeAttribute('aria-busy')
  // Everything is sent and nothing can be retried: the signing key has done its work.
  ctx.signSecretKey.fill(0)
  showDone(page, config, receipt, bars, ctx)
}

function showDone(
  page: Page,
  config: ReporterPageConfig,
  receipt: string,
  bars: FileProgress[],
  ctx: SentContext,
  retry?: () => void
): void {
  const { s } = page
  // Coming back in this browser session, the status page compares the thread with this head.
  sessionHeads(window.sessionStorage).put(ctx.caseId, { seq: ctx.lastSeq, hash: ctx.lastHash })
  const retryBlock = retry
    ? h(
        'div',
        { class: 'notice' },
        h('p', {}, s.doneFilesFailed),
        ...bars.map((b) => b.el),
        h(
          'div',
          { class: 'actions' },
          button(
            s.uploadRetry,
            () => {
              showStep(page.area, s.sendingTitle, ...bars.map((b) => b.el))
              page.area.setAttribute('aria-busy', 'true')
              retry()
            },
            true
          )
        )
      )
    : bars.length > 0
      ? h('div', { class: 'js-uploads' }, ...bars.map((b) => b.el))
      : null
  const shown = receiptList(receipt)
  showStep(
    page.area,
    s.doneTitle,
    h('p', { class: 'ok' }, s.doneText),
    retryBlock,
    h('p', {}, s.receiptTitle),
    shown,
    // The thread head as sent from here, to compare with what /status shows later.
    h(
      'p',
      { class: 'hint' },
      `${s.headNote} `,
      h('code', { class: 'js-thread-head' }, formatHead({ seq: ctx.lastSeq, hash: ctx.lastHash }))
    ),
    h(
      'p',
      {},
      h('a', { class: 'button primary', href: localHref('/status', config.lang) }, s.doneStatusLink)
    ),
    ctx.acknowledgement
      ? acknowledgementSection(ctx.acknowledgement, {
          lang: config.lang,
          orgName: page.area.dataset.orgName ?? '',
          statusUrl: page.area.dataset.statusUrl ?? localHref('/status', config.lang),
          fingerprint: config.orgPublicKey
            ? orgFingerprint(fromBase64(config.orgPublicKey))
            : undefined,
          receipt: shown,
        })
      : null
  )
  announce(page, s.doneTitle)
}

function reportFailed(page: Page, e: unknown): void {
  const { s } = page
  if (isApiFailure(e) && e.code === 'form-expired') {
    showError(page, s.formExpired, false)
  } else if (isApiFailure(e) && e.code === 'officers-changed') {
    showError(page, s.officersChanged, true)
  } else if (e instanceof LocalCryptoError && e.reason === 'fingerprint') {
    showError(page, s.officerKeyMismatch, true)
  } else if (e instanceof LocalCryptoError && e.reason === 'no-officer') {
    showError(page, s.noOfficer, true)
  } else if (isApiFailure(e)) {
    showError(page, errorMessage(e, s), true)
  } else if (e instanceof Error && e.message.startsWith('work')) {
    showError(page, s.workFailed, true)
  } else {
    showFallback(page, s.kdfFailed)
  }
}

function showFallback(page: Page, message: string): void {
  page.form.hidden = true
  showError(page, message, true)
}

/** The error step; `offerServer` adds the explicit server-side encryption button. */
function showError(page: Page, message: string, offerServer: boolean): void {
  const { s } = page
  showStep(
    page.area,
    s.errorTitle,
    h('p', { class: 'error' }, message),
    offerServer ? h('p', {}, s.serverSideExplain) : null,
    h(
      'div',
      { class: 'actions' },
      offerServer ? button(s.sendServerSide, () => submitServerSide(page.form), true) : null,
      button(s.backToForm, () => backToForm(page))
    )
  )
}

/**
 * The reporter asked for it: the plain form, marked with their consent. With a proof of work in
 * its `pow` field when the worker can make one; if not, the server's no-JS fallback applies.
 */
function submitServerSide(form: HTMLFormElement): void {
  const hidden = (name: string, value: string) => {
    let input = form.querySelector<HTMLInputElement>(`input[name="${name}"]`)
    if (!input) {
      input = h('input', { type: 'hidden', name, value })
      form.append(input)
    }
    input.value = value
  }
  hidden('serverEncryptionConsent', '1')
  // form.submit() fires no submit event, so this handler does not intercept it again.
  solveWork('submit').then(
    (proof) => {
      if (proof) hidden('pow', proof)
      form.submit()
    },
    () => form.submit()
  )
}

function announce(page: Page, text: string): void {
  if (page.status) page.status.textContent = text
}

onPage(init)
