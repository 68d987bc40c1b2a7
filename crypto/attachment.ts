/**
 * Attachments: a file is encrypted in chunks under its own random key, so memory stays bounded and
 * uploads can be resumed. The key, name, type, size and plaintext hash never leave the client in
 * the clear: they travel in a manifest that is the body of a signed, sealed item.
 *
 *   padded  = file ‖ zeros, to paddedFileSize(size)   (Padmé, capped at the last chunk's end)
 *   chunk_i = padded[i·chunkSize, (i+1)·chunkSize)    (the last one 0..chunkSize bytes)
 *   frame_i = secretbox(chunk_i, nonce_i, fileKey)    (len(chunk_i) + 16 bytes)
 *   nonce_i = noncePrefix (16 random bytes) ‖ LE64(i), with bit 7 of the last byte set on the
 *             final chunk
 *   ciphertext = frame_0 ‖ frame_1 ‖ … ‖ frame_{n-1}
 *
 * The counter in the nonce catches reordering and duplication, the final flag catches truncation,
 * and anything after the final frame is extension.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import nacl from 'tweetnacl'

import { concatBytes, fromBase64, toBase64, toHex } from './encoding'
import { CryptoError } from './errors'
import {
  ATTACHMENT_CHUNK_SIZE,
  ATTACHMENT_KEY_BYTES,
  FRAME_OVERHEAD,
  MAX_CHUNKS,
  NONCE_PREFIX_BYTES,
  REORDER_WINDOW,
  checkChunkSize,
  checkKey,
  chunkNonce,
  paddedFileSize,
  parseManifest,
  type AttachmentManifest,
  type AttachmentMeta,
} from './attachment-format'

// The format's public names stay importable from here, as before the split.
export {
  ATTACHMENT_CHUNK_SIZE,
  ATTACHMENT_KEY_BYTES,
  FRAME_OVERHEAD,
  MAX_CHUNK_SIZE,
  MIN_PADDED_FILE,
  NONCE_PREFIX_BYTES,
  chunkNonce,
  frameCount,
  paddedFileSize,
  parseManifest,
  type AttachmentManifest,
  type AttachmentMeta,
} from './attachment-format'

// ---------------------------------------------------------------------------------------------
// Encryption

/** One frame: secretbox(chunk, chunkNonce(prefix, index, final), key). */
export function encryptFrame(
  key: Uint8Array,
  noncePrefix: Uint8Array,
  index: number,
  chunk: Uint8Array,
  final: boolean
): Uint8Array {
  checkKey(key)
  return nacl.secretbox(chunk, chunkNonce(noncePrefix, index, final), key)
}

export type AttachmentEncryptor = {
  readonly key: Uint8Array
  readonly noncePrefix: Uint8Array
  readonly chunkSize: number
  /** Plaintext bytes taken so far (without padding). */
  readonly size: number
  /** Frames produced so far. */
  readonly chunks: number
  readonly finished: boolean
  /**
   * Chunk-at-a-time use: the next chunk of the file, exactly chunkSize bytes unless final
   * (0..chunkSize). Returns its frame; the final chunk is padded inside its frame.
   */
  encryptChunk(plaintext: Uint8Array, final: boolean): Uint8Array
  /**
   * Stream use: adds file bytes in pieces of any size and returns the frames now complete. One
   * full chunk is held back until more data, or finish(), shows whether it is the last.
   */
  push(data: Uint8Array): Uint8Array[]
  /** Stream use: ends the file and returns the final frame. */
  finish(): Uint8Array[]
  /** The manifest to seal into the attachment item; only after the final chunk. */
  manifest(meta: AttachmentMeta): AttachmentManifest
}

export type EncryptorOptions = { key?: Uint8Array; noncePrefix?: Uint8Array; chunkSize?: number }

export function createAttachmentEncryptor(options: EncryptorOptions = {}): AttachmentEncryptor {
  const key = options.key?.slice() ?? nacl.randomBytes(ATTACHMENT_KEY_BYTES)
  const noncePrefix = options.noncePrefix?.slice() ?? nacl.randomBytes(NONCE_PREFIX_BYTES)
  const chunkSize = options.chunkSize ?? ATTACHMENT_CHUNK_SIZE
  checkKey(key)
  checkChunkSize(chunkSize)
  if (noncePrefix.length !== NONCE_PREFIX_BYTES) throw new CryptoError('bad-key', 'nonce prefix')
  const hash = sha256.create()
  let buffer: Uint8Array = new Uint8Array(0) // push() input not yet framed
  let chunks = 0
  let size = 0
  let finished = false
  let digest = ''

  const encryptChunk = (plaintext: Uint8Array, final: boolean): Uint8Array => {
    if (finished) throw new CryptoError('bad-state', 'attachment: chunk after the final one')
    if (final ? plaintext.length > chunkSize : plaintext.length !== chunkSize) {
      throw new CryptoError('bad-state', 'attachment: only the final chunk may be short')
    }
    hash.update(plaintext)
    size += plaintext.length
    let chunk = plaintext
    if (final) {
      finished = true
      digest = toHex(hash.digest())
      // Zero padding up to the bucket; it always fits in this chunk (see paddedFileSize).
      const framedBefore = chunks * chunkSize
      chunk = new Uint8Array(paddedFileSize(size, chunkSize) - framedBefore)
      chunk.set(plaintext)
    }
    return encryptFrame(key, noncePrefix, chunks++, chunk, final)
  }

  return {
    key,
    noncePrefix,
    chunkSize,
    get size() {
      return size + buffer.length
    },
    get chunks() {
      return chunks
    },
    get finished() {
      return finished
    },
    encryptChunk(plaintext, final) {
      if (buffer.length > 0) throw new CryptoError('bad-state', 'attachment: push() data pending')
      return encryptChunk(plaintext, final)
    },
    push(data) {
      if (finished) throw new CryptoError('bad-state', 'attachment: push after the final chunk')
      buffer = concatBytes(buffer, data)
      const out: Uint8Array[] = []
      let offset = 0
      while (buffer.length - offset > chunkSize) {
        out.push(encryptChunk(buffer.subarray(offset, offset + chunkSize), false))
        offset += chunkSize
      }
      buffer = buffer.slice(offset)
      return out
    },
    finish() {
      const last = buffer
      buffer = new Uint8Array(0)
      return [encryptChunk(last, true)]
    },
    manifest(meta) {
      if (!finished) throw new CryptoError('bad-state', 'attachment: not finished')
      return {
        v: 1,
        name: meta.name,
        type: meta.type,
        size,
        sha256: digest,
        key: toBase64(key),
        noncePrefix: toBase64(noncePrefix),
        chunkSize,
        chunks,
        ...(meta.ref !== undefined ? { ref: meta.ref } : {}),
      }
    },
  }
}

/** Whole-buffer convenience: frames plus manifest. */
export function encryptAttachment(
  data: Uint8Array,
  meta: AttachmentMeta,
  options: EncryptorOptions = {}
): { manifest: AttachmentManifest; frames: Uint8Array[] } {
  const enc = createAttachmentEncryptor(options)
  const frames = [...enc.push(data), ...enc.finish()]
  return { manifest: enc.manifest(meta), frames }
}

type Source = AsyncIterable<Uint8Array> | Iterable<Uint8Array>

/** Streams any source of byte pieces (a File's stream, a request body) into frames. */
export async function* encryptAttachmentStream(
  source: Source,
  encryptor: AttachmentEncryptor
): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const piece of source) yield* encryptor.push(piece)
  yield* encryptor.finish()
}

// ---------------------------------------------------------------------------------------------
// Decryption

export type AttachmentDecryptor = {
  readonly chunks: number
  readonly size: number
  readonly finished: boolean
  /** Decrypts the next frame. Errors are final: the decryptor refuses everything afterwards. */
  decryptChunk(frame: Uint8Array): { plaintext: Uint8Array; final: boolean }
  /** Call at the end of the data: throws 'truncated' unless the final frame was seen. */
  finish(): void
}

export function createAttachmentDecryptor(
  key: Uint8Array,
  noncePrefix: Uint8Array,
  options: { chunkSize?: number } = {}
): AttachmentDecryptor {
  checkKey(key)
  if (noncePrefix.length !== NONCE_PREFIX_BYTES) throw new CryptoError('bad-key', 'nonce prefix')
  const chunkSize = options.chunkSize ?? ATTACHMENT_CHUNK_SIZE
  checkChunkSize(chunkSize)
  const fullFrame = chunkSize + FRAME_OVERHEAD
  let index = 0
  let size = 0
  let finished = false
  let failed = false

  const tryOpen = (frame: Uint8Array, i: number, final: boolean): Uint8Array | null =>
    i >= 0 && i < MAX_CHUNKS
      ? nacl.secretbox.open(frame, chunkNonce(noncePrefix, i, final), key)
      : null

  // Only on failure: does the frame belong somewhere else? Then say "reordered" rather than a
  // generic failure, which helps tell a broken upload from a server shuffling frames.
  const diagnose = (frame: Uint8Array): CryptoError => {
    for (let i = Math.max(0, index - REORDER_WINDOW); i <= index + REORDER_WINDOW; i++) {
      if (i !== index && (tryOpen(frame, i, false) || tryOpen(frame, i, true))) {
        return new CryptoError('reordered', `attachment: frame ${index} belongs at ${i}`)
      }
    }
    return new CryptoError('open-failed', `attachment: frame ${index} does not open`)
  }

  const fail = (e: CryptoError): never => {
    failed = true
    throw e
  }

  return {
    get chunks() {
      return index
    },
    get size() {
      return size
    },
    get finished() {
      return finished
    },
    decryptChunk(frame) {
      if (failed) throw new CryptoError('bad-state', 'attachment: decryptor already failed')
      if (finished) fail(new CryptoError('extended', 'attachment: data after the final frame'))
      if (frame.length < FRAME_OVERHEAD) {
        fail(new CryptoError('truncated', 'attachment: short frame'))
      }
      if (frame.length > fullFrame) {
        fail(new CryptoError('bad-format', 'attachment: frame too long'))
      }
      // A short frame can only be the final one; a full one is usually not, but may be.
      let final = false
      let plaintext = frame.length === fullFrame ? tryOpen(frame, index, false) : null
      if (!plaintext) {
        plaintext = tryOpen(frame, index, true)
        final = true
      }
      if (!plaintext) return fail(diagnose(frame))
      index++
      size += plaintext.length
      finished = final
      return { plaintext, final }
    },
    finish() {
      if (failed) throw new CryptoError('bad-state', 'attachment: decryptor already failed')
      if (!finished) fail(new CryptoError('truncated', 'attachment: no final frame'))
    },
  }
}

function manifestKeys(manifest: AttachmentManifest): { key: Uint8Array; noncePrefix: Uint8Array } {
  return { key: fromBase64(manifest.key), noncePrefix: fromBase64(manifest.noncePrefix) }
}

/**
 * Cuts the padding off decrypted chunks: passes through the first `size` bytes, hashes them, and
 * insists that everything after them is zero (the one spelling of padding the encryptor writes).
 */
function unpadder(m: AttachmentManifest) {
  const hash = sha256.create()
  let seen = 0
  return {
    take(plaintext: Uint8Array): Uint8Array {
      const keep = Math.max(0, Math.min(plaintext.length, m.size - seen))
      seen += plaintext.length
      for (let i = keep; i < plaintext.length; i++) {
        if (plaintext[i] !== 0) throw new CryptoError('bad-format', 'attachment: non-zero padding')
      }
      const real = plaintext.subarray(0, keep)
      hash.update(real)
      return real
    },
    check(chunks: number): void {
      if (chunks !== m.chunks || seen !== paddedFileSize(m.size, m.chunkSize)) {
        throw new CryptoError('hash-mismatch', 'attachment: length differs from the manifest')
      }
      if (toHex(hash.digest()) !== m.sha256) {
        throw new CryptoError('hash-mismatch', 'attachment: SHA-256 differs from the manifest')
      }
    },
  }
}

/** Decrypts a complete list of frames and checks them against the manifest. */
export function decryptAttachment(
  frames: Iterable<Uint8Array>,
  manifest: AttachmentManifest
): Uint8Array {
  const m = parseManifest(manifest)
  const { key, noncePrefix } = manifestKeys(m)
  const dec = createAttachmentDecryptor(key, noncePrefix, { chunkSize: m.chunkSize })
  const unpad = unpadder(m)
  const parts: Uint8Array[] = []
  for (const frame of frames) parts.push(unpad.take(dec.decryptChunk(frame).plaintext))
  dec.finish()
  unpad.check(dec.chunks)
  return concatBytes(...parts)
}

/**
 * Decrypts the concatenated ciphertext as it arrives in arbitrary pieces, yielding plaintext
 * pieces. Every yielded piece is authentic; the whole-file checks (length, hash) run at the end,
 * so a consumer must treat the output as incomplete until the generator returns without error.
 */
export async function* decryptAttachmentStream(
  source: Source,
  manifest: AttachmentManifest
): AsyncGenerator<Uint8Array, void, undefined> {
  const m = parseManifest(manifest)
  const { key, noncePrefix } = manifestKeys(m)
  const dec = createAttachmentDecryptor(key, noncePrefix, { chunkSize: m.chunkSize })
  const unpad = unpadder(m)
  const fullFrame = m.chunkSize + FRAME_OVERHEAD
  const expectedBytes = paddedFileSize(m.size, m.chunkSize) + m.chunks * FRAME_OVERHEAD
  let total = 0
  let buffer: Uint8Array = new Uint8Array(0)
  const open = (frame: Uint8Array): Uint8Array => unpad.take(dec.decryptChunk(frame).plaintext)
  for await (const piece of source) {
    total += piece.length
    if (total > expectedBytes) throw new CryptoError('extended', 'attachment: longer than manifest')
    buffer = concatBytes(buffer, piece)
    let offset = 0
    while (buffer.length - offset >= fullFrame) {
      const real = open(buffer.subarray(offset, offset + fullFrame))
      offset += fullFrame
      if (real.length > 0) yield real
    }
    buffer = buffer.slice(offset)
  }
  if (total < expectedBytes) throw new CryptoError('truncated', 'attachment: shorter than manifest')
  if (buffer.length > 0 || !dec.finished) {
    const real = open(buffer)
    if (real.length > 0) yield real
  }
  dec.finish()
  unpad.check(dec.chunks)
}
