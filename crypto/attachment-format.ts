/**
 * The attachment format's shared parts: sizes and limits, the manifest, chunk nonces, padding and
 * manifest validation. Encryption and decryption (attachment.ts) build on these; the format is
 * described there and in crypto/PROTOCOL.md §8.
 */
import nacl from 'tweetnacl'

import { fromBase64 } from './encoding'
import { CryptoError } from './errors'

export const ATTACHMENT_CHUNK_SIZE = 65536
export const ATTACHMENT_KEY_BYTES = 32
export const NONCE_PREFIX_BYTES = 16
export const FRAME_OVERHEAD = nacl.secretbox.overheadLength // 16
/** Largest chunk size a manifest may name, so a hostile one cannot make a reader buffer gigabytes. */
export const MAX_CHUNK_SIZE = 4 * 1024 * 1024
// Counters stay below 2^32 so they are exact in JS numbers; that is 256 TiB at 64 KiB a chunk.
export const MAX_CHUNKS = 2 ** 32
// On a failed chunk, how far either side to look for the position it belongs to (diagnosis only).
export const REORDER_WINDOW = 64

export type AttachmentManifest = {
  v: 1
  /** File name as the reporter's device gave it. */
  name: string
  /** MIME type as the reporter's device gave it ('' if unknown). */
  type: string
  /** Plaintext bytes. */
  size: number
  /** Lower-case hex SHA-256 of the plaintext. */
  sha256: string
  /** base64 of the 32-byte file key. */
  key: string
  /** base64 of the 16-byte nonce prefix. */
  noncePrefix: string
  chunkSize: number
  /** Number of frames. */
  chunks: number
  /** Opaque server-side reference to the ciphertext (e.g. an upload id). */
  ref?: string
}

export type AttachmentMeta = { name: string; type: string; ref?: string }

/** nonce_i: prefix ‖ LE64(index), top bit of the last byte set when final. */
export function chunkNonce(noncePrefix: Uint8Array, index: number, final: boolean): Uint8Array {
  if (noncePrefix.length !== NONCE_PREFIX_BYTES) {
    throw new CryptoError('bad-key', 'attachment: nonce prefix must be 16 bytes')
  }
  if (!Number.isInteger(index) || index < 0 || index >= MAX_CHUNKS) {
    throw new CryptoError('too-large', 'attachment: chunk counter out of range')
  }
  const nonce = new Uint8Array(nacl.secretbox.nonceLength)
  nonce.set(noncePrefix, 0)
  new DataView(nonce.buffer).setUint32(NONCE_PREFIX_BYTES, index, true)
  // Bytes 20..23 (the high half of the counter) stay zero, apart from the final flag.
  if (final) nonce[23] = 0x80
  return nonce
}

export function checkKey(key: Uint8Array): void {
  if (key.length !== ATTACHMENT_KEY_BYTES) {
    throw new CryptoError('bad-key', 'attachment: key must be 32 bytes')
  }
}

export function checkChunkSize(chunkSize: number): void {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new CryptoError('bad-format', 'attachment: bad chunk size')
  }
}

// ---------------------------------------------------------------------------------------------
// Padding: the ciphertext length must not give the file size away (only a bucket).

/** Smallest padded size of a non-empty file, so small documents all look alike. */
export const MIN_PADDED_FILE = 4096

/**
 * Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication with
 * PURBs", PETS 2019): rounds up to a length whose low bits are zero, so at most O(log log n) bits
 * of the size leak, for at most 11.1 % overhead.
 */
function padme(n: number): number {
  const e = Math.floor(Math.log2(n))
  const s = Math.floor(Math.log2(e)) + 1
  const step = 2 ** (e - s)
  return Math.ceil(n / step) * step
}

/**
 * The padded length of a file: Padmé (at least 4 KiB), but never past the end of the last chunk,
 * so padding never adds a frame and a writer can pad the final chunk on its own. Up to 64 KiB
 * that is Padmé; for large files it becomes whole chunks. Empty files stay empty.
 */
export function paddedFileSize(size: number, chunkSize: number = ATTACHMENT_CHUNK_SIZE): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new CryptoError('bad-format', 'file size')
  checkChunkSize(chunkSize)
  if (size === 0) return 0
  return Math.min(padme(Math.max(size, MIN_PADDED_FILE)), Math.ceil(size / chunkSize) * chunkSize)
}

/** Frames for a padded stream: every frame full except the last, and at least one. */
export function frameCount(paddedSize: number, chunkSize: number = ATTACHMENT_CHUNK_SIZE): number {
  return Math.max(1, Math.ceil(paddedSize / chunkSize))
}

// ---------------------------------------------------------------------------------------------
// Manifest validation

const MAX_NAME = 1024
const MAX_TYPE = 255
const MAX_REF = 200

/**
 * Checks an item body claimed to be a manifest (bad-format otherwise) and returns only the known
 * fields. Unknown extra fields are ignored so that later versions can add optional metadata.
 */
export function parseManifest(body: unknown): AttachmentManifest {
  const bad = (what: string): never => {
    throw new CryptoError('bad-format', `manifest: ${what}`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('not an object')
  const b = body as Record<string, unknown>
  if (b.v !== 1) throw new CryptoError('bad-version', 'manifest version')
  const str = (k: string, max: number): string => {
    const v = b[k]
    return typeof v === 'string' && v.length <= max ? v : bad(k)
  }
  const int = (k: string): number => {
    const v = b[k]
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(k)
  }
  const bytes = (k: string, n: number): string => {
    const s = str(k, 100)
    if (fromBase64(s).length !== n) bad(k)
    return s
  }
  const name = str('name', MAX_NAME)
  const type = str('type', MAX_TYPE)
  const size = int('size')
  const sha = str('sha256', 64)
  if (!/^[0-9a-f]{64}$/.test(sha)) bad('sha256')
  const key = bytes('key', ATTACHMENT_KEY_BYTES)
  const noncePrefix = bytes('noncePrefix', NONCE_PREFIX_BYTES)
  const chunkSize = int('chunkSize')
  checkChunkSize(chunkSize)
  const chunks = int('chunks')
  // Exactly the frames the padded size needs, or one more: an empty final frame after full ones,
  // from a chunk-at-a-time writer that learnt of the end only after the last full chunk.
  const needed = frameCount(paddedFileSize(size, chunkSize), chunkSize)
  const emptyFinalAllowed = size > 0 && size % chunkSize === 0
  if (chunks !== needed && !(emptyFinalAllowed && chunks === needed + 1)) {
    bad('chunks does not match size')
  }
  if (chunks > MAX_CHUNKS) bad('too many chunks')
  const manifest: AttachmentManifest = {
    v: 1,
    name,
    type,
    size,
    sha256: sha,
    key,
    noncePrefix,
    chunkSize,
    chunks,
  }
  if (b.ref !== undefined) manifest.ref = str('ref', MAX_REF)
  return manifest
}
