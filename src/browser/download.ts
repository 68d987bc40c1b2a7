// Fetches an attachment's ciphertext and decrypts it in the browser. Nothing is offered to the
// reporter until the whole file decrypted and matched its manifest (length and SHA-256).
import { decryptAttachmentStream, parseManifest, type AttachmentManifest } from '../../crypto'

import { ownedBytes } from '../../crypto/encoding'
import type { Api } from './http'

export interface FileEntry {
  blobId: string
  manifest: AttachmentManifest
}

/** The files of an attachment item body; malformed entries are skipped. */
export function filesOf(body: unknown): FileEntry[] {
  const files = (body as { files?: unknown } | null)?.files
  if (!Array.isArray(files)) return []
  const out: FileEntry[] = []
  for (const f of files) {
    // The browser writes blobId; the server's no-JS path names the blob in the manifest's ref.
    const entry = f as { blobId?: unknown; ref?: unknown } | null
    const blobId = entry?.blobId ?? entry?.ref
    if (typeof blobId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(blobId)) continue
    try {
      out.push({ blobId, manifest: parseManifest(f) })
    } catch {
      // Shown as nothing rather than as a file that cannot be opened.
    }
  }
  return out
}

async function* bodyPieces(res: Response): AsyncGenerator<Uint8Array> {
  if (!res.body) {
    yield new Uint8Array(await res.arrayBuffer())
    return
  }
  const reader = res.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

/**
 * Decrypted content as a Blob. The type is generic on purpose: the browser must save, not render.
 * `path` names where the ciphertext is (the officer pages fetch it from their own API).
 */
export async function downloadAndDecrypt(
  api: Api,
  file: FileEntry,
  path = `/api/r/blobs/${file.blobId}/data`
): Promise<Blob> {
  const res = await api.bytes(path)
  const parts: BlobPart[] = []
  for await (const plain of decryptAttachmentStream(bodyPieces(res), file.manifest)) {
    parts.push(ownedBytes(plain))
  }
  return new Blob(parts, { type: 'application/octet-stream' })
}
