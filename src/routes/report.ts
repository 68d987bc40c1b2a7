// The report form. Without JavaScript it posts here and the server seals in memory; with
// JavaScript, src/browser/report.entry.ts seals in the browser and uses the JSON API instead.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { formatThreadHead } from '../../crypto/item'
import {
  receiptKind,
  receiptParts,
  receiptWordList,
  receiptWordListFor,
} from '../../crypto/receipt'
import type { AppDeps } from '../deps'
import type { Language } from '../config'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { render } from '../http/render'
import { formWork, honeypotFilled, type WorkGuards } from '../http/work'
import { defaultQuestionnaire, parseReportForm, type FieldErrors } from '../report/questions'
import { createReceiptCheck } from '../report/receipt-check'
import type { ReporterService } from '../report/service'

/** Files that go through the server path (no JavaScript) together, at most. */
export const NOJS_MAX_BYTES = 25 * 1024 * 1024

export function reportRoutes(deps: AppDeps, reporter: ReporterService, guards: WorkGuards) {
  const { config, secrets, clock, random, store } = deps
  const app = new Hono<AppEnv>()
  const receiptCheck = createReceiptCheck({ secrets, clock, random, tokens: store.tokens })
  const questionnaire = defaultQuestionnaire

  const showForm = async (
    c: Context<AppEnv>,
    state: { values?: Record<string, string>; errors?: FieldErrors; formError?: string } = {},
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
        formToken: pageConfig.formToken,
        officers: pageConfig.officers,
        configJson: jsonForScript(pageConfig),
        limitsText: t.report.filesLimits
          .replace('{file}', mib(config.maxFileBytes))
          .replace('{total}', mib(config.maxReportBytes))
          .replace('{nojs}', mib(NOJS_MAX_BYTES)),
        scripts: ['/static/js/report.entry.js'],
        styles: ['/static/css/browser.css'],
      },
      status
    )
  }

  app.get('/report', (c) => showForm(c))

  app.post(
    '/report',
    bodyLimit({
      maxSize: NOJS_MAX_BYTES + 1024 * 1024,
      onError: (c) =>
        showForm(c as Context<AppEnv>, { formError: tooLarge(c as Context<AppEnv>) }, 413),
    }),
    async (c) => {
      const t = c.var.t
      const form = await c.req.parseBody({ all: true })
      const fields: Record<string, string> = {}
      for (const [k, v] of Object.entries(form)) if (typeof v === 'string') fields[k] = v
      const files = ([] as unknown[])
        .concat(form.files ?? [])
        .filter((f): f is File => f instanceof File && f.size > 0)

      // A filled honeypot is refused, not accepted and dropped: a person whose browser filled
      // it by mistake keeps the text and learns why; a bot learns nothing it can use.
      if (honeypotFilled(form)) {
        return showForm(c, { values: fields, formError: t.work.honeypotFilled }, 400)
      }
      const parsed = parseReportForm(fields, questionnaire)
      if (!parsed.ok) {
        return showForm(
          c,
          { values: fields, errors: parsed.errors, formError: t.report.fixErrors },
          422
        )
      }
      const total = files.reduce((n, f) => n + f.size, 0)
      if (total > NOJS_MAX_BYTES || files.some((f) => f.size > config.maxFileBytes)) {
        return showForm(c, { values: fields, formError: tooLarge(c) }, 413)
      }
      // Just before the costly part (Argon2id, sealing): the proof, or the no-JS delay and budget.
      const work = await formWork(c, guards, 'submit', fields)
      if (!work.ok) return showForm(c, { values: fields, formError: work.message }, work.status)

      let result: Awaited<ReturnType<ReporterService['submitServerSide']>>
      try {
        result = await reporter.submitServerSide(
          parsed.value,
          files,
          fields.formToken ?? '',
          fields.receiptKind === 'digits' ? 'digits' : 'words',
          receiptWordListFor(c.var.lang)
        )
      } catch (err) {
        // Database down or any other fault: nothing half-stored counts, and nothing typed is lost.
        deps.log.error({ err }, 'report could not be stored')
        return showForm(c, { values: fields, formError: t.report.notSaved }, 503)
      }
      if (!result.ok) {
        if (result.error.error === 'no-officer') return showForm(c)
        if (result.error.status === 400) {
          return showForm(c, { values: fields, formError: t.report.formBroken }, 400)
        }
        return showForm(c, { values: fields, formError: t.report.formExpired }, 409)
      }
      const { receipt } = result.value
      const { token, positions, digits } = receiptCheck.issue(receipt)
      return showCheck(c, token, positions, digits, {
        words: receiptParts(receipt),
        lang: receiptKind(receipt) === 'digits' ? undefined : receiptWordList(receipt),
        head: formatThreadHead(result.value.head),
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
    shown?: { words: string[]; lang: string | undefined; head: string | undefined }
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
        wrong: !shown,
        serverEncrypted: true,
        org: reporter.anchoredOrgFingerprints(),
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

  app.post('/report/confirm', async (c) => {
    const t = c.var.t
    const form = await c.req.parseBody()
    const field = (name: string) => (typeof form[name] === 'string' ? form[name] : '')
    const result = await receiptCheck.check(field('check'), (n) => field(`word_${n}`))
    switch (result.status) {
      case 'ok':
        return c.redirect(localPath(c, '/report/done', config.defaultLanguage), 303)
      case 'wrong':
        return showCheck(c, result.token, result.positions, result.digits)
      case 'exhausted':
        return showUnconfirmed(c, t.report.confirmTooMany, 422)
      case 'spent':
        return showUnconfirmed(c, t.report.confirmGone, 409)
      case 'malformed':
        return showUnconfirmed(c, t.report.confirmBroken, 400)
    }
  })

  app.get('/report/done', (c) =>
    render(c, config, { page: 'pages/report/done', title: c.var.t.report.doneTitle })
  )

  return app
}

function tooLarge(c: Context<AppEnv>) {
  return c.var.t.report.tooLarge.replace('{nojs}', mib(NOJS_MAX_BYTES))
}

export function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`
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
