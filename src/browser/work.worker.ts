// The proof of work off the main thread (crypto/pow.ts): SHA-256(challenge ":" nonce) for
// nonce = 0, 1, 2… until the hash starts with `bits` zero bits. WebCrypto digests are
// asynchronous, so they go in batches; pages served over plain http outside localhost have
// no crypto.subtle, and then the pure-JS SHA-256 (@noble/hashes) does the same work.
// In: WorkRequest. Out: progress every ~100 ms, then the result (work-protocol.ts).
import { sha256 } from '@noble/hashes/sha2.js'
import { leadingZeroBits, proofOf } from '../../crypto/pow'

import type { WorkReply, WorkRequest } from './work-protocol'

type WorkerScope = {
  onmessage: ((e: MessageEvent<WorkRequest>) => void) | null
  postMessage(message: WorkReply): void
}
const isWorkerScope = (s: unknown): s is WorkerScope =>
  typeof s === 'object' && s !== null && 'postMessage' in s && 'onmessage' in s
// The DOM library types `self` as a window; in this worker it is the worker's scope.
const global: unknown = self
if (!isWorkerScope(global)) throw new Error('work.worker.ts runs only as a worker')
const scope = global
const BATCH = 256
const encoder = new TextEncoder()

const subtle = typeof crypto === 'object' ? crypto.subtle : undefined
const digest = subtle
  ? async (text: string) => new Uint8Array(await subtle.digest('SHA-256', encoder.encode(text)))
  : (text: string) => Promise.resolve(sha256(encoder.encode(text)))

scope.onmessage = (e) => {
  solve(e.data).then(
    (reply) => scope.postMessage(reply),
    (err: unknown) =>
      scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : 'failed' })
  )
}

async function solve({ challenge, bits }: WorkRequest): Promise<WorkReply> {
  let lastPosted = Date.now()
  for (let start = 0; start < Number.MAX_SAFE_INTEGER; start += BATCH) {
    const batch: Promise<Uint8Array>[] = []
    for (let i = 0; i < BATCH; i++) batch.push(digest(proofOf(challenge, start + i)))
    const hashes = await Promise.all(batch)
    const found = hashes.findIndex((h) => leadingZeroBits(h) >= bits)
    if (found >= 0) {
      return { type: 'result', proof: proofOf(challenge, start + found), tries: start + found + 1 }
    }
    if (Date.now() - lastPosted >= 100) {
      lastPosted = Date.now()
      scope.postMessage({ type: 'progress', tries: start + BATCH })
    }
  }
  throw new Error('no proof found')
}
