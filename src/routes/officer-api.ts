// The officer's JSON API (contract in src/officer/api.ts), used by the officer bundle only.
// What comes in is ciphertext, public keys and sealed grants; what goes out is ciphertext for
// the officer's own grants. Each fetch of ciphertext is a "decrypt request" in the audit trail.
import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z, type ZodType } from 'zod'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { jsonBodyLimit } from '../http/json-body'
import { staffOf } from '../http/staff'
import { uploadRoutes } from '../http/uploads'
import { sealedRefusal, valid, validJson } from '../http/validate'
import type { OfficerApiError } from '../officer/api'
import type { OfficerCases } from '../officer/cases'
import type { ApiFailure, ApiResult, OfficerSealed } from '../officer/sealed'
import {
  grantRequest,
  handoverQuery,
  handoverRequest,
  intakeRequest,
  noteKeyRequest,
  officerItemRequest,
  titlesQuery,
} from '../officer/validate'
import { id } from '../report/requests'

type Ctx = Context<AppEnv, string, object>

const JSON_LIMIT = 6 * 1024 * 1024

export function officerApi(
  deps: Pick<AppDeps, 'store' | 'clock' | 'config'>,
  cases: OfficerCases,
  sealed: OfficerSealed
) {
  const app = new Hono<AppEnv>()

  const problem = (c: Ctx, f: ApiFailure) => {
    const { status, ...body } = f
    return c.json(body, status)
  }
  const bad = (
    c: Ctx,
    error: OfficerApiError['error'],
    message: string,
    status: ApiFailure['status'] = 400
  ) => problem(c, { status, error, message })

  // JSON only (the one reader, src/http/json-body.ts): a cross-site page cannot send
  // application/json without a CORS preflight we never answer. Over the limit: the same 413 as
  // every JSON route.
  const jsonLimit = jsonBodyLimit(JSON_LIMIT)
  const body = <T extends ZodType>(schema: T, malformed: string) =>
    validJson(schema, (c, why) => c.json(sealedRefusal(why, malformed), 400))
  const notFound = (c: Ctx) => bad(c, 'not-found', 'No such case among yours', 404)
  const caseParam = valid('param', z.object({ caseId: id }), notFound)
  /** A case I hold, before its body is read: anyone else gets the same 404 whatever they send. */
  const held = createMiddleware<AppEnv>(async (c, next) => {
    const caseId = c.req.param('caseId') ?? ''
    if (!(await cases.caseFor(staffOf(c).account.id, caseId))) return notFound(c)
    await next()
  })

  app.get('/api/cases/:caseId', caseParam, async (c) => {
    const r = await sealed.caseView(staffOf(c), c.req.valid('param').caseId)
    return r.ok ? c.json(r.value) : problem(c, r.error)
  })

  app.get(
    '/api/titles',
    valid('query', titlesQuery, (c) => bad(c, 'bad-request', 'Expected ids=a,b,c')),
    async (c) => c.json({ cases: await sealed.titles(staffOf(c), c.req.valid('query').ids) })
  )

  // Every write to a case: within the limit, a case id, a case I hold, before the body is read.
  for (const path of ['items', 'note-key', 'grants']) {
    app.use(`/api/cases/:caseId/${path}`, jsonLimit, caseParam, held)
  }
  const created = <T>(c: Ctx, r: ApiResult<T>) =>
    r.ok ? c.json(r.value as object, 201) : problem(c, r.error)

  app.post(
    '/api/cases/:caseId/items',
    body(officerItemRequest, 'The sealed item is malformed'),
    async (c) =>
      created(c, await sealed.addItem(staffOf(c), c.req.param('caseId'), c.req.valid('json')))
  )
  app.post(
    '/api/cases/:caseId/note-key',
    body(noteKeyRequest, 'The note key is malformed'),
    async (c) =>
      created(c, await sealed.setNoteKey(staffOf(c), c.req.param('caseId'), c.req.valid('json')))
  )
  app.post('/api/cases/:caseId/grants', body(grantRequest, 'The grant is malformed'), async (c) =>
    created(c, await sealed.grant(staffOf(c), c.req.param('caseId'), c.req.valid('json')))
  )

  // Attachments: the reporter's resumable protocol, for a case I hold (else 404, as everywhere
  // here). Completing an upload and fetching ciphertext are audited.
  app.route(
    '/api/cases/:caseId',
    uploadRoutes<AppEnv>(deps, {
      caseOf: async (c) =>
        (await cases.caseFor(staffOf(c).account.id, c.req.param('caseId') ?? ''))?.id ?? null,
      completed: (c, caseId, info) =>
        // Only the id and the ciphertext size: what the file is stays sealed in the item.
        cases.record(staffOf(c), 'case.attach', caseId, { blobId: info.id, size: info.size }),
      downloading: (c, caseId, info) =>
        cases.record(staffOf(c), 'case.decrypt-request', caseId, { blobId: info.id }),
    })
  )

  app.get(
    '/api/handover',
    valid('query', handoverQuery, (c) =>
      bad(c, 'bad-request', 'Expected from, to and an optional case id cursor')
    ),
    async (c) => {
      const { from, to, after } = c.req.valid('query')
      const r = await sealed.handoverBatch(staffOf(c), from, to, after)
      return r.ok ? c.json(r.value) : problem(c, r.error)
    }
  )

  app.post(
    '/api/handover',
    jsonLimit,
    body(handoverRequest, 'The hand-over batch is malformed'),
    async (c) => {
      const r = await sealed.handover(staffOf(c), c.req.valid('json'))
      return r.ok ? c.json(r.value) : problem(c, r.error)
    }
  )

  app.post(
    '/api/intake',
    jsonLimit,
    body(intakeRequest, 'The registered report is malformed'),
    async (c) => {
      const r = await sealed.intake(staffOf(c), c.req.valid('json'))
      return r.ok ? c.json(r.value, 201) : problem(c, r.error)
    }
  )

  return app
}
