// Registering a report received by phone, paper, in person…: typed here, sealed here exactly
// like a web report (a new case key, granted to every officer; the answers signed by me), and
// optionally with a receipt made here for the reporter, shown once and never sent.
import {
  FIRST_PREV,
  defaultRandom,
  deriveReceiptKeys,
  fromBase64,
  fromHex,
  generateCaseKeyPair,
  generateReceipt,
  grantCaseKey,
  receiptParts,
  receiptWordList,
  receiptWordListFor,
  toBase64,
  toBase64Url,
  type JsonValue,
  type OfficerKeys,
  type ReceiptKeys,
} from '../../crypto'
import type { IntakeRequest, OfficerKey } from '../officer/api'

import { hashOfSealed } from './chain'
import { h } from './dom'
import { ApiFailure, type Api } from './http'
import { workerArgon2id } from './kdf'
import { attachWithProgress } from './officer-files'
import { newItemId, sealAsOfficer } from './officer-open'
import { keysOrPrompt, once, say, type OfficerPage } from './officer-ui'
import { recipientsCertified } from './report-send'

export interface IntakeInput {
  channel: string
  anonymity: 'anonymous' | 'confidential'
  /** The instant the report was received. */
  receivedAt: Date
  summary: string
  text: string
  contactName: string
  contactWay: string
}

const KYIV = 'Europe/Kyiv'

/** Offset of Kyiv from UTC at an instant, in ms (DST-aware through Intl). */
function kyivOffsetMs(at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: KYIV,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at))
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0)
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) -
    Math.floor(at / 1000) * 1000
  )
}

/** 'YYYY-MM-DDTHH:MM' as Kyiv wall time (the council's clock, whatever this computer's zone) → instant. */
export function kyivWallTime(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value)
  if (!m) return null
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]))
  let at = asUtc - kyivOffsetMs(asUtc)
  at = asUtc - kyivOffsetMs(at)
  return Number.isNaN(at) ? null : new Date(at)
}

export function intakeBody(input: IntakeInput): JsonValue {
  const contact = input.anonymity === 'confidential' && (input.contactName || input.contactWay)
  return {
    questionsVersion: 1,
    ...(input.summary ? { title: input.summary } : {}),
    answers: { what: input.text },
    ...(contact ? { contact: { name: input.contactName, contact: input.contactWay } } : {}),
    attachments: 0,
  }
}

/** The whole request, built here; the case secret key exists afterwards only inside the grants. */
export function buildIntakeRequest(
  me: { accountId: string; keys: OfficerKeys },
  officers: OfficerKey[],
  orgPublicKey: string | undefined,
  input: IntakeInput,
  reporter?: ReceiptKeys
): IntakeRequest {
  if (!recipientsCertified(orgPublicKey, officers)) {
    throw new Error('an officer key is not certified by the organisation key')
  }
  const caseKeys = generateCaseKeyPair()
  const caseId = toBase64Url(defaultRandom(16))
  const itemId = newItemId()
  const sealed = sealAsOfficer(
    caseId,
    me,
    'answers',
    intakeBody(input),
    1,
    FIRST_PREV,
    caseKeys.publicKey,
    itemId
  )
  const grants: IntakeRequest['grants'] = officers.map((o) => ({
    granteeKind: 'officer',
    granteeId: o.id,
    sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, fromBase64(o.boxPublicKey))),
  }))
  if (reporter) {
    grants.push({
      granteeKind: 'reporter',
      granteeId: 'reporter',
      sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, reporter.box.publicKey)),
    })
  }
  caseKeys.secretKey.fill(0)
  return {
    v: 1,
    caseId,
    // The form's choice; the server's schema refuses anything outside the intake channels.
    channel: input.channel as IntakeRequest['channel'],
    anonymity: input.anonymity,
    receivedAt: input.receivedAt.toISOString(),
    casePublicKey: toBase64(caseKeys.publicKey),
    grants,
    answers: { itemId, sealed },
    ...(reporter
      ? {
          reporter: {
            boxPublicKey: toBase64(reporter.box.publicKey),
            signPublicKey: toBase64(reporter.sign.publicKey),
            authKey: toBase64(reporter.authKey),
          },
        }
      : {}),
  }
}

function readInput(form: HTMLFormElement): IntakeInput | null {
  const data = new FormData(form)
  const text = (name: string) => {
    const v = data.get(name)
    return (typeof v === 'string' ? v : '').replace(/\r\n/g, '\n').trim()
  }
  const receivedAt = kyivWallTime(text('receivedAt'))
  if (!receivedAt) return null
  return {
    channel: text('channel'),
    anonymity: text('anonymity') === 'confidential' ? 'confidential' : 'anonymous',
    receivedAt,
    summary: text('summary'),
    text: text('text'),
    contactName: text('contactName'),
    contactWay: text('contactWay'),
  }
}

export function initIntake(page: OfficerPage, api: Api): void {
  const form = document.getElementById('intake-form')
  if (
    !(form instanceof HTMLFormElement) ||
    !once(form, 'Intake') ||
    page.config.page.kind !== 'intake'
  ) {
    return
  }
  // Shown only now: without this script the form could only send its text in the clear.
  form.hidden = false
  const config = page.config.page
  const result = form.querySelector('.js-result')
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void (async () => {
      const me = await keysOrPrompt(page)
      if (!me) return
      const input = readInput(form)
      if (!input) return say(result, page.s('badDate'), 'error')
      if (!input.text) return say(result, page.s('empty'), 'error')
      const button = form.querySelector('button[type="submit"]')
      if (button instanceof HTMLButtonElement) button.disabled = true
      form.setAttribute('aria-busy', 'true')
      try {
        let receipt: string | undefined
        let reporter: ReceiptKeys | undefined
        if (new FormData(form).get('receipt') === '1') {
          say(result, page.s('deriving'))
          receipt = generateReceipt('words', undefined, receiptWordListFor(page.config.lang))
          reporter = await deriveReceiptKeys(
            receipt,
            fromHex(config.deploymentSalt),
            workerArgon2id()
          )
        }
        say(result, page.s('intakeSending'))
        const request = buildIntakeRequest(
          me,
          config.officers,
          config.orgPublicKey,
          input,
          reporter
        )
        const res = await api.json<{ caseId: string }>('POST', '/officer/api/intake', request)
        // As a reporter's files: the case exists first, then the files and one attachment item
        // (sealed to the case key, after the answers at no. 1).
        const files = filesOf(form)
        let filesError: string | undefined
        if (files.length > 0) {
          try {
            await attachWithProgress(
              api,
              {
                caseId: res.caseId,
                me,
                purpose: 'reply',
                toPublicKey: fromBase64(request.casePublicKey),
                lastSeq: 1,
                lastHash: hashOfSealed(request.answers.sealed),
              },
              files,
              document.getElementById('intake-progress'),
              (name) => page.s('uploading', { name })
            )
          } catch (err) {
            filesError = err instanceof ApiFailure ? String(err.status) : 'crypto'
          }
        }
        form.reset()
        form.hidden = true
        showDone(page, res.caseId, receipt, filesError)
      } catch (err) {
        const reason =
          err instanceof ApiFailure && err.status === 409
            ? page.s('officersChanged')
            : err instanceof ApiFailure
              ? String(err.status)
              : 'crypto'
        say(result, page.s('failed', { reason }), 'error')
      } finally {
        if (button instanceof HTMLButtonElement) button.disabled = false
        form.removeAttribute('aria-busy')
      }
    })()
  })
}

function filesOf(form: HTMLFormElement): File[] {
  const input = form.querySelector('#intake-files')
  return input instanceof HTMLInputElement ? Array.from(input.files ?? []) : []
}

function showDone(page: OfficerPage, caseId: string, receipt?: string, filesError?: string): void {
  const area = document.getElementById('intake-done')
  if (!area) return
  const href =
    page.config.lang === 'en' ? `/officer/cases/${caseId}?lang=en` : `/officer/cases/${caseId}`
  area.replaceChildren(
    h('p', { class: 'ok', role: 'status' }, page.s('intakeDone')),
    ...(filesError
      ? [h('p', { class: 'error', role: 'alert' }, page.s('filesFailed', { reason: filesError }))]
      : []),
    ...(receipt
      ? [
          h('h2', {}, page.s('receiptTitle')),
          h('p', {}, page.s('receiptIntro')),
          h(
            'ol',
            {
              class: 'receipt js-receipt',
              translate: 'no',
              lang: receiptWordList(receipt) ?? 'zxx',
            },
            ...receiptParts(receipt).map((w) => h('li', {}, w))
          ),
        ]
      : []),
    h('p', {}, h('a', { href, class: 'button primary js-open-case' }, page.s('intakeOpen')))
  )
  area.focus()
}
