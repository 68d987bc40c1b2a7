/**
 * Length hiding for envelopes: the plaintext is padded to a bucket before sealing, so the server
 * sees only which bucket a message falls into. ISO/IEC 7816-4 padding (0x80 then zeros, as
 * libsodium sodium_pad) is unambiguous for any content, binary or text.
 *
 * Buckets: multiples of 1 KiB up to 16 KiB, then powers of two, up to 16 MiB.
 */
import { CryptoError } from './errors'

export const PAD_BLOCK = 1024
export const PAD_LINEAR_LIMIT = 16 * 1024
export const PAD_MAX = 16 * 1024 * 1024

/** The padded size for content of `length` bytes (always at least one padding byte). */
export function paddedSize(length: number): number {
  const needed = length + 1
  if (needed <= PAD_LINEAR_LIMIT) return Math.ceil(needed / PAD_BLOCK) * PAD_BLOCK
  let size = PAD_LINEAR_LIMIT
  while (size < needed) size *= 2
  return size
}

/** True when `size` is one of the bucket sizes paddedSize() can produce. */
export function isBucketSize(size: number): boolean {
  if (!Number.isInteger(size) || size < PAD_BLOCK || size > PAD_MAX) return false
  if (size <= PAD_LINEAR_LIMIT) return size % PAD_BLOCK === 0
  return (size & (size - 1)) === 0
}

export function pad(content: Uint8Array): Uint8Array {
  const size = paddedSize(content.length)
  if (size > PAD_MAX) throw new CryptoError('too-large', `padding: content over ${PAD_MAX} bytes`)
  const out = new Uint8Array(size)
  out.set(content, 0)
  out[content.length] = 0x80
  return out
}

/** Removes the padding; anything that pad() could not have produced is bad-format. */
export function unpad(padded: Uint8Array): Uint8Array {
  if (!isBucketSize(padded.length)) {
    throw new CryptoError('bad-format', 'padding: not a bucket size')
  }
  let i = padded.length - 1
  while (i >= 0 && padded[i] === 0) i--
  if (i < 0 || padded[i] !== 0x80) throw new CryptoError('bad-format', 'padding: no 0x80 marker')
  if (paddedSize(i) !== padded.length) throw new CryptoError('bad-format', 'padding: wrong bucket')
  return padded.subarray(0, i)
}
