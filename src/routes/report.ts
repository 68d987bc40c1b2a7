// The report form. Without JavaScript it posts here and the server seals in memory; with
// JavaScript, src/browser/report.entry.ts seals in the browser and uses the JSON API instead.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import nacl from 'tweetnacl'
import { checkReceiptChallenge, pickChallengePositions, receiptParts } from '../../crypto/receipt'
import type { AppDeps } from '../deps'
import type { Language } from '../config'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { render } from '../http/render'
import { defaultQuestionnaire, parseReportForm, type FieldErrors } from '../report/questions'
import type { ReporterService } from '../report/service'

/** Files that go through the server path (no JavaScript) together, at most. */
export const NOJS_MAX_BYTES = 25 * 1024 * 1024
const PENDING_TTL_MS = 2 * 60 * 60 * 1000

export function reportRoutes(deps: AppDeps, reporter: ReporterService) {
  const { config, secrets, clock } = deps
  const app = new Hono<AppEnv>()
  const questionnaire = defaultQuestionnaire

  const showForm = async (
    c: Context<AppEnv>,
    state: { values?: Record<string, string>; errors?: FieldErrors; formError?: string } = {},
    status: 200 | 409 | 413 | 422 | 503 = 200
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

      let result: Awaited<ReturnType<ReporterService['submitServerSide']>>
      try {
        result = await reporter.submitServerSide(parsed.value, files, fields.formToken ?? '')
      } catch (err) {
        // Database down or any other fault: nothing half-stored counts, and nothing typed is lost.
        deps.log.error({ err }, 'report could not be stored')
        return showForm(c, { values: fields, formError: t.report.notSaved }, 503)
      }
      if (!result.ok) {
        if (result.error.error === 'no-officer') return showForm(c)
        return showForm(c, { values: fields, formError: t.report.formExpired }, 409)
      }
      return showReceipt(c, result.value.receipt, result.value.caseId, false)
    }
  )

  /** The receipt, once, with a type-back check. The page is no-store and never cached. */
  const showReceipt = (
    c: Context<AppEnv>,
    receipt: string,
    caseId: string,
    wrong: boolean,
    positions?: number[]
  ) => {
    const t = c.var.t
    const words = receiptParts(receipt)
    const pos = positions ?? pickChallengePositions(receipt, 2)
    const pending = sealPending({
      receipt,
      caseId,
      positions: pos,
      exp: clock.now().getTime() + PENDING_TTL_MS,
    })
    return render(
      c,
      config,
      { page: 'pages/report/receipt', title: t.report.receiptTitle },
      {
        words,
        positions: pos,
        pending,
        wrong,
        serverEncrypted: true,
        org: reporter.anchoredOrgFingerprints(),
        checkText: t.report.receiptCheck
          .replace('{a}', String(pos[0]))
          .replace('{b}', String(pos[1])),
      },
      wrong ? 422 : 200
    )
  }

  app.post('/report/confirm', async (c) => {
    const form = await c.req.parseBody()
    const pending = openPending(typeof form.pending === 'string' ? form.pending : '')
    if (!pending || pending.exp < clock.now().getTime()) {
      return c.redirect(localPath(c, '/report/done', config.defaultLanguage), 303)
    }
    const typed = pending.positions.map((n) =>
      typeof form[`word_${n}`] === 'string' ? (form[`word_${n}`] as string) : ''
    )
    const ok = checkReceiptChallenge(pending.receipt, pending.positions, typed)
    if (!ok) return showReceipt(c, pending.receipt, pending.caseId, true, pending.positions)
    return c.redirect(localPath(c, '/report/done', config.defaultLanguage), 303)
  })

  app.get('/report/done', (c) =>
    render(c, config, { page: 'pages/report/done', title: c.var.t.report.doneTitle })
  )

  // The pending receipt travels only inside the confirmation form, sealed under DATA_KEY.
  interface Pending {
    receipt: string
    caseId: string
    positions: number[]
    exp: number
  }
  function sealPending(p: Pending): string {
    const nonce = nacl.randomBytes(24)
    const box = nacl.secretbox(
      new TextEncoder().encode(JSON.stringify(p)),
      nonce,
      secrets.DATA_KEY.subarray(0, 32)
    )
    return Buffer.concat([nonce, box]).toString('base64url')
  }
  function openPending(text: string): Pending | null {
    const raw = Buffer.from(text, 'base64url')
    if (raw.length < 40) return null
    const plain = nacl.secretbox.open(
      raw.subarray(24),
      raw.subarray(0, 24),
      secrets.DATA_KEY.subarray(0, 32)
    )
    if (!plain) return null
    try {
      return JSON.parse(new TextDecoder().decode(plain)) as Pending
    } catch {
      return null
    }
  }

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
