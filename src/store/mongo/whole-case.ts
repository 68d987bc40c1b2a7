// A new case with its grants and first item (CaseStore.createWhole) without multi-record
// transactions (FerretDB v1 has none): the records in order, the case discarded again when a
// later one fails, so a refused or failed submission leaves nothing behind.
//
// Every record is a plain insert: the case goes in already carrying its first item's seq and
// unread flag, so no read-modify-write of the case (and on FerretDB no lock document, lock.ts) is
// on a submission's path; under load that lock cost three more writes per report and queued them.
// Until its item is stored such a case shows lastSeq 1 and no item, which readers already meet
// as "missing" and which lasts a few milliseconds.
//
// A crash or a cut connection between the inserts can leave a case without its item: such a case
// is marked (`unfinishedSince`, set on insert) and sweepUnfinishedCases, run when the store
// opens, discards marked cases older than a minute that have no item. src/report/new-case.ts
// discards them at once when the database still answers, and a retry with the same receipt
// replaces one. The mark is not cleared on the submission's path (that would be a locked update
// again): the sweep clears it on whole cases.
import {
  DuplicateError,
  type CaseItem,
  type CaseStore,
  type Grant,
  type GrantStore,
  type NewCase,
} from '../types'
import { docOf, insertCaseDoc } from './cases'
import type { Ctx } from './context'
import { isDuplicateKey } from './errors'
import { itemDoc, unreadFlags } from './items'

/** A marked case younger than this may still be being written by a live instance. */
export const UNFINISHED_GRACE_MS = 60_000

/** The record writes createWhole is made of (over another store in a test, faults-half-written). */
export interface CaseRecords {
  /** Inserts the case carrying `first`'s seq and unread flag, marked unfinished. */
  insertCase(c: NewCase, first: CaseItem): Promise<unknown>
  putGrant(g: Grant): Promise<unknown>
  /** Inserts the first item; DuplicateError('item') when its id is taken. */
  insertItem(item: CaseItem): Promise<unknown>
  discardIncomplete(id: string): Promise<boolean>
}

export function wholeCase(r: CaseRecords): CaseStore['createWhole'] {
  return async (c, caseGrants, first) => {
    await r.insertCase(c, first)
    try {
      for (const g of caseGrants) await r.putGrant(g)
      await r.insertItem(first)
    } catch (err) {
      await r.discardIncomplete(c.id).catch(() => false)
      throw err
    }
  }
}

/** MongoDB's records: plain inserts, none of them a read-modify-write. */
export function mongoCaseRecords(
  ctx: Ctx,
  cases: Pick<CaseStore, 'discardIncomplete'>,
  grants: Pick<GrantStore, 'put'>
): CaseRecords {
  return {
    insertCase: (c, first) =>
      insertCaseDoc(ctx, {
        ...docOf(c),
        lastSeq: first.seq,
        ...unreadFlags(first),
        unfinishedSince: new Date(),
      }),
    putGrant: (g) => grants.put(g),
    async insertItem(item) {
      try {
        await ctx.m.items.create(itemDoc(item))
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('item')
        throw err
      }
    },
    discardIncomplete: (id) => cases.discardIncomplete(id),
  }
}

/**
 * Discards the cases a crash left without their first item (marked, older than the grace, no
 * item) and clears the mark of whole ones. Returns how many were discarded.
 */
export async function sweepUnfinishedCases(
  ctx: Ctx,
  cases: Pick<CaseStore, 'discardIncomplete'>,
  now = new Date()
): Promise<number> {
  const marked = await ctx.m.cases
    .find({ unfinishedSince: { $lt: new Date(now.getTime() - UNFINISHED_GRACE_MS) } }, { _id: 1 })
    .lean<{ _id: string }[]>()
  let discarded = 0
  for (const { _id: id } of marked) {
    if (await cases.discardIncomplete(id)) {
      discarded++
      continue
    }
    // Whole (it has its item): the mark has done its work. Under the case's lock, as any update.
    await ctx.atomic.run(`case:${id}`, () =>
      ctx.m.cases.updateOne({ _id: { $eq: id } }, { $unset: { unfinishedSince: 1 } })
    )
  }
  return discarded
}
