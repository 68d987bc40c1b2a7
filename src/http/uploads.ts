// The resumable, idempotent upload protocol for encrypted attachments (contract in
// src/report/api.ts), shared by the reporter's API and the officer's. The caller decides which
// case a request may touch; everything here is about ciphertext pieces of that case:
//   POST   /blobs { blobId }             begin (409 if the id exists)
//   GET    /blobs/:blobId                pieces so far
//   PUT    /blobs/:blobId/:index         one piece (idempotent)
//   POST   /blobs/:blobId/complete       { count } → { size, sha256 }
//   GET    /blobs/:blobId/data           the ciphertext
import { Hono, type Context, type Env } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from '../config'
import type { Clock } from '../deps'
import { ciphertextLimit, MAX_PIECE_BYTES } from '../lib/upload-limits'
import { isId } from '../report/ids'
import { jsonBodyLimit, readJsonObject } from './json-body'
import { DuplicateError, type BlobInfo, type Store } from '../store/types'

const JSON_LIMIT = 64 * 1024

/** The parent app's variables (session, staff), set by its middleware before these routes. */
type ScopeEnv<E extends Env> = { Variables: NonNullable<E['Variables']> }

/** Any path and input: the callbacks only read headers, params and variables. */
export type ScopeContext<E extends Env> = Context<ScopeEnv<E>, string, object>

export interface UploadScope<E extends Env> {
  /** The case this request may upload to, or null (answered 404: nothing to tell apart). */
  caseOf(c: ScopeContext<E>): Promise<string | null>
  /** After a blob is complete (officers audit it). */
  completed?(c: ScopeContext<E>, caseId: string, info: BlobInfo): Promise<unknown>
  /** Before the ciphertext is sent (officers audit the decrypt request). */
  downloading?(c: ScopeContext<E>, caseId: string, info: BlobInfo): Promise<unknown>
}

export function uploadRoutes<E extends Env>(
  deps: { store: Store; clock: Clock; config: Pick<Config, 'maxFileBytes' | 'maxReportBytes'> },
  scope: UploadScope<E>
) {
  const { store, clock, config } = deps
  const maxFile = ciphertextLimit(config.maxFileBytes)
  const maxCase = ciphertextLimit(config.maxReportBytes)
  // The parent app's middleware ran first, so its variables (session, staff) are on the context.
  const app = new Hono<ScopeEnv<E>>()
  const bad = (c: Context, status: ContentfulStatusCode, error: string, message: string) =>
    c.json({ error, message }, status)
  const json = readJsonObject
  const jsonLimit = jsonBodyLimit(JSON_LIMIT)
  /** The case, and a blob of that very case; null for anything else. */
  const caseBlob = async (c: ScopeContext<E>, complete = false) => {
    const caseId = await scope.caseOf(c)
    const blobId = c.req.param('blobId')
    const info = caseId && isId(blobId) ? await store.blobs.info(blobId) : null
    if (!caseId || !info || info.caseId !== caseId || (complete && !info.complete)) return null
    return { caseId, info }
  }

  app.post('/blobs', jsonLimit, async (c) => {
    const caseId = await scope.caseOf(c)
    if (!caseId) return bad(c, 404, 'not-found', 'No such case')
    const body = await json(c)
    if (!body || !isId(body.blobId) || Object.keys(body).length !== 1) {
      return bad(c, 400, 'bad-request', 'Expected { blobId }')
    }
    try {
      await store.blobs.begin(body.blobId, caseId, clock.now())
    } catch (err) {
      if (err instanceof DuplicateError) return bad(c, 409, 'duplicate', 'This upload id exists')
      throw err
    }
    return c.json({ blobId: body.blobId }, 201)
  })

  app.get('/blobs/:blobId', async (c) => {
    const r = await caseBlob(c)
    if (!r) return bad(c, 404, 'not-found', 'No such upload')
    return c.json({ pieces: await store.blobs.pieces(r.info.id), complete: r.info.complete })
  })

  app.put(
    '/blobs/:blobId/:index',
    bodyLimit({
      maxSize: MAX_PIECE_BYTES,
      onError: (c) => c.json({ error: 'too-large', message: 'Piece too large' }, 413),
    }),
    async (c) => {
      const r = await caseBlob(c)
      if (!r) return bad(c, 404, 'not-found', 'No such upload')
      const index = Number(c.req.param('index'))
      if (!Number.isInteger(index) || index < 0 || index > 1_000_000) {
        return bad(c, 400, 'bad-request', 'Bad piece index')
      }
      const data = new Uint8Array(await c.req.arrayBuffer())
      if (data.length === 0) return bad(c, 400, 'bad-request', 'Empty piece')
      if ((await store.blobs.bytesForCase(r.caseId)) + data.length > maxCase) {
        return bad(c, 413, 'too-large', 'The report is over its size limit')
      }
      await store.blobs.putPiece(r.info.id, index, data)
      return c.body(null, 204)
    }
  )

  app.post('/blobs/:blobId/complete', jsonLimit, async (c) => {
    const r = await caseBlob(c)
    if (!r) return bad(c, 404, 'not-found', 'No such upload')
    const count = (await json(c))?.count
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      return bad(c, 400, 'bad-request', 'Expected { count }')
    }
    let done: BlobInfo
    try {
      done = await store.blobs.complete(r.info.id, count)
    } catch {
      return bad(c, 400, 'incomplete', 'Some pieces are missing')
    }
    if (done.size > maxFile) {
      await store.blobs.delete(r.info.id)
      return bad(c, 413, 'too-large', 'The file is over its size limit')
    }
    await scope.completed?.(c, r.caseId, done)
    return c.json({ size: done.size, sha256: done.sha256 })
  })

  app.get('/blobs/:blobId/data', async (c) => {
    const r = await caseBlob(c, true)
    if (!r) return bad(c, 404, 'not-found', 'No such file')
    await scope.downloading?.(c, r.caseId, r.info)
    const pieces = store.blobs.read(r.info.id)
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        for await (const piece of pieces) controller.enqueue(piece)
        controller.close()
      },
    })
    return c.body(stream, 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(r.info.size),
    })
  })

  return app
}
