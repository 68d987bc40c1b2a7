// Writing a new case whole or not at all. The store promises atomic writes of one record only
// (src/store/types.ts), and a case is three kinds of record: the case, its grants, its first
// item. A submission cut off in between (the database connection lost, a full disk, a duplicate
// item id) would leave a case the officer cannot open and a receipt that can never be used again.
// So the case is discarded on any failure before its first item is stored; when the database
// can't be reached for that, the discard is tried again in the background with back-off, and a
// retry with the same receipt replaces such a leftover at once.
import type { Clock } from '../deps'
import { DuplicateError, type NewCase, type Store } from '../store/types'

/** Back-off of the background discard: 1 s doubling to 5 min, about 1.5 h of tries in all. */
const DISCARD_FIRST_MS = 1000
const DISCARD_MAX_MS = 5 * 60_000
const DISCARD_TRIES = 25

/**
 * Creates the case, then runs `rest` (grants, the first item) and returns what it returns.
 * Throws DuplicateError when the case id or the receipt is taken by a whole case; anything
 * `rest` throws is rethrown once the case is discarded (or its discard scheduled).
 */
export async function writeNewCase<T>(
  store: Store,
  clock: Clock,
  c: NewCase,
  rest: () => Promise<T>
): Promise<T> {
  try {
    await store.cases.create(c)
  } catch (err) {
    if (!(err instanceof DuplicateError) || !(await discardLeftover(store, c))) throw err
    await store.cases.create(c)
  }
  try {
    return await rest()
  } catch (err) {
    if (!(await tryDiscard(store, c.id))) void discardLater(store, clock, c.id)
    throw err
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
  return old !== null && old.lastSeq === 0 && (await store.cases.discardIncomplete(old.id))
}
