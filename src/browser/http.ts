// JSON client for the reporter API (src/report/api.ts). The bearer token lives only in this
// object, in memory: never in storage, a cookie or the URL.
import { ownedBytes } from '../../crypto/encoding'
import type { ApiError } from '../report/api'

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>
export type Sleep = (ms: number) => Promise<void>

/** A 429 asking for at most this long is waited out and sent again, up to AUTO_RETRIES times:
 * the receipt guard holds everyone back a few seconds under a flood, and reporters should not
 * have to press the button again for that. */
const MAX_AUTO_WAIT_S = 10
const AUTO_RETRIES = 3
const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** An HTTP answer that is not 2xx, or no answer at all (status 0). */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure'
  constructor(
    readonly status: number,
    readonly code: ApiError['error'] | 'network' | 'unknown',
    readonly lastSeq?: number
  ) {
    super(`api ${status} ${code}`)
  }
  /** Worth retrying: no answer, a timeout, a server error or a rate limit. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500
  }
}

/** A proof of work for one attempt (work.ts); undefined when the server asks for none. */
export type WorkSource = () => Promise<string | undefined>

export interface RequestOptions {
  /** Sent as X-Proof-Of-Work; asked for again before each retry, as a proof is taken once. */
  work?: WorkSource
}

export interface Api {
  token: string | undefined
  json<T>(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<T>
  put(path: string, data: Uint8Array): Promise<void>
  bytes(path: string): Promise<Response>
}

export function createApi(
  fetchFn: FetchLike = (i, init) => fetch(i, init),
  sleep: Sleep = defaultSleep
): Api {
  const api: Api = {
    token: undefined,
    async json<T>(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
      const headers: Record<string, string> = { Accept: 'application/json', ...auth(api) }
      if (body !== undefined) headers['Content-Type'] = 'application/json'
      const init = {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }
      const res = await send(fetchFn, sleep, path, init, opts?.work)
      if (res.status === 204) return undefined as T
      return (await res.json()) as T
    },
    async put(path: string, data: Uint8Array): Promise<void> {
      await send(fetchFn, sleep, path, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', ...auth(api) },
        body: ownedBytes(data),
      })
    },
    bytes(path: string): Promise<Response> {
      return send(fetchFn, sleep, path, { method: 'GET', headers: auth(api) })
    },
  }
  return api
}

function auth(api: Api): Record<string, string> {
  return api.token ? { Authorization: `Bearer ${api.token}` } : {}
}

async function send(
  fetchFn: FetchLike,
  sleep: Sleep,
  path: string,
  init: Omit<RequestInit, 'headers'> & { headers: Record<string, string> },
  work?: WorkSource
): Promise<Response> {
  let res: Response
  for (let attempt = 0; ; attempt++) {
    const headers = { ...init.headers }
    const proof = work ? await work() : undefined
    if (proof) headers['X-Proof-Of-Work'] = proof
    try {
      // Same-origin only; no cookies are needed on this path, so none are sent.
      res = await fetchFn(path, { ...init, headers, credentials: 'omit', cache: 'no-store' })
    } catch {
      throw new ApiFailure(0, 'network')
    }
    const wait = Number(res.headers.get('Retry-After'))
    if (res.status !== 429 || attempt >= AUTO_RETRIES || !(wait > 0 && wait <= MAX_AUTO_WAIT_S)) {
      break
    }
    // Nothing happened on the server side of a 429, so sending the same request is safe.
    await res.body?.cancel()
    await sleep(wait * 1000)
  }
  if (res.ok) return res
  let err: Partial<ApiError> = {}
  try {
    err = (await res.json()) as Partial<ApiError>
  } catch {
    // Not JSON (proxy error page…): the status is all we know.
  }
  throw new ApiFailure(res.status, err.error ?? 'unknown', err.lastSeq)
}

export function isApiFailure(e: unknown, status?: number): e is ApiFailure {
  return e instanceof ApiFailure && (status === undefined || e.status === status)
}
