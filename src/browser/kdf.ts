// Runs Argon2id in a Web Worker (one per derivation, ended afterwards so the 19 MiB of memory
// and any key material go with it: worker-job.ts). Anything unexpected rejects: callers fail closed.
import type { Argon2id } from '../../crypto'

import type { KdfReply, KdfRequest } from './kdf-protocol'
import { runWorkerJob } from './worker-job'

export const ARGON2_WORKER_URL = '/static/js/argon2.worker.js'

/** Pure-JS Argon2id at 19 MiB / t=2 takes seconds on slow phones; beyond this, give up. */
const KDF_TIMEOUT_MS = 180_000

export type KdfProgress = (fraction: number | null) => void

export function workerArgon2id(onProgress: KdfProgress = () => {}, url = ARGON2_WORKER_URL) {
  const argon2id: Argon2id = (password, salt, params) => {
    // The copy is transferred, so no second copy of the receipt stays on this side.
    const copy = password.slice()
    const message: KdfRequest = { password: copy, salt, params }
    return runWorkerJob<KdfReply, Uint8Array>({
      url,
      name: 'argon2',
      label: 'kdf',
      timeoutMs: KDF_TIMEOUT_MS,
      message,
      transfer: [copy.buffer],
      onReply(msg) {
        if (msg.type === 'started') onProgress(null)
        else if (msg.type === 'progress') onProgress(msg.fraction)
        else if (msg.type === 'result') return { result: msg.key }
        else return { failed: msg.message }
        return undefined
      },
    })
  }
  return argon2id
}
