// Proof of work for a request (crypto/pow.ts, crypto/PROTOCOL.md §15): a fresh challenge
// from GET /api/work, solved in work.worker.ts (one worker per proof, ended afterwards). The
// result goes in the X-Proof-Of-Work header (http.ts `work` option) or a form's `pow` field.
import { workFraction, type WorkChallenge, type WorkPurpose } from '../../crypto/pow'

import { createApi, type Api } from './http'
import type { WorkReply, WorkRequest } from './work-protocol'

export const WORK_WORKER_URL = '/static/js/work.worker.js'
/** Even a slow phone at a high difficulty is done long before this. */
const WORK_TIMEOUT_MS = 300_000

/** Shown on the page while the work runs: 0…1, an estimate (the search has no fixed length). */
export type WorkProgress = (fraction: number) => void

/** A proof for `purpose`, or undefined when the server asks for none (difficulty 0). */
export async function solveWork(
  purpose: WorkPurpose,
  onProgress: WorkProgress = () => {},
  api: Api = createApi(),
  url = WORK_WORKER_URL
): Promise<string | undefined> {
  const got = await api.json<WorkChallenge>('GET', `/api/work?purpose=${purpose}`)
  if (!got.challenge || got.bits === 0) return undefined
  const { challenge, bits } = got
  onProgress(0)
  return new Promise<string>((resolve, reject) => {
    let worker: Worker
    try {
      worker = new Worker(url, { type: 'module', name: 'work' })
    } catch (e) {
      reject(e instanceof Error ? e : new Error('worker'))
      return
    }
    const done = (fn: () => void) => {
      clearTimeout(timer)
      worker.terminate()
      fn()
    }
    const timer = setTimeout(() => done(() => reject(new Error('work timeout'))), WORK_TIMEOUT_MS)
    worker.onerror = (e) => {
      e.preventDefault()
      done(() => reject(new Error('work worker failed to start')))
    }
    worker.onmessage = (e: MessageEvent<WorkReply>) => {
      const msg = e.data
      if (msg.type === 'progress') onProgress(workFraction(msg.tries, bits))
      else if (msg.type === 'result') {
        onProgress(1)
        done(() => resolve(msg.proof))
      } else done(() => reject(new Error(`work: ${msg.message}`)))
    }
    const req: WorkRequest = { challenge, bits }
    worker.postMessage(req)
  })
}
