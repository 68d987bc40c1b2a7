// Writing a new case whole or not at all: the case, its grants and its first item go to the store
// in one call (CaseStore.createWhole). SQLite stores them in one transaction, so a crash, a full
// disk or a duplicate item id leaves nothing behind and there is nothing to sweep at start. MongoDB
// (FerretDB v1: no multi-record transactions) writes them in order and discards the case itself
// when a later record fails; only when the database cannot be reached for that discard (a cut
// connection) may the case stay: it is discarded again here in the background with back-off, and
// a retry with the same receipt replaces such a leftover at once.
import type { Clock } from '../deps'
import { DuplicateError, type CaseItem, type Grant, type NewCase, type Store } from '../store/types'

/** Back-off of the background discard: 1 s doubling to 5 min, about 1.5 h of tries in all. */
const DISCARD_FIRST_MS = 1000
const DISCARD_MAX_MS = 5 * 60_000
const DISCARD_TRIES = 25

/** The case id or the receipt is taken: nothing of this write was stored. */
const caseTaken = (err: unknown) => err instanceof DuplicateError && err.entity === 'case'

/**
 * Stores the case with its grants and first item. Throws DuplicateError when the case id or the
 * receipt is taken by a whole case, or the item id by another item; nothing is left behind.
 */
export async function writeNewCase(
  store: Store,
  clock: Clock,
  c: NewCase,
  grants: readonly Grant[],
  first: CaseItem
): Promise<void> {
  const write = async () => {
    try {
      await store.cases.createWhole(c, grants, first)
    } catch (err) {
      // A record of this case may be stored (MongoDB, connection cut mid-write): take it away.
      if (!caseTaken(err) && !(await tryDiscard(store, c.id))) void discardLater(store, clock, c.id)
      throw err
    }
  }
  try {
    await write()
  } catch (err) {
    if (!caseTaken(err) || !(await discardLeftover(store, c))) throw err
    await write()
  }
}

const tryDiscard = (store: Store, id: string) =>
  store.cases.discardIncomplete(id).then(
    () => true,
    () => false
  )

async function discardLater(store: Store, clock: Clock, id: string): Promise<void> {
  const sleep =
    clock.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms).unref()))
  let wait = DISCARD_FIRST_MS
  for (let i = 0; i < DISCARD_TRIES; i++) {
    await sleep(wait)
    if (await tryDiscard(store, id)) return
    wait = Math.min(wait * 2, DISCARD_MAX_MS)
  }
}

/** A case of the same receipt that never got its first item: discarded, so the retry can go on. */
async function discardLeftover(store: Store, c: NewCase): Promise<boolean> {
  if (!c.receiptLookup) return false
  const old = await store.cases.getByReceiptLookup(c.receiptLookup)
  // discardIncomplete itself refuses a case with an item; lastSeq is no guide, as MongoDB's
  // createWhole stores the first item's seq with the case (src/store/mongo/whole-case.ts).
  return old !== null && (await store.cases.discardIncomplete(old.id))
}

/** Pauses of the tries after a case is stored: about 4 s in all. */
const AFTER_STORED_WAITS_MS = [250, 1000, 3000]

/**
 * Runs what must follow a stored case (the reporter's session) and tries again when the database
 * briefly fails: the case is whole and stays, so an error now would tell the reporter "not saved"
 * about a report that was, and their retry would find its receipt taken.
 */
export async function afterStored<T>(clock: Clock, fn: () => Promise<T>): Promise<T> {
  const sleep =
    clock.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms).unref()))
  for (const wait of AFTER_STORED_WAITS_MS) {
    try {
      return await fn()
    } catch {
      await sleep(wait)
    }
  }
  return fn()
}
