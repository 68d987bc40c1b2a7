// Messages between the page and argon2.worker.ts.
import type { Argon2Params } from '../../crypto'

export type KdfRequest = { password: string | Uint8Array; salt: Uint8Array; params: Argon2Params }

export type KdfReply =
  | { type: 'started' }
  | { type: 'progress'; fraction: number }
  | { type: 'result'; key: Uint8Array }
  | { type: 'error'; message: string }
