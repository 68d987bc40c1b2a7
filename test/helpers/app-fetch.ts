// The real app as the fetch function of the browser modules (src/browser/http.ts): every request
// goes through app.request, as a same-origin browser would send it, and is recorded; `intercept`
// injects a failure (a Response, or a thrown network error) before the app sees the request.
import type { FetchLike } from '../../src/browser/http'
import type { Store } from '../../src/store/types'
import { TEST_ORIGIN, type TestApp } from './app'

export interface AppFetch {
  fetch: FetchLike
  requests: { method: string; path: string; body?: Uint8Array | string }[]
  intercept?: ((method: string, path: string) => Response | undefined) | undefined
}

export function appFetch(t: Pick<TestApp, 'app'>): AppFetch {
  const s: AppFetch = {
    requests: [],
    fetch: async (input, init = {}) => {
      const method = init.method ?? 'GET'
      const body = init.body as Uint8Array | string | undefined
      s.requests.push({ method, path: input, ...(body !== undefined ? { body } : {}) })
      const injected = s.intercept?.(method, input)
      if (injected) return injected
      const headers = new Headers(init.headers)
      headers.set('Origin', TEST_ORIGIN)
      return await t.app.request(input, { ...init, headers })
    },
  }
  return s
}

/** The stored ciphertext of an upload, its pieces in order. */
export async function storedBlob(store: Store, blobId: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const piece of store.blobs.read(blobId)) parts.push(piece)
  return Buffer.concat(parts)
}
