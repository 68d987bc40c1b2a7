// The sealed items of a case in MongoDB (ItemStore of src/store/types.ts): appended with a
// per-case sequence number, and the case's unread flags raised for the other side.
import { DuplicateError, type CaseItem, type ItemStore, type NewCaseItem } from '../types'
import type { Ctx } from './context'
import { isDuplicateKey } from './errors'
import { compact, toBuffer, toBytes, update } from './map'
import type { CaseDoc, ItemDoc } from './models'

export function toItem(d: ItemDoc): CaseItem {
  return compact({
    caseId: d.caseId,
    seq: d.seq,
    id: d._id,
    kind: d.kind,
    authorRole: d.authorRole,
    authorId: d.authorId,
    encMode: d.encMode,
    sealed: toBytes(d.sealed),
    createdAt: d.createdAt,
  } as CaseItem)
}

/** A new item from one side is unread for the other; system items flag nobody. */
export function unreadFlags(item: NewCaseItem): Partial<CaseDoc> {
  if (item.authorRole === 'reporter') return { unreadForOfficers: true }
  // Internal notes never reach the reporter, so they must not flag the reporter either.
  if (item.authorRole === 'officer' && item.kind !== 'note') return { unreadForReporter: true }
  return {}
}

export function itemDoc(item: CaseItem): ItemDoc {
  return compact({
    _id: item.id,
    caseId: item.caseId,
    seq: item.seq,
    kind: item.kind,
    authorRole: item.authorRole,
    authorId: item.authorId,
    encMode: item.encMode,
    sealed: toBuffer(item.sealed),
    createdAt: item.createdAt,
  })
}

export function createItemStore(ctx: Ctx): ItemStore {
  const { cases, items } = ctx.m

  async function topSeq(caseId: string): Promise<number> {
    const top = await items
      .findOne({ caseId: { $eq: caseId } }, { seq: 1 })
      .sort({ seq: -1 })
      .lean<Pick<ItemDoc, 'seq'>>()
    return top?.seq ?? 0
  }

  /** lastSeq only grows ($max), whatever order concurrent writers finish in. */
  async function raiseLastSeq(item: CaseItem): Promise<void> {
    await cases.updateOne(
      { _id: { $eq: item.caseId } },
      update({ $max: { lastSeq: item.seq }, $set: unreadFlags(item) })
    )
  }

  return {
    async append(item) {
      // Insert first, at one past the highest stored seq; the unique (caseId, seq) index picks
      // the winner of a race and the loser takes the next number. Handing out numbers with $inc
      // before inserting would leave a gap whenever the insert fails (a repeated item id, a
      // crash), and readers report gaps as missing entries.
      return ctx.atomic.run(`case:${item.caseId}`, async () => {
        if (!(await cases.exists({ _id: { $eq: item.caseId } }))) {
          throw new Error(`case ${item.caseId} not found`)
        }
        for (let attempt = 0; attempt < 100; attempt++) {
          const stored: CaseItem = { ...item, seq: (await topSeq(item.caseId)) + 1 }
          try {
            await items.create(itemDoc(stored))
          } catch (err) {
            if (!isDuplicateKey(err)) throw err
            if (await items.exists({ _id: { $eq: item.id } })) throw new DuplicateError('item')
            continue
          }
          await raiseLastSeq(stored)
          return toItem(itemDoc(stored))
        }
        throw new Error(`could not append to case ${item.caseId}: sequence contention`)
      })
    },

    async insertAt(item) {
      if (!(await cases.exists({ _id: { $eq: item.caseId } }))) {
        throw new Error(`case ${item.caseId} not found`)
      }
      try {
        await items.create(itemDoc(item))
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
        // Heal a lastSeq left behind by a crash between insert and raise, so the caller's
        // re-read offers a free number.
        const top = await topSeq(item.caseId)
        await ctx.atomic.run(`case:${item.caseId}`, () =>
          cases.updateOne({ _id: { $eq: item.caseId } }, { $max: { lastSeq: top } })
        )
        throw new DuplicateError('item')
      }
      await ctx.atomic.run(`case:${item.caseId}`, () => raiseLastSeq(item))
      return toItem(itemDoc(item))
    },

    async list(caseId, afterSeq) {
      const q: Record<string, unknown> = { caseId: { $eq: caseId } }
      if (afterSeq !== undefined) q.seq = { $gt: afterSeq }
      const docs = await items.find(q).sort({ seq: 1 }).lean<ItemDoc[]>()
      return docs.map(toItem)
    },

    async get(caseId, id) {
      const d = await items.findOne({ _id: { $eq: id }, caseId: { $eq: caseId } }).lean<ItemDoc>()
      return d ? toItem(d) : null
    },
  }
}
