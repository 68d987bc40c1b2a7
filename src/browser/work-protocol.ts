// Messages between the page (work.ts) and work.worker.ts.
export type WorkRequest = { challenge: string; bits: number }

export type WorkReply =
  | { type: 'progress'; tries: number }
  | { type: 'result'; proof: string; tries: number }
  | { type: 'error'; message: string }
