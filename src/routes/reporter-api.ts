// The reporter's JSON API (contract in src/report/api.ts). Used only by the browser bundles:
// everything that arrives is ciphertext, public keys or the receipt's auth key.
import { Hono, type Context } from 'hono'
import type { ZodType } from 'zod'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { jsonBodyLimit } from '../http/json-body'
import { sealedRefusal, validJson } from '../http/validate'
import { uploadRoutes } from '../http/uploads'
import { requireWork } from '../http/work'
import type { ApiError } from '../report/api'
import { addItemRequest, statusLoginRequest, submitReportRequest } from '../report/requests'
import type { Failure, ReporterService } from '../report/service'
import type { WorkCheck } from '../report/work'
import type { Session } from '../store/types'

type ApiEnv = AppEnv & { Variables: AppEnv['Variables'] & { session: Session } }
// Any path, any validated input: these helpers only touch headers and write JSON.
type Ctx = Context<ApiEnv, string, object>

const JSON_LIMIT = 4 * 1024 * 1024

export function reporterApi(deps: AppDeps, reporter: ReporterService, work: WorkCheck) {
  const { store } = deps
  const app = new Hono<ApiEnv>()

  const problem = (c: Ctx, f: Failure) => {
    if (f.retryAfter) c.header('Retry-After', String(f.retryAfter))
    const { status, retryAfter: _r, ...body } = f
    return c.json(body, status)
  }
  const bad = (c: Ctx, status: Failure['status'], error: ApiError['error'], message: string) =>
    problem(c, { status, error, message })
  const jsonLimit = jsonBodyLimit(JSON_LIMIT)
  const body = <T extends ZodType>(schema: T, malformed: string) =>
    validJson<T, ApiEnv>(schema, (c, why) => c.json(sealedRefusal(why, malformed), 400))

  // Proof of work first (src/http/work.ts): without it the service is never called.
  app.post(
    '/report',
    jsonLimit,
    requireWork(work, 'submit'),
    body(submitReportRequest, 'The encrypted report is malformed'),
    async (c) => {
      const r = await reporter.submitSealed(c.req.valid('json'))
      return r.ok ? c.json(r.value, 201) : problem(c, r.error)
    }
  )

  app.post(
    '/status/login',
    jsonLimit,
    requireWork(work, 'receipt'),
    body(statusLoginRequest, 'authKey must be 32 bytes of base64'),
    async (c) => {
      const r = await reporter.loginWithAuthKey(c.req.valid('json'))
      return r.ok ? c.json(r.value) : problem(c, r.error)
    }
  )

  // Everything under /api/r/ needs the bearer token of a reporter session.
  app.use('/r/*', async (c, next) => {
    const auth = c.req.header('Authorization') ?? ''
    const session = await reporter.sessionForToken(
      auth.startsWith('Bearer ') ? auth.slice(7) : undefined
    )
    if (!session) {
      return c.json({ error: 'unauthorized', message: 'Sign in again with your receipt' }, 401)
    }
    c.set('session', session)
    await next()
  })

  const caseOf = (c: Ctx) => c.var.session.caseId!

  app.get('/r/case', async (c) => {
    const found = await store.cases.get(caseOf(c))
    if (!found) return bad(c, 401, 'unauthorized', 'Sign in again with your receipt')
    return c.json(await reporter.caseView(found))
  })

  app.post(
    '/r/items',
    jsonLimit,
    body(addItemRequest, 'The encrypted item is malformed'),
    async (c) => {
      const r = await reporter.addSealedItem(caseOf(c), c.req.valid('json'))
      return r.ok ? c.json(r.value, 201) : problem(c, r.error)
    }
  )

  // Attachments of this session's case, in resumable encrypted pieces (src/http/uploads.ts).
  app.route(
    '/r',
    uploadRoutes<ApiEnv>(deps, { caseOf: (c) => Promise.resolve(c.var.session.caseId ?? null) })
  )

  app.post('/r/logout', async (c) => {
    await store.sessions.delete(c.var.session.id)
    return c.body(null, 204)
  })

  return app
}
