// Coming back with the receipt, without JavaScript. The server derives the keys for this one
// request, keeps the case key only sealed under a key that lives in the reporter's cookie,
// and renders the opened thread. With JavaScript, src/browser/status.entry.ts does all of it
// in the browser through the JSON API and no cookie is set.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AttachmentManifest } from '../../crypto/attachment'
import { receiptProblem } from '../../crypto/receipt'
import { formatThreadHead, nextSeenHead } from '../../crypto/item'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { render } from '../http/render'
import { formFiles, formText, valid } from '../http/validate'
import { formWork, WORK_FIELD, type WorkGuards } from '../http/work'
import { defaultQuestionnaire } from '../report/questions'
import type { ReporterService } from '../report/service'
import { describeReceiptProblem } from '../lib/receipt-problem'
import { formatSize } from '../lib/sizes'
import { ackView } from './acknowledgement-view'
import { jsonForScript, localPath, NOJS_MAX_BYTES, tooLarge } from './report'

/** The receipt as typed, and the proof a script may add (src/http/work.ts). */
const receiptForm = z.object({ receipt: formText(400), [WORK_FIELD]: formText(1000) })
/** A no-JS reply: text, files or both (neither is answered with ?error=empty). */
const replyForm = z.object({
  text: formText(40_000).transform((v) => v.replace(/\r\n/g, '\n').trim().slice(0, 20000)),
  files: formFiles,
})
const caseQuery = z.object({ error: z.enum(['empty', 'too-large']).optional().catch(undefined) })

export function statusRoutes(deps: AppDeps, reporter: ReporterService, guards: WorkGuards) {
  const { config, store } = deps
  const app = new Hono<AppEnv>()
  const secure = config.publicUrl.startsWith('https:')
  // __Host- needs Secure, which plain-http development cannot give.
  const cookieName = secure ? '__Host-reporter' : 'reporter'
  const order = [...defaultQuestionnaire.questions, ...defaultQuestionnaire.contact].map(
    (q) => q.id
  )
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
  const labels = new Map(
    defaultQuestionnaire.questions.concat(defaultQuestionnaire.contact).map((q) => [q.id, q])
  )
  const back = (c: Context<AppEnv>, path: string) =>
    c.redirect(localPath(c, path, config.defaultLanguage), 303)

  /** A live no-JS session (the JS path's bearer sessions carry no data): offer to sign out. */
  const hasSession = async (c: Context<AppEnv>) => {
    const token = getCookie(c, cookieName)?.split('.')[0]
    return !!(await reporter.sessionForToken(token))?.data
  }

  const showLogin = async (
    c: Context<AppEnv>,
    error?: string,
    status: 200 | 400 | 401 | 409 | 429 = 200
  ) =>
    render(
      c,
      config,
      { page: 'pages/status/login', title: c.var.t.status.title },
      {
        error,
        signedIn: await hasSession(c),
        configJson: jsonForScript(await reporter.pageConfig(c.var.lang, false)),
        scripts: ['/static/js/status.entry.js'],
        styles: ['/static/css/browser.css'],
      },
      status
    )

  app.get('/', (c) => showLogin(c))

  // Read leniently (never fails): a missing or malformed receipt is counted like a wrong one.
  app.post(
    '/',
    valid('form', receiptForm, (c) => showLogin(c)),
    async (c) => {
      const form = c.req.valid('form')
      const { receipt } = form
      // The proof, or the no-JS delay and budget, before the receipt is derived (Argon2id).
      const work = await formWork(c, guards, 'receipt', form)
      if (!work.ok) return showLogin(c, work.message, work.status)
      const result = await reporter.loginWithReceipt(receipt)
      if (!result.ok) {
        if (result.error.status === 429) {
          c.header('Retry-After', String(result.error.retryAfter ?? 60))
          return showLogin(c, c.var.t.status.slowDown, 429)
        }
        // Counted by the guard like any wrong receipt; a malformed one also says what to fix.
        const problem = receiptProblem(receipt)
        return showLogin(
          c,
          problem
            ? describeReceiptProblem(c.var.t.reporter.receiptProblems, problem)
            : c.var.t.status.noMatch,
          401
        )
      }
      setCookie(c, cookieName, result.value.cookie, {
        path: '/',
        httpOnly: true,
        secure,
        sameSite: 'Strict',
        // A session cookie (no Max-Age): closing the browser ends it; the server ends it after
        // SESSION_IDLE_MS without use, and at COOKIE_SESSION_TTL_MS at the latest.
      })
      return back(c, '/status/case')
    }
  )

  app.get(
    '/case',
    valid('query', caseQuery, (c) => back(c, '/status/case')),
    async (c) => {
      const unlocked = await reporter.unlockCookie(getCookie(c, cookieName))
      if (!unlocked) return back(c, '/status')
      const found = await store.cases.get(unlocked.session.caseId!).catch((err: unknown) => {
        wipe(unlocked)
        throw err
      })
      if (!found) {
        wipe(unlocked)
        return back(c, '/status')
      }
      const seen = unlocked.secrets.seen
      let opened: Awaited<ReturnType<ReporterService['openThread']>>
      try {
        opened = await reporter.openThread(found, unlocked.secrets.caseSecretKey, seen)
        // The next view is compared with the head shown now (or still with the older one, if cut).
        await reporter.rememberHead(unlocked, nextSeenHead(seen, opened.report))
      } finally {
        wipe(unlocked)
      }
      const { items, gaps, report } = opened
      const lang = c.var.lang
      const dateFormat = new Intl.DateTimeFormat(lang === 'uk' ? 'uk-UA' : 'en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Europe/Kyiv',
      })
      const entries = items.map(({ item, envelope, verified, problem }) => {
        const base = {
          authorRole: item.authorRole,
          createdAt: item.createdAt.toISOString(),
          createdAtText: dateFormat.format(item.createdAt),
          verified,
          problem,
        }
        if (!envelope) return base
        const body = envelope.body as Record<string, unknown>
        if (envelope.type === 'answers') {
          const answers = Object.entries({
            ...(body.answers as Record<string, string>),
            ...((body.contact as Record<string, string> | undefined) ?? {}),
          })
            // Canonical JSON sorted the keys: put them back in questionnaire order.
            .sort(([a], [b]) => rank(a) - rank(b))
            .map(([id, value]) => {
              const q = labels.get(id)
              const option = q?.options?.find((o) => o.value === value)
              return { label: q?.label[lang] ?? id, value: option?.label[lang] ?? value }
            })
          return { ...base, answers }
        }
        if (envelope.type === 'attachment') {
          const files = ((body.files as AttachmentManifest[] | undefined) ?? []).map((f) => ({
            name: f.name,
            // The real size from the sealed manifest, not the padded ciphertext's.
            sizeText: formatSize(f.size, lang),
          }))
          return { ...base, files }
        }
        return { ...base, text: typeof body.text === 'string' ? body.text : '' }
      })
      return render(
        c,
        config,
        { page: 'pages/status/case', title: c.var.t.status.caseTitle },
        {
          state: found.state,
          encMode: found.encMode,
          dates: ackView(c.var.t, lang, reporter.caseAcknowledgement(found)),
          gaps,
          rolledBack: report.behindSeen || report.seenReplaced,
          head: report.head ? formatThreadHead(report.head) : undefined,
          entries,
          replyError: replyErrors(c)[c.req.valid('query').error ?? ''],
        }
      )
    }
  )

  app.post(
    '/case/reply',
    bodyLimit({
      maxSize: NOJS_MAX_BYTES + 1024 * 1024,
      onError: (c) => c.redirect('/status/case?error=too-large', 303),
    }),
    valid('form', replyForm, (c) => back(c, '/status/case')),
    async (c) => {
      const unlocked = await reporter.unlockCookie(getCookie(c, cookieName))
      if (!unlocked) return back(c, '/status')
      try {
        const found = await store.cases.get(unlocked.session.caseId!)
        if (!found) return back(c, '/status')
        const { text, files } = c.req.valid('form')
        if (!text && files.length === 0) {
          const path = localPath(c, '/status/case', config.defaultLanguage)
          return c.redirect(`${path}${path.includes('?') ? '&' : '?'}error=empty`, 303)
        }
        await reporter.addServerSideMessage(found, unlocked.secrets, text, files)
        return back(c, '/status/case')
      } finally {
        wipe(unlocked)
      }
    }
  )

  app.post('/logout', async (c) => {
    await reporter.logout(getCookie(c, cookieName))
    deleteCookie(c, cookieName, { path: '/', secure })
    return back(c, '/')
  })

  return app
}

/** The keys a no-JS request unlocked from the session and the cookie key, zeroed once done. */
function wipe(unlocked: {
  secrets: { caseSecretKey: Uint8Array; signSecretKey: Uint8Array }
  key?: Uint8Array
}): void {
  unlocked.secrets.caseSecretKey.fill(0)
  unlocked.secrets.signSecretKey.fill(0)
  unlocked.key?.fill(0)
}

/** Messages for the ?error= a failed no-JS reply redirects back with. */
function replyErrors(c: Context<AppEnv>): Record<string, string | undefined> {
  return {
    empty: c.var.t.status.replyEmpty,
    'too-large': tooLarge(c),
  }
}
