// Proof of work for a request (crypto/pow.ts, crypto/PROTOCOL.md §15): a fresh challenge
// from GET /api/work, solved in work.worker.ts (one worker per proof, ended afterwards). The
// result goes in the X-Proof-Of-Work header (http.ts `work` option) or a form's `pow` field.
import { workFraction, type WorkChallenge, type WorkPurpose } from '../../crypto/pow'

import { createApi, type Api } from './http'
import type { WorkReply, WorkRequest } from './work-protocol'
import { runWorkerJob } from './worker-job'

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
  const message: WorkRequest = { challenge, bits }
  return runWorkerJob<WorkReply, string>({
    url,
    name: 'work',
    label: 'work',
    timeoutMs: WORK_TIMEOUT_MS,
    message,
    onReply(msg) {
      if (msg.type === 'progress') onProgress(workFraction(msg.tries, bits))
      else if (msg.type === 'result') {
        onProgress(1)
        return { result: msg.proof }
      } else return { failed: msg.message }
      return undefined
    },
  })
}
