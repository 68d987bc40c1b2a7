// Argon2id off the main thread: pure JS (@noble/hashes), because the CSP allows no WebAssembly.
// In:  { password: string | Uint8Array, salt: Uint8Array, params: Argon2Params }
// Out: { type: 'started' } · { type: 'progress', fraction } · { type: 'result', key } · { type: 'error' }
// Direct module imports: the index would pull the receipt word list into the worker.
import { createNobleArgon2id, type Argon2Params } from '../../crypto/argon2'
import { utf8Encode } from '../../crypto/encoding'

import type { KdfReply, KdfRequest } from './kdf-protocol'

type WorkerScope = {
  onmessage: ((e: MessageEvent<KdfRequest>) => void) | null
  postMessage(message: KdfReply, transfer?: Transferable[]): void
}
const isWorkerScope = (s: unknown): s is WorkerScope =>
  typeof s === 'object' && s !== null && 'postMessage' in s && 'onmessage' in s
// The DOM library types `self` as a window; in this worker it is the worker's scope.
const global: unknown = self
if (!isWorkerScope(global)) throw new Error('argon2.worker.ts runs only as a worker')
const scope = global

// Progress is posted at most every 1%, so the page is not flooded with messages.
let lastPosted = -1
const argon2id = createNobleArgon2id({
  asyncTick: 50,
  onProgress: (fraction) => {
    const pct = Math.floor(fraction * 100)
    if (pct === lastPosted) return
    lastPosted = pct
    scope.postMessage({ type: 'progress', fraction })
  },
})

scope.onmessage = (e) => {
  void run(e.data)
}

async function run(req: KdfRequest): Promise<void> {
  scope.postMessage({ type: 'started' })
  const password = typeof req.password === 'string' ? utf8Encode(req.password) : req.password
  try {
    const params: Argon2Params = {
      m: req.params.m,
      t: req.params.t,
      p: req.params.p,
      dkLen: req.params.dkLen,
    }
    const key = await argon2id(password, req.salt, params)
    scope.postMessage({ type: 'result', key }, [key.buffer])
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : 'failed' })
  } finally {
    password.fill(0)
  }
}
