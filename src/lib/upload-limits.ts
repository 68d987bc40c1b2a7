// Sizes of the resumable upload protocol (src/http/uploads.ts), shared by the services that
// announce them to browsers and the routes that enforce them.
import {
  ATTACHMENT_CHUNK_SIZE,
  FRAME_OVERHEAD,
  frameCount,
  paddedFileSize,
} from '../../crypto/attachment'

/** Pieces are whole 64 KiB frames (65552 bytes with the MAC), up to 16 per request. */
export const MAX_PIECE_BYTES = 16 * (ATTACHMENT_CHUNK_SIZE + FRAME_OVERHEAD)

/** The largest ciphertext a plaintext limit allows: padded to its bucket, plus one MAC per frame. */
export function ciphertextLimit(plaintextLimit: number): number {
  const padded = paddedFileSize(plaintextLimit)
  return padded + frameCount(padded, ATTACHMENT_CHUNK_SIZE) * FRAME_OVERHEAD
}
