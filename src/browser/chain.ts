// Where the next item of a thread goes: after the highest item listed, naming its hash (`prev`).
// Hashes are computed here from the ciphertext the server sent; only the reporter's internal-note
// entries (notes are never sent to the reporter) carry the server's word for their hash.
import { FIRST_PREV, fromBase64, itemHash, type ThreadHead } from '../../crypto'

/** The head of an empty thread: the next item is seq 1, with no predecessor. */
export const EMPTY_HEAD: ThreadHead = { seq: 0, hash: FIRST_PREV }

/** The highest-numbered item of a listing (sealed items, plus notes known only by their hash). */
export function headOf(
  items: readonly { seq: number; sealed: string }[],
  hashed: readonly { seq: number; hash: string }[] = []
): ThreadHead {
  let head = EMPTY_HEAD
  let sealed: string | undefined
  for (const i of items) {
    if (i.seq > head.seq) {
      head = { seq: i.seq, hash: '' }
      sealed = i.sealed
    }
  }
  if (sealed !== undefined) head = { seq: head.seq, hash: hashOfSealed(sealed) }
  for (const n of hashed) if (n.seq > head.seq) head = { seq: n.seq, hash: n.hash }
  return head
}

/** itemHash of a base64 stored item, as the next item's `prev` must name it. */
export function hashOfSealed(sealed: string): string {
  try {
    return itemHash(fromBase64(sealed))
  } catch {
    // Not base64: nothing can chain to it; the reader reports the item as unreadable.
    return ''
  }
}
