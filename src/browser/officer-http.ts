// JSON client for the officer API (src/officer/api.ts). Unlike the reporter's client it sends the
// staff session cookie (same origin only); the shape is the reporter's Api, so download.ts and
// the ApiFailure handling work unchanged.
import { ownedBytes } from '../../crypto/encoding'
import type { OfficerApiError } from '../officer/api'

import { ApiFailure, type Api, type FetchLike } from './http'

export function createOfficerApi(fetchFn: FetchLike = (i, init) => fetch(i, init)): Api {
  const send = async (path: string, init: RequestInit): Promise<Response> => {
    let res: Response
    try {
      res = await fetchFn(path, { ...init, credentials: 'same-origin', cache: 'no-store' })
    } catch {
      throw new ApiFailure(0, 'network')
    }
    if (res.ok) return res
    let err: Partial<OfficerApiError> = {}
    try {
      err = (await res.json()) as Partial<OfficerApiError>
    } catch {
      // Not JSON: the status is all we know.
    }
    // The officer API's error names travel in the same field as the reporter API's.
    throw new ApiFailure(res.status, (err.error ?? 'unknown') as ApiFailure['code'], err.lastSeq)
  }
  return {
    token: undefined,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { Accept: 'application/json' }
      if (body !== undefined) headers['Content-Type'] = 'application/json'
      const res = await send(path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
      if (res.status === 204) return undefined as T
      return (await res.json()) as T
    },
    async put(path: string, data: Uint8Array): Promise<void> {
      await send(path, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: ownedBytes(data),
      })
    },
    bytes(path: string): Promise<Response> {
      return send(path, { method: 'GET', headers: { Accept: 'application/octet-stream' } })
    },
  }
}

/** The officer API's error name of a failure ('seq-taken', 'no-note-key'…), or undefined. */
export function officerErrorCode(e: unknown): string | undefined {
  return e instanceof ApiFailure ? e.code : undefined
}
