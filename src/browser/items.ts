// Sealing the reporter's items and adding them to the case thread. The sequence number is inside
// the signed envelope, so when someone else took the next number first (409 seq-taken) the item
// is sealed again for the new number.
import { defaultRandom, sealItem, toBase64, toBase64Url, type JsonValue } from '../../crypto'
import type { AddItemRequest } from '../report/api'

import { ApiFailure, type Api } from './http'
import type { UploadedFile } from './upload'

export interface ThreadContext {
  caseId: string
  casePublicKey: Uint8Array
  /** The reporter's Ed25519 secret key (64 bytes), from the receipt. */
  signSecretKey: Uint8Array
  /** Highest sequence number known to be taken. */
  lastSeq: number
}

export type ReporterItemKind = AddItemRequest['kind'] | 'answers'

const MAX_SEQ_RETRIES = 8

export function newId(): string {
  return toBase64Url(defaultRandom(16))
}

export function sealReporterItem(
  ctx: ThreadContext,
  itemId: string,
  seq: number,
  type: ReporterItemKind,
  body: JsonValue
): string {
  const sealed = sealItem(
    {
      caseId: ctx.caseId,
      itemId,
      seq,
      author: { role: 'reporter' },
      createdAt: new Date().toISOString(),
      type,
      body,
    },
    ctx.casePublicKey,
    ctx.signSecretKey
  )
  return toBase64(sealed)
}

/** POST /api/r/items, re-sealing on seq-taken. Returns the seq the item got. */
export async function addItem(
  api: Api,
  ctx: ThreadContext,
  kind: AddItemRequest['kind'],
  body: JsonValue,
  blobIds?: string[]
): Promise<number> {
  const itemId = newId()
  for (let attempt = 0; ; attempt++) {
    const seq = ctx.lastSeq + 1
    const req: AddItemRequest = {
      itemId,
      seq,
      kind,
      sealed: sealReporterItem(ctx, itemId, seq, kind, body),
      ...(blobIds ? { blobIds } : {}),
    }
    try {
      const res = await api.json<{ seq?: number }>('POST', '/api/r/items', req)
      ctx.lastSeq = Math.max(ctx.lastSeq, res?.seq ?? seq)
      return seq
    } catch (e) {
      const taken = e instanceof ApiFailure && e.status === 409 && e.code === 'seq-taken'
      if (!taken || attempt >= MAX_SEQ_RETRIES) throw e
      // Never go backwards, even if the server answers with a smaller number.
      ctx.lastSeq = Math.max(seq, e.lastSeq ?? seq)
    }
  }
}

/** The attachment item body: one entry per uploaded file, manifest (with the key) inside. */
export function attachmentBody(files: UploadedFile[]): JsonValue {
  return { files: files.map((f) => ({ blobId: f.blobId, ...f.manifest })) }
}
