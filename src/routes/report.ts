// The report form. Without JavaScript it posts here and the server seals in memory; with
// JavaScript, src/browser/report.entry.ts seals in the browser and uses the JSON API instead.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { formatThreadHead } from '../../crypto/item'
import {
  receiptKind,
  receiptParts,
  receiptWordList,
  receiptWordListFor,
} from '../../crypto/receipt'
import type { AppDeps } from '../deps'
import { formatSize } from '../lib/sizes'
import type { Language } from '../config'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { render } from '../http/render'
import { formFiles, formText, valid } from '../http/validate'
import { formWork, HONEYPOT_FIELD, honeypotFilled, WORK_FIELD, type WorkGuards } from '../http/work'
import { defaultQuestionnaire, parseReportForm, type FieldErrors } from '../report/questions'
import { fromReceivedDay, receivedDay } from '../report/acknowledgement'
import { createReceiptCheck } from '../report/receipt-check'
import { ackView } from './acknowledgement-view'
import { siteUrl } from '../http/onion'
import type { ReporterService } from '../report/service'

/** Files that go through the server path (no JavaScript) together, at most. */
export const NOJS_MAX_BYTES = 25 * 1024 * 1024

/**
 * The no-JS report form: the files, the form token, the receipt's kind and the honeypot; every
 * other field is an answer, kept as typed and checked against the questionnaire (a data file)
 * by parseReportForm, so the form can be shown again with each answer's own error.
 */
const reportForm = z
  .object({
    files: formFiles,
    formToken: formText(200),
    receiptKind: formText(10).transform((v) => (v === 'digits' ? 'digits' : 'words')),
    [WORK_FIELD]: formText(1000),
    [HONEYPOT_FIELD]: z.unknown().optional(),
  })
  .catchall(formText(NOJS_MAX_BYTES))
/** The type-back check: its token, the day, and the words asked for (word_1, word_2…). */
const confirmForm = z.object({ check: formText(1000), on: formText(20) }).catchall(formText(200))
const doneQuery = z.object({
  on: z.string().max(20).optional().catch(undefined),
  print: z.literal('1').optional().catch(undefined),
})

export function reportRoutes(deps: AppDeps, reporter: ReporterService, guards: WorkGuards) {
  const { config, secrets, clock, random, store } = deps
  const app = new Hono<AppEnv>()
  const receiptCheck = createReceiptCheck({ secrets, clock, random, tokens: store.tokens })
  const questionnaire = defaultQuestionnaire

  const showForm = async (
    c: Context<AppEnv>,
    state: {
      values?: Record<string, string>
      errors?: FieldErrors
      formError?: string
      /** Names of files chosen before a refused no-JS post: browsers cannot keep them. */
      lostFiles?: string[]
    } = {},
    status: 200 | 400 | 409 | 413 | 422 | 429 | 503 = 200
  ) => {
    const t = c.var.t
    const lang = c.var.lang
    const pageConfig = await reporter.pageConfig(lang, true)
    if (pageConfig.officers.length === 0) {
      return render(
        c,
        config,
        { page: 'pages/report/closed', title: t.report.closedTitle },
        {},
        503
      )
    }
    return render(
      c,
      config,
      { page: 'pages/report/form', title: t.report.title },
      {
        questions: questionnaire.questions,
        contact: questionnaire.contact,
        values: state.values ?? {},
        errors: state.errors ?? {},
        formError: state.formError,
        filesLost: lostFilesText(c, state.lostFiles),
        formToken: pageConfig.formToken,
        officers: pageConfig.officers,
        configJson: jsonForScript(pageConfig),
        statusUrl: siteUrl(c, config) + localPath(c, '/status', config.defaultLanguage),
        limitsText: t.report.filesLimits
          .replace('{file}', formatSize(config.maxFileBytes, lang))
          .replace('{total}', formatSize(config.maxReportBytes, lang))
          .replace('{nojs}', formatSize(NOJS_MAX_BYTES, lang)),
        scripts: ['/static/js/report.entry.js'],
        styles: ['/static/css/browser.css'],
      },
      status
    )
  }

  app.get('/', (c) => showForm(c))

  app.post(
    '/',
    bodyLimit({
      maxSize: NOJS_MAX_BYTES + 1024 * 1024,
      onError: (c) =>
        showForm(c as Context<AppEnv>, { formError: tooLarge(c as Context<AppEnv>) }, 413),
    }),
    valid('form', reportForm, (c) => showForm(c, { formError: c.var.t.report.formBroken }, 400)),
    async (c) => {
      const t = c.var.t
      const { files, website, ...fields } = c.req.valid('form')

      // A filled honeypot is refused, not accepted and dropped: a person whose browser filled
      // it by mistake keeps the text and learns why; a bot learns nothing it can use.
      if (honeypotFilled({ website })) {
        return showForm(c, { values: fields, formError: t.work.honeypotFilled }, 400)
      }
      const lostFiles = files.map((f) => f.name || 'file')
      const parsed = parseReportForm(fields, questionnaire)
      if (!parsed.ok) {
        const formError = contactError(c, parsed.errors) ?? t.report.fixErrors
        return showForm(c, { values: fields, errors: parsed.errors, formError, lostFiles }, 422)
      }
      const total = files.reduce((n, f) => n + f.size, 0)
      if (total > NOJS_MAX_BYTES || files.some((f) => f.size > config.maxFileBytes)) {
        return showForm(c, { values: fields, formError: tooLarge(c), lostFiles }, 413)
      }
      // Just before the costly part (Argon2id, sealing): the proof, or the no-JS delay and budget.
      const work = await formWork(c, guards, 'submit', fields)
      if (!work.ok) return showForm(c, { values: fields, formError: work.message }, work.status)

      let result: Awaited<ReturnType<ReporterService['submitServerSide']>>
      try {
        result = await reporter.submitServerSide(
          parsed.value,
          files,
          fields.formToken,
          fields.receiptKind,
          receiptWordListFor(c.var.lang)
        )
      } catch (err) {
        // Database down or any other fault: nothing half-stored counts, and nothing typed is lost.
        deps.log.error({ err }, 'report could not be stored')
        return showForm(c, { values: fields, formError: t.report.notSaved, lostFiles }, 503)
      }
      if (!result.ok) {
        if (result.error.error === 'no-officer') return showForm(c)
        if (result.error.status === 400) {
          return showForm(c, { values: fields, formError: t.report.formBroken, lostFiles }, 400)
        }
        return showForm(c, { values: fields, formError: t.report.formExpired, lostFiles }, 409)
      }
      const { receipt, receivedAt } = result.value
      const { token, positions, digits } = receiptCheck.issue(receipt)
      return showCheck(c, token, positions, digits, receivedDay(receivedAt), {
        words: receiptParts(receipt),
        lang: receiptKind(receipt) === 'digits' ? undefined : receiptWordList(receipt),
        head: formatThreadHead(result.value.head),
        ack: await acknowledgement(c, receivedAt),
      })
    }
  )

  /**
   * The receipt, shown exactly once, with a type-back check (the page is no-store). Asked
   * again after a wrong answer, the page has only the check: the receipt is not sent twice, nor
   * the thread head that came with it.
   */
  const showCheck = (
    c: Context<AppEnv>,
    token: string,
    positions: number[],
    digits: boolean,
    day: string,
    shown?: {
      words: string[]
      lang: string | undefined
      head: string | undefined
      ack: Awaited<ReturnType<typeof acknowledgement>>
    }
  ) => {
    const t = c.var.t
    return render(
      c,
      config,
      { page: 'pages/report/receipt', title: shown ? t.report.receiptTitle : t.report.checkTitle },
      {
        words: shown?.words,
        receiptLang: shown?.lang,
        head: shown?.head,
        digits,
        partLabel: digits ? t.report.groupLabel : t.report.wordLabel,
        positions,
        check: token,
        receivedDay: day,
        ...shown?.ack,
        wrong: !shown,
        serverEncrypted: true,
        org: reporter.anchoredOrgFingerprints(),
        scripts: ['/static/js/report.entry.js'],
        checkText: (digits ? t.report.receiptCheckDigits : t.report.receiptCheck)
          .replace('{a}', String(positions[0]))
          .replace('{b}', String(positions[1])),
      },
      shown ? 200 : 422
    )
  }

  const showUnconfirmed = (c: Context<AppEnv>, message: string, status: 400 | 409 | 422) =>
    render(
      c,
      config,
      { page: 'pages/report/unconfirmed', title: c.var.t.report.confirmGoneTitle },
      { message },
      status
    )

  // Read leniently (never fails): a missing word is a wrong one, a missing check a broken form.
  app.post(
    '/confirm',
    valid('form', confirmForm, (c) => c.text('', 400)),
    async (c) => {
      const t = c.var.t
      const form = c.req.valid('form')
      const field = (name: string) => form[name] ?? ''
      const result = await receiptCheck.check(field('check'), (n) => field(`word_${n}`))
      // The day it was received, for the acknowledgement's dates (a display value only).
      const day = fromReceivedDay(field('on'), clock.now()) ? field('on') : receivedDay(clock.now())
      switch (result.status) {
        case 'ok':
          return c.redirect(localPath(c, `/report/done?on=${day}`, config.defaultLanguage), 303)
        case 'wrong':
          return showCheck(c, result.token, result.positions, result.digits, day)
        case 'exhausted':
          return showUnconfirmed(c, t.report.confirmTooMany, 422)
        case 'spent':
          return showUnconfirmed(c, t.report.confirmGone, 409)
        case 'malformed':
          return showUnconfirmed(c, t.report.confirmBroken, 400)
      }
    }
  )

  /** The acknowledgement's template data for a report received at `receivedAt` (no case at hand). */
  const acknowledgement = async (c: Context<AppEnv>, receivedAt: Date) => ({
    ack: ackView(c.var.t, c.var.lang, reporter.expectedAcknowledgement(receivedAt, 'web-nojs')),
    org: await reporter.orgFingerprints(),
    statusUrl: siteUrl(c, config) + localPath(c, '/status', config.defaultLanguage),
  })

  // After the no-JS confirmation: the printable acknowledgement (?print=1: that section only).
  app.get(
    '/done',
    valid('query', doneQuery, (c) => c.redirect('/report/done', 303)),
    async (c) => {
      const { on, print } = c.req.valid('query')
      const receivedAt = fromReceivedDay(on, clock.now()) ?? clock.now()
      const day = receivedDay(receivedAt)
      const printView = print === '1'
      const page = `/report/done?on=${day}`
      return render(
        c,
        config,
        { page: 'pages/report/done', title: c.var.t.report.doneTitle },
        {
          ...(await acknowledgement(c, receivedAt)),
          printView,
          backHref: localPath(c, page, config.defaultLanguage),
          printHref: printView
            ? undefined
            : localPath(c, `${page}&print=1`, config.defaultLanguage),
          scripts: ['/static/js/report.entry.js'],
        }
      )
    }
  )

  return app
}

/** "Fill in: your name, how to reach you" when a confidential report lacks contact fields. */
function contactError(c: Context<AppEnv>, errors: FieldErrors): string | undefined {
  const missing = defaultQuestionnaire.contact.filter((q) => errors[`c_${q.id}`] === 'required')
  if (missing.length === 0) return undefined
  const names = missing.map((q) => `«${q.label[c.var.lang]}»`).join(', ')
  return c.var.t.reporter.contact.missing.replace('{fields}', names)
}

function lostFilesText(c: Context<AppEnv>, names: string[] | undefined): string | undefined {
  if (!names || names.length === 0) return undefined
  return c.var.t.reporter.fileLost.replace('{names}', names.join(', '))
}

export function tooLarge(c: Context<AppEnv>) {
  return c.var.t.report.tooLarge.replace('{nojs}', formatSize(NOJS_MAX_BYTES, c.var.lang))
}

/** JSON inside <script type="application/json">: '<' escaped so no </script> can break out. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

export function localPath(c: Context<AppEnv>, path: string, defaultLanguage: Language): string {
  return localHref(path, c.var.lang, defaultLanguage)
}
