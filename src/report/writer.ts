// Items the server seals for the reporter on the no-JavaScript path, and the files it encrypts
// into the blob store for them. Secrets come in from the caller and are wiped by it.
import { createAttachmentEncryptor, type AttachmentManifest } from '../../crypto/attachment'
import { sealItem, type Envelope } from '../../crypto/item'
import type { Random } from '../deps'
import type { CaseItem, Store } from '../store/types'
import { newId } from './ids'

const SERVER_PATH_CHUNK = 65536

export function createReporterWriter({ store, random }: { store: Store; random: Random }) {
  /** A reporter's item sealed for the case, ready to store (sealAndInsert, or a new case whole). */
  function sealNew(
    caseId: string,
    seq: number,
    prev: string,
    kind: 'answers' | 'message' | 'attachment',
    body: Envelope['body'],
    casePublicKey: Uint8Array,
    signSecretKey: Uint8Array,
    encMode: 'client' | 'server',
    at: Date
  ): CaseItem {
    const itemId = newId(random)
    const sealed = sealItem(
      {
        caseId,
        itemId,
        seq,
        prev,
        author: { role: 'reporter' },
        createdAt: at.toISOString(),
        type: kind,
        body,
      },
      casePublicKey,
      signSecretKey
    )
    return { caseId, seq, id: itemId, kind, authorRole: 'reporter', encMode, sealed, createdAt: at }
  }

  async function sealAndInsert(...args: Parameters<typeof sealNew>) {
    return store.items.insertAt(sealNew(...args))
  }

  /** Encrypts uploaded files in 64 KiB frames straight into the blob store. */
  async function storeFilesServerSide(
    caseId: string,
    files: File[],
    at: Date
  ): Promise<AttachmentManifest[]> {
    const manifests: AttachmentManifest[] = []
    for (const file of files) {
      const blobId = newId(random)
      await store.blobs.begin(blobId, caseId, at)
      const enc = createAttachmentEncryptor()
      const data = new Uint8Array(await file.arrayBuffer())
      let offset = 0
      let index = 0
      do {
        const end = Math.min(offset + SERVER_PATH_CHUNK, data.length)
        await store.blobs.putPiece(
          blobId,
          index++,
          enc.encryptChunk(data.subarray(offset, end), end === data.length)
        )
        offset = end
      } while (!enc.finished)
      data.fill(0)
      await store.blobs.complete(blobId, index)
      manifests.push(
        enc.manifest({ name: file.name || 'file', type: file.type || '', ref: blobId })
      )
    }
    return manifests
  }

  return { sealNew, sealAndInsert, storeFilesServerSide }
}

export type ReporterWriter = ReturnType<typeof createReporterWriter>
