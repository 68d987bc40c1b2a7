// Runs Argon2id in a Web Worker (one per derivation, ended afterwards so the 19 MiB of memory
// and any key material go with it). Anything unexpected rejects: the callers fail closed.
import type { Argon2id } from '../../crypto'

import type { KdfReply, KdfRequest } from './kdf-protocol'

export const ARGON2_WORKER_URL = '/static/js/argon2.worker.js'

/** Pure-JS Argon2id at 19 MiB / t=2 takes seconds on slow phones; beyond this, give up. */
const KDF_TIMEOUT_MS = 180_000

export type KdfProgress = (fraction: number | null) => void

export function workerArgon2id(onProgress: KdfProgress = () => {}, url = ARGON2_WORKER_URL) {
  const argon2id: Argon2id = (password, salt, params) =>
    new Promise<Uint8Array>((resolve, reject) => {
      let worker: Worker
      try {
        worker = new Worker(url, { type: 'module', name: 'argon2' })
      } catch (e) {
        reject(e instanceof Error ? e : new Error('worker'))
        return
      }
      const done = (fn: () => void) => {
        clearTimeout(timer)
        worker.terminate()
        fn()
      }
      const timer = setTimeout(() => done(() => reject(new Error('kdf timeout'))), KDF_TIMEOUT_MS)
      worker.onerror = (e) => {
        e.preventDefault()
        done(() => reject(new Error('kdf worker failed to start')))
      }
      worker.onmessageerror = () => done(() => reject(new Error('kdf message error')))
      worker.onmessage = (e: MessageEvent<KdfReply>) => {
        const msg = e.data
        if (msg.type === 'started') onProgress(null)
        else if (msg.type === 'progress') onProgress(msg.fraction)
        else if (msg.type === 'result') done(() => resolve(msg.key))
        else done(() => reject(new Error(`kdf: ${msg.message}`)))
      }
      // The copy is transferred, so no second copy of the receipt stays on this side.
      const copy = password.slice()
      const req: KdfRequest = { password: copy, salt, params }
      worker.postMessage(req, [copy.buffer])
    })
  return argon2id
}
