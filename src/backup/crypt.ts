// Encryption of a backup to the offline backup key (docs/backup.md "File"). The bulk is the
// attachment format's chunked secretbox stream (crypto/attachment.ts: random key, each chunk's
// nonce carries its index and a final flag, so reordering and truncation are caught); its key is
// sealed to BACKUP_PUBLIC_KEY (crypto/sealedbox.ts), so the server can write backups and never read
// them.
//
//   file = MAGIC ‖ u16 BE length ‖ seal(key 32 ‖ noncePrefix 16 ‖ u32 BE chunkSize) ‖ frames
import nacl from 'tweetnacl'
import { createAttachmentDecryptor, createAttachmentEncryptor } from '../../crypto/attachment'
import { FRAME_OVERHEAD } from '../../crypto/attachment-format'
import { concatBytes, utf8Encode } from '../../crypto/encoding'
import { isCryptoError } from '../../crypto/errors'
import { seal, sealOpen } from '../../crypto/sealedbox'
import { ByteQueue } from './byte-queue'
import { BackupError } from './errors'

export const MAGIC = utf8Encode('whistle-portal backup 1\n')
export const BACKUP_CHUNK_SIZE = 256 * 1024
const HEADER_BYTES = 32 + 16 + 4

/** The public half of a backup secret key (X25519). */
export function backupPublicKey(secretKey: Uint8Array): Uint8Array {
  return nacl.box.keyPair.fromSecretKey(secretKey).publicKey
}

/**
 * Encrypts a plaintext stream. Small pieces are gathered into whole chunks before they reach the
 * encryptor, which copies its pending bytes on every push.
 */
export async function* encryptBackup(
  plain: AsyncIterable<Uint8Array>,
  publicKey: Uint8Array
): AsyncGenerator<Uint8Array> {
  const enc = createAttachmentEncryptor({ chunkSize: BACKUP_CHUNK_SIZE })
  const header = new Uint8Array(HEADER_BYTES)
  header.set(enc.key, 0)
  header.set(enc.noncePrefix, 32)
  new DataView(header.buffer).setUint32(48, BACKUP_CHUNK_SIZE, false)
  const sealed = seal(header, publicKey)
  header.fill(0)
  const length = new Uint8Array(2)
  new DataView(length.buffer).setUint16(0, sealed.length, false)
  yield concatBytes(MAGIC, length, sealed)

  let gathered: Uint8Array[] = []
  let size = 0
  for await (const piece of plain) {
    gathered.push(piece)
    size += piece.length
    if (size < BACKUP_CHUNK_SIZE) continue
    yield* enc.push(concatBytes(...gathered))
    gathered = []
    size = 0
  }
  if (size > 0) yield* enc.push(concatBytes(...gathered))
  yield* enc.finish()
  enc.key.fill(0)
}

function cryptoProblem(err: unknown, chunk: number): unknown {
  if (!isCryptoError(err)) return err
  switch (err.code) {
    case 'truncated':
      return new BackupError('truncated', 'the backup is cut off: its final chunk is missing')
    case 'reordered':
      return new BackupError('damaged', `chunk ${chunk} of the backup is out of place`)
    case 'extended':
      return new BackupError('damaged', 'data follows the final chunk of the backup')
    default:
      return new BackupError(
        'damaged',
        `chunk ${chunk} of the backup does not open: the file was altered or cut off`
      )
  }
}

/**
 * Decrypts a backup file's bytes, yielding plaintext chunk by chunk. Every yielded chunk is
 * authentic and in place; the stream is whole only when the generator returns without throwing.
 */
export async function* decryptBackup(
  file: AsyncIterable<Uint8Array>,
  secretKey: Uint8Array
): AsyncGenerator<Uint8Array> {
  const queue = new ByteQueue()
  let dec: ReturnType<typeof createAttachmentDecryptor> | undefined
  let fullFrame = 0
  const open = (frame: Uint8Array): Uint8Array => {
    try {
      return dec!.decryptChunk(frame).plaintext
    } catch (err) {
      throw cryptoProblem(err, dec!.chunks)
    }
  }
  for await (const bytes of file) {
    queue.push(bytes)
    if (!dec) {
      const opened = readHeader(queue, secretKey)
      if (!opened) continue
      dec = opened
      fullFrame = BACKUP_CHUNK_SIZE + FRAME_OVERHEAD
    }
    while (queue.length >= fullFrame) yield open(queue.take(fullFrame))
  }
  if (!dec) {
    if (queue.length >= MAGIC.length) throw new BackupError('truncated', 'the backup has no body')
    throw new BackupError('not-a-backup', 'this file is not a portal backup')
  }
  if (queue.length > 0) yield open(queue.rest())
  try {
    dec.finish()
  } catch (err) {
    throw cryptoProblem(err, dec.chunks)
  }
}

/** Opens the sealed header once all of it has arrived; undefined while it has not. */
function readHeader(queue: ByteQueue, secretKey: Uint8Array) {
  const start = queue.peek(Math.min(queue.length, MAGIC.length + 2))
  if (start.subarray(0, MAGIC.length).some((b, i) => b !== MAGIC[i])) {
    throw new BackupError('not-a-backup', 'this file is not a portal backup (or not version 1)')
  }
  if (queue.length < MAGIC.length + 2) return undefined
  const sealedLength = new DataView(start.buffer).getUint16(MAGIC.length, false)
  if (queue.length < MAGIC.length + 2 + sealedLength) return undefined
  queue.take(MAGIC.length + 2)
  const sealed = queue.take(sealedLength)
  let header: Uint8Array
  try {
    header = sealOpen(sealed, backupPublicKey(secretKey), secretKey)
  } catch {
    throw new BackupError(
      'wrong-key',
      'this key does not open the backup: it was made for another BACKUP_PUBLIC_KEY (or its header was altered)'
    )
  }
  try {
    if (header.length !== HEADER_BYTES) throw new BackupError('unsupported', 'unknown header')
    const chunkSize = new DataView(header.buffer, header.byteOffset).getUint32(48, false)
    if (chunkSize !== BACKUP_CHUNK_SIZE) {
      throw new BackupError('unsupported', `a chunk size this build does not read (${chunkSize})`)
    }
    return createAttachmentDecryptor(header.slice(0, 32), header.slice(32, 48), { chunkSize })
  } finally {
    header.fill(0)
  }
}
