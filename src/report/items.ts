// Thread items as the reporter's and the officer's pages receive them.
import { toBase64 } from '../../crypto/encoding'
import type { Envelope } from '../../crypto/item'
import type { CaseItem } from '../store/types'
import type { ItemView } from './api'

export interface OpenedThreadItem {
  item: CaseItem
  envelope?: Envelope
  verified: boolean
  problem?: string
}

/** Every officer who wrote in the thread (current or former). */
export function officerAuthors(items: CaseItem[]): string[] {
  const ids = new Set<string>()
  for (const i of items) if (i.authorRole === 'officer' && i.authorId) ids.add(i.authorId)
  return [...ids]
}

export function toItemView(i: CaseItem): ItemView {
  return {
    seq: i.seq,
    id: i.id,
    kind: i.kind,
    authorRole: i.authorRole,
    ...(i.authorId ? { authorId: i.authorId } : {}),
    encMode: i.encMode,
    sealed: toBase64(i.sealed),
    createdAt: i.createdAt.toISOString(),
  }
}

/** The public half of a key pair; the copy of the secret key the pair carries is zeroed. */
export function publicOnly(pair: { publicKey: Uint8Array; secretKey: Uint8Array }): Uint8Array {
  pair.secretKey.fill(0)
  return pair.publicKey
}
