// The server's random bytes (deps.random), drawn from the operating system's CSPRNG in blocks:
// a request takes a few small draws (request id, form token, session token, ids), and one
// randomFillSync per draw, plus a Buffer and a copy each, showed in every page's and submission's
// profile (issue 12). A block is filled once and handed out in slices, each slice copied out and
// wiped in the block, so no two callers share bytes and nothing drawn stays behind in the block.
import { randomFillSync } from 'node:crypto'
import type { Random } from '../deps'

const BLOCK = 4096

export function pooledRandom(): Random {
  const block = new Uint8Array(BLOCK)
  let used = BLOCK
  return {
    bytes(n: number): Uint8Array {
      // Large draws (keys for files, padding) go straight to the source.
      if (n > BLOCK / 8) return randomFillSync(new Uint8Array(n))
      if (used + n > BLOCK) {
        randomFillSync(block)
        used = 0
      }
      const out = block.slice(used, used + n)
      block.fill(0, used, used + n)
      used += n
      return out
    },
  }
}
