// The officer's JSON API (contract in src/officer/api.ts), used by the officer bundle only.
// What comes in is ciphertext, public keys and sealed grants; what goes out is ciphertext for
// the officer's own grants. Each fetch of ciphertext is a "decrypt request" in the audit trail.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import type { OfficerApiError } from '../officer/api'
import type { OfficerCases } from '../officer/cases'
import type { ApiFailure, OfficerSealed } from '../officer/sealed'
import { isAccountId } from '../officer/validate'
import { isId } from '../report/ids'
import { MAX_PIECE_BYTES } from '../report/service'
import { DuplicateError } from '../store/types'
import { ciphertextLimit } from './reporter-api'

type Ctx = Context<AppEnv, string, object>

const JSON_LIMIT = 6 * 1024 * 1024

export function officerApi(
  deps: Pick<AppDeps, 'store' | 'clock' | 'config'>,
  cases: OfficerCases,
  sealed: OfficerSealed
) {
  const { store, clock, config } = deps
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
  const staffOf = (c: Ctx) => c.var.staff!
  // The reporter's limits: one file, and everything uploaded to the case together.
  const maxFileCiphertext = ciphertextLimit(config.maxFileBytes)
  const maxReportCiphertext = ciphertextLimit(config.maxReportBytes)

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

  // Uploads: the reporter's resumable protocol, for a case I hold (else 404, as everywhere here).
  app.post('/officer/api/cases/:caseId/blobs', jsonLimit, async (c) => {
    const found = await cases.caseFor(staffOf(c).account.id, c.req.param('caseId'))
    if (!found) return bad(c, 'not-found', 'No such case among yours', 404)
    const body = (await readJson(c)) as { blobId?: unknown } | undefined
    if (!body || !isId(body.blobId) || Object.keys(body).length !== 1) {
      return bad(c, 'bad-request', 'Expected { blobId }')
    }
    try {
      await store.blobs.begin(body.blobId, found.id, clock.now())
    } catch (err) {
      if (err instanceof DuplicateError) return bad(c, 'duplicate', 'This upload id exists', 409)
      throw err
    }
    return c.json({ blobId: body.blobId }, 201)
  })

  /** The case (held by me) and a blob of that very case; null for anything else. */
  const caseBlob = async (c: Ctx) => {
    const found = await cases.caseFor(staffOf(c).account.id, c.req.param('caseId') ?? '')
    const blobId = c.req.param('blobId')
    const info = found && isId(blobId) ? await store.blobs.info(blobId) : null
    return found && info && info.caseId === found.id ? { found, info } : null
  }

  app.get('/officer/api/cases/:caseId/blobs/:blobId', async (c) => {
    const r = await caseBlob(c)
    if (!r) return bad(c, 'not-found', 'No such upload', 404)
    return c.json({ pieces: await store.blobs.pieces(r.info.id), complete: r.info.complete })
  })

  app.put(
    '/officer/api/cases/:caseId/blobs/:blobId/:index',
    bodyLimit({
      maxSize: MAX_PIECE_BYTES,
      onError: (c) => c.json({ error: 'too-large', message: 'Piece too large' }, 413),
    }),
    async (c) => {
      const r = await caseBlob(c)
      if (!r) return bad(c, 'not-found', 'No such upload', 404)
      const index = Number(c.req.param('index'))
      if (!Number.isInteger(index) || index < 0 || index > 1_000_000) {
        return bad(c, 'bad-request', 'Bad piece index')
      }
      const data = new Uint8Array(await c.req.arrayBuffer())
      if (data.length === 0) return bad(c, 'bad-request', 'Empty piece')
      const used = await store.blobs.bytesForCase(r.found.id)
      if (used + data.length > maxReportCiphertext) {
        return bad(c, 'too-large', 'The case is over its size limit', 413)
      }
      await store.blobs.putPiece(r.info.id, index, data)
      return c.body(null, 204)
    }
  )

  app.post('/officer/api/cases/:caseId/blobs/:blobId/complete', jsonLimit, async (c) => {
    const r = await caseBlob(c)
    if (!r) return bad(c, 'not-found', 'No such upload', 404)
    const body = (await readJson(c)) as { count?: unknown } | undefined
    const count = body?.count
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      return bad(c, 'bad-request', 'Expected { count }')
    }
    let done
    try {
      done = await store.blobs.complete(r.info.id, count)
    } catch {
      return bad(c, 'incomplete', 'Some pieces are missing')
    }
    if (done.size > maxFileCiphertext) {
      await store.blobs.delete(r.info.id)
      return bad(c, 'too-large', 'The file is over its size limit', 413)
    }
    // Only the id and the ciphertext size: what the file is stays sealed in the item.
    await cases.record(staffOf(c), 'case.attach', r.found.id, {
      blobId: r.info.id,
      size: done.size,
    })
    return c.json({ size: done.size, sha256: done.sha256 })
  })

  // An attachment's ciphertext, only for a case the officer holds and a blob of that case.
  app.get('/officer/api/cases/:caseId/blobs/:blobId/data', async (c) => {
    const staff = staffOf(c)
    const found = await cases.caseFor(staff.account.id, c.req.param('caseId'))
    const blobId = c.req.param('blobId')
    const info = found && isId(blobId) ? await store.blobs.info(blobId) : null
    if (!found || !info?.complete || info.caseId !== found.id) {
      return bad(c, 'not-found', 'No such file', 404)
    }
    await cases.record(staff, 'case.decrypt-request', found.id, { blobId: info.id })
    const pieces = store.blobs.read(info.id)
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        for await (const piece of pieces) controller.enqueue(piece)
        controller.close()
      },
    })
    return c.body(stream, 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(info.size),
    })
  })

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
