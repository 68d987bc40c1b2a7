// Sealing the reporter's items and adding them to the case thread. The sequence number and the
// previous item's hash are inside the signed envelope, so when someone else took the next number
// first (409 seq-taken) the thread is read again and the item sealed again after the new head.
import {
  defaultRandom,
  fromBase64,
  itemHash,
  sealItem,
  toBase64,
  toBase64Url,
  type JsonValue,
  type ThreadHead,
} from '../../crypto'
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
  /** itemHash of the item at lastSeq: the next item's `prev`. */
  lastHash: string
  /** Reads the thread again after a seq race: its head, where the next item goes. */
  reread: () => Promise<ThreadHead>
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
  prev: string,
  type: ReporterItemKind,
  body: JsonValue
): string {
  const sealed = sealItem(
    {
      caseId: ctx.caseId,
      itemId,
      seq,
      prev,
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
    const sealed = sealReporterItem(ctx, itemId, seq, ctx.lastHash, kind, body)
    const req: AddItemRequest = { itemId, seq, kind, sealed, ...(blobIds ? { blobIds } : {}) }
    try {
      await api.json<{ seq?: number }>('POST', '/api/r/items', req)
      ctx.lastSeq = seq
      ctx.lastHash = itemHash(fromBase64(sealed))
      return seq
    } catch (e) {
      const taken = e instanceof ApiFailure && e.status === 409 && e.code === 'seq-taken'
      if (!taken || attempt >= MAX_SEQ_RETRIES) throw e
      // The item now at the head is the one to name as `prev`; a head below the number just
      // refused would repeat the race, which the retry limit ends.
      const head = await ctx.reread()
      ctx.lastSeq = head.seq
      ctx.lastHash = head.hash
    }
  }
}

/** The attachment item body: one entry per uploaded file, manifest (with the key) inside. */
export function attachmentBody(files: UploadedFile[]): JsonValue {
  return { files: files.map((f) => ({ blobId: f.blobId, ...f.manifest })) }
}
