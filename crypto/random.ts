/**
 * Uniform choice from random bytes by rejection sampling: `byte % n` favours small values when n
 * does not divide the byte range, so values from the incomplete top block are thrown away.
 */
import nacl from 'tweetnacl'

import { CryptoError } from './errors'

/** Returns n uniformly random bytes. Injectable so tests can drive the sampler. */
export type RandomSource = (n: number) => Uint8Array

export const defaultRandom: RandomSource = (n) => nacl.randomBytes(n)

// A healthy source rejects at most half the draws, so failing this many times in a row means the
// source is broken (for example constant output), not unlucky.
const MAX_DRAWS = 1000

/** A uniformly random integer in [0, n), for 1 <= n <= 2^32. */
export function uniformInt(n: number, random: RandomSource = defaultRandom): number {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
    throw new CryptoError('bad-state', `uniformInt: bad range ${n}`)
  }
  if (n === 1) return 0
  const bytes = Math.ceil(Math.log2(n) / 8)
  const range = 2 ** (8 * bytes)
  const limit = range - (range % n)
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const r = random(bytes)
    if (r.length !== bytes) throw new CryptoError('bad-random', 'random source: short read')
    let v = 0
    for (const b of r) v = v * 256 + b
    if (v < limit) return v % n
  }
  throw new CryptoError('bad-random', 'random source: too many rejections')
}
