// The reporter's JSON API (contract in src/report/api.ts). Used only by the browser bundles:
// everything that arrives is ciphertext, public keys or the receipt's auth key.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import {
  ATTACHMENT_CHUNK_SIZE,
  FRAME_OVERHEAD,
  frameCount,
  paddedFileSize,
} from '../../crypto/attachment'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import type { ApiError } from '../report/api'
import { isId } from '../report/ids'
import { MAX_PIECE_BYTES, type Failure, type ReporterService } from '../report/service'
import { DuplicateError, type Session } from '../store/types'

type ApiEnv = AppEnv & { Variables: AppEnv['Variables'] & { session: Session } }
// Any path, any validated input: these helpers only touch headers and write JSON.
type Ctx = Context<ApiEnv, string, object>

const JSON_LIMIT = 4 * 1024 * 1024

export function reporterApi(deps: AppDeps, reporter: ReporterService) {
  const { store, clock, config } = deps
  const app = new Hono<ApiEnv>()

  const problem = (c: Ctx, f: Failure) => {
    if (f.retryAfter) c.header('Retry-After', String(f.retryAfter))
    const { status, retryAfter: _r, ...body } = f
    return c.json(body, status)
  }
  const bad = (c: Ctx, status: Failure['status'], error: ApiError['error'], message: string) =>
    problem(c, { status, error, message })
  const readJson = async (c: Ctx): Promise<unknown> => {
    if (!c.req.header('Content-Type')?.startsWith('application/json')) return undefined
    try {
      return await c.req.json()
    } catch {
      return undefined
    }
  }
  const maxFileCiphertext = ciphertextLimit(config.maxFileBytes)
  const maxReportCiphertext = ciphertextLimit(config.maxReportBytes)
  const jsonLimit = bodyLimit({
    maxSize: JSON_LIMIT,
    onError: (c) => c.json({ error: 'too-large', message: 'Request too large' }, 413),
  })

  app.post('/api/report', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 400, 'bad-request', 'Expected a JSON body')
    const r = await reporter.submitSealed(body)
    return r.ok ? c.json(r.value, 201) : problem(c, r.error)
  })

  app.post('/api/status/login', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 400, 'bad-request', 'Expected a JSON body')
    const r = await reporter.loginWithAuthKey(body)
    return r.ok ? c.json(r.value) : problem(c, r.error)
  })

  // Everything under /api/r/ needs the bearer token of a reporter session.
  app.use('/api/r/*', async (c, next) => {
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

  app.get('/api/r/case', async (c) => {
    const found = await store.cases.get(caseOf(c))
    if (!found) return bad(c, 401, 'unauthorized', 'Sign in again with your receipt')
    return c.json(await reporter.caseView(found))
  })

  app.post('/api/r/items', jsonLimit, async (c) => {
    const body = await readJson(c)
    if (body === undefined) return bad(c, 400, 'bad-request', 'Expected a JSON body')
    const r = await reporter.addSealedItem(caseOf(c), body)
    return r.ok ? c.json(r.value, 201) : problem(c, r.error)
  })

  app.post('/api/r/blobs', jsonLimit, async (c) => {
    const body = (await readJson(c)) as { blobId?: unknown } | undefined
    if (!body || !isId(body.blobId) || Object.keys(body).length !== 1) {
      return bad(c, 400, 'bad-request', 'Expected { blobId }')
    }
    try {
      await store.blobs.begin(body.blobId, caseOf(c), clock.now())
    } catch (err) {
      if (err instanceof DuplicateError) return bad(c, 409, 'duplicate', 'This upload id exists')
      throw err
    }
    return c.json({ blobId: body.blobId }, 201)
  })

  /** The blob, if it belongs to this session's case. */
  const ownBlob = async (c: Ctx) => {
    const blobId = c.req.param('blobId')
    if (!isId(blobId)) return null
    const info = await store.blobs.info(blobId)
    return info && info.caseId === caseOf(c) ? info : null
  }

  app.get('/api/r/blobs/:blobId', async (c) => {
    const info = await ownBlob(c)
    if (!info) return bad(c, 404, 'bad-request', 'No such upload')
    return c.json({ pieces: await store.blobs.pieces(info.id), complete: info.complete })
  })

  app.put(
    '/api/r/blobs/:blobId/:index',
    bodyLimit({
      maxSize: MAX_PIECE_BYTES,
      onError: (c) => c.json({ error: 'too-large', message: 'Piece too large' }, 413),
    }),
    async (c) => {
      const info = await ownBlob(c)
      if (!info) return bad(c, 404, 'bad-request', 'No such upload')
      const index = Number(c.req.param('index'))
      if (!Number.isInteger(index) || index < 0 || index > 1_000_000) {
        return bad(c, 400, 'bad-request', 'Bad piece index')
      }
      const data = new Uint8Array(await c.req.arrayBuffer())
      if (data.length === 0) return bad(c, 400, 'bad-request', 'Empty piece')
      const used = await store.blobs.bytesForCase(caseOf(c))
      if (used + data.length > maxReportCiphertext) {
        return bad(c, 413, 'too-large', 'The report is over its size limit')
      }
      await store.blobs.putPiece(info.id, index, data)
      return c.body(null, 204)
    }
  )

  app.post('/api/r/blobs/:blobId/complete', jsonLimit, async (c) => {
    const info = await ownBlob(c)
    if (!info) return bad(c, 404, 'bad-request', 'No such upload')
    const body = (await readJson(c)) as { count?: unknown } | undefined
    const count = body?.count
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      return bad(c, 400, 'bad-request', 'Expected { count }')
    }
    try {
      const done = await store.blobs.complete(info.id, count)
      if (done.size > maxFileCiphertext) {
        await store.blobs.delete(info.id)
        return bad(c, 413, 'too-large', 'The file is over its size limit')
      }
      return c.json({ size: done.size, sha256: done.sha256 })
    } catch {
      return bad(c, 400, 'incomplete', 'Some pieces are missing')
    }
  })

  app.get('/api/r/blobs/:blobId/data', async (c) => {
    const info = await ownBlob(c)
    if (!info?.complete) return bad(c, 404, 'bad-request', 'No such upload')
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

  app.post('/api/r/logout', async (c) => {
    await store.sessions.delete(c.var.session.id)
    return c.body(null, 204)
  })

  return app
}

/** The largest ciphertext a plaintext limit allows: padded to its bucket, plus one MAC per frame. */
export function ciphertextLimit(plaintextLimit: number): number {
  const padded = paddedFileSize(plaintextLimit)
  return padded + frameCount(padded, ATTACHMENT_CHUNK_SIZE) * FRAME_OVERHEAD
}
