// The officer's JSON API (contract in src/officer/api.ts), used by the officer bundle only.
// What comes in is ciphertext, public keys and sealed grants; what goes out is ciphertext for
// the officer's own grants. Each fetch of ciphertext is a "decrypt request" in the audit trail.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { staffOf } from '../http/staff'
import { uploadRoutes } from '../http/uploads'
import type { OfficerApiError } from '../officer/api'
import type { OfficerCases } from '../officer/cases'
import type { ApiFailure, OfficerSealed } from '../officer/sealed'
import { isAccountId } from '../officer/validate'
import { isId } from '../report/ids'

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

  /** JSON only: a cross-site page cannot send application/json without a CORS preflight we never answer. */
  const readJson = async (c: Ctx): Promise<unknown> => {
    if (!c.req.header('Content-Type')?.startsWith('application/json')) return undefined
    try {
      return await c.req.json()
    } catch {
      return undefined
    }
  }
  const jsonLimit = bodyLimit({
    maxSize: JSON_LIMIT,
    onError: (c) => c.json({ error: 'bad-request', message: 'Request too large' }, 413),
  })
  // The reporter's limits: one file, and everything uploaded to the case together.

  app.get('/officer/api/cases/:caseId', async (c) => {
    const r = await sealed.caseView(staffOf(c), c.req.param('caseId'))
    return r.ok ? c.json(r.value) : problem(c, r.error)
  })

  app.get('/officer/api/titles', async (c) => {
    const ids = (c.req.query('ids') ?? '').split(',').filter(isId)
    return c.json({ cases: await sealed.titles(staffOf(c), ids) })
  })

  app.post('/officer/api/cases/:caseId/items', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 'bad-request', 'Expected a JSON body')
    const r = await sealed.addItem(staffOf(c), c.req.param('caseId'), body)
    return r.ok ? c.json(r.value, 201) : problem(c, r.error)
  })

  app.post('/officer/api/cases/:caseId/note-key', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 'bad-request', 'Expected a JSON body')
    const r = await sealed.setNoteKey(staffOf(c), c.req.param('caseId'), body)
    return r.ok ? c.json(r.value, 201) : problem(c, r.error)
  })

  app.post('/officer/api/cases/:caseId/grants', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 'bad-request', 'Expected a JSON body')
    const r = await sealed.grant(staffOf(c), c.req.param('caseId'), body)
    return r.ok ? c.json(r.value, 201) : problem(c, r.error)
  })

  // Attachments: the reporter's resumable protocol, for a case I hold (else 404, as everywhere
  // here). Completing an upload and fetching ciphertext are audited.
  app.route(
    '/officer/api/cases/:caseId',
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

  app.get('/officer/api/handover', async (c) => {
    const from = c.req.query('from')
    const to = c.req.query('to')
    const after = c.req.query('after')
    if (
      !isAccountId(from) ||
      !isAccountId(to) ||
      (after !== undefined && after !== '' && !isId(after))
    ) {
      return bad(c, 'bad-request', 'Expected from, to and an optional case id cursor')
    }
    const r = await sealed.handoverBatch(staffOf(c), from, to, after || undefined)
    return r.ok ? c.json(r.value) : problem(c, r.error)
  })

  app.post('/officer/api/handover', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 'bad-request', 'Expected a JSON body')
    const r = await sealed.handover(staffOf(c), body)
    return r.ok ? c.json(r.value) : problem(c, r.error)
  })

  app.post('/officer/api/intake', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 'bad-request', 'Expected a JSON body')
    const r = await sealed.intake(staffOf(c), body)
    return r.ok ? c.json(r.value, 201) : problem(c, r.error)
  })

  return app
}
