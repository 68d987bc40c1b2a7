// An in-memory stand-in for the reporter API (src/report/api.ts), as a fetch function, so the
// browser upload and item code can be tested without a server. Failures can be injected.
import { createHash } from 'node:crypto'
import type { FetchLike } from '../../../src/browser/http'

export interface FakeServer {
  fetch: FetchLike
  blobs: Map<string, { pieces: Map<number, Uint8Array>; complete: boolean }>
  items: { itemId: string; seq: number; kind: string; sealed: string; blobIds?: string[] }[]
  reports: unknown[]
  requests: { method: string; path: string; body?: Uint8Array | string }[]
  lastSeq: number
  /** Called before every request; return a Response (or throw) to inject a failure. */
  intercept?: (method: string, path: string) => Response | undefined
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

export function fakeServer(): FakeServer {
  const s: FakeServer = {
    blobs: new Map(),
    items: [],
    reports: [],
    requests: [],
    lastSeq: 0,
    fetch: (input, init = {}) => {
      const method = init.method ?? 'GET'
      const path = input
      const body = init.body as Uint8Array | string | undefined
      s.requests.push({ method, path, ...(body !== undefined ? { body } : {}) })
      try {
        return Promise.resolve(s.intercept?.(method, path) ?? route(s, method, path, body))
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)))
      }
    },
  }
  return s
}

function route(
  s: FakeServer,
  method: string,
  path: string,
  body: Uint8Array | string | undefined
): Response {
  const parsed = () => JSON.parse(String(body)) as Record<string, unknown>
  if (method === 'POST' && path === '/api/report') {
    s.reports.push(parsed())
    s.lastSeq = 1
    return json(201, { caseId: parsed().caseId, token: 'tok', lastSeq: 1 })
  }
  if (method === 'POST' && path === '/api/r/blobs') {
    const id = String(parsed().blobId)
    if (s.blobs.has(id)) return json(409, { error: 'duplicate', message: 'exists' })
    s.blobs.set(id, { pieces: new Map(), complete: false })
    return json(201, {})
  }
  let m = /^\/api\/r\/blobs\/([\w-]+)$/.exec(path)
  if (method === 'GET' && m) {
    const b = s.blobs.get(m[1]!)
    return b ? json(200, { pieces: [...b.pieces.keys()].sort((x, y) => x - y) }) : json(404, {})
  }
  m = /^\/api\/r\/blobs\/([\w-]+)\/(\d+)$/.exec(path)
  if (method === 'PUT' && m) {
    const b = s.blobs.get(m[1]!)
    if (!b || !(body instanceof Uint8Array)) return json(400, { error: 'bad-request' })
    b.pieces.set(Number(m[2]), body.slice())
    return new Response(null, { status: 204 })
  }
  m = /^\/api\/r\/blobs\/([\w-]+)\/complete$/.exec(path)
  if (method === 'POST' && m) {
    const b = s.blobs.get(m[1]!)
    const count = Number(parsed().count)
    if (!b) return json(404, {})
    for (let i = 0; i < count; i++) if (!b.pieces.has(i)) return json(409, { error: 'incomplete' })
    b.complete = true
    const data = blobData(s, m[1]!)
    return json(200, { size: data.length, sha256: createHash('sha256').update(data).digest('hex') })
  }
  m = /^\/api\/r\/blobs\/([\w-]+)\/data$/.exec(path)
  if (method === 'GET' && m) return new Response(blobData(s, m[1]!) as unknown as BodyInit)
  if (method === 'POST' && path === '/api/r/items') {
    const req = parsed() as FakeServer['items'][number]
    if (req.seq !== s.lastSeq + 1) {
      return json(409, { error: 'seq-taken', message: 'taken', lastSeq: s.lastSeq })
    }
    s.items.push(req)
    s.lastSeq = req.seq
    return json(201, { seq: req.seq })
  }
  return json(404, { error: 'bad-request' })
}

export function blobData(s: FakeServer, id: string): Uint8Array {
  const b = s.blobs.get(id)!
  const parts = [...b.pieces.entries()].sort(([a], [b2]) => a - b2).map(([, p]) => p)
  return Buffer.concat(parts)
}
