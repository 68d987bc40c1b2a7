// Legal holds, deletion claims and remnants on MongoDB. Hold and claim live in one document per
// case (case_retention), and each change is one conditional write on it: MongoDB applies that
// atomically, so a hold and a claim never both win. On FerretDB the same writes run under the
// case's retention lock (ctx.atomic, see lock.ts), as its updates are not atomic.
import type { CaseState, Outcome } from '../../domain/vocab'
import { decodeRemnant, encodeRemnant } from '../remnants'
import type {
  LegalHold,
  PurgeClaim,
  PurgeInProgress,
  RetentionCandidate,
  RetentionStore,
} from '../types'
import type { Ctx } from './context'
import { isDuplicateKey } from './errors'
import type { CaseDoc } from './models'

interface RetentionDoc {
  _id: string
  holdReason?: string
  holdBy?: string
  holdAt?: Date
  purgeKey?: string
  purgeOwner?: string
  purgeAt?: Date
}

interface RemnantDoc {
  _id: string
  receivedAt: Date
  stats: string
}

const RETENTION = 'case_retention'
const REMNANTS = 'case_remnants'

/** Indexes the retention queries need; called when the store opens. */
function holdOf(d: RetentionDoc | null): LegalHold | null {
  if (!d?.holdAt) return null
  return { caseId: d._id, reason: d.holdReason ?? '', setBy: d.holdBy ?? '', setAt: d.holdAt }
}

const absent = { $exists: false } as const

export function createRetentionStore(ctx: Ctx): RetentionStore {
  const docs = ctx.db.collection<RetentionDoc>(RETENTION)
  const remnants = ctx.db.collection<RemnantDoc>(REMNANTS)
  const locked = <T>(caseId: string, fn: () => Promise<T>) =>
    ctx.atomic.run(`retention:${caseId}`, fn)

  return {
    async getHold(caseId) {
      return holdOf(await docs.findOne({ _id: { $eq: caseId } }))
    },

    setHold(h) {
      return locked(h.caseId, async () => {
        try {
          await docs.updateOne(
            { _id: h.caseId, purgeKey: absent },
            { $set: { holdReason: h.reason, holdBy: h.setBy, holdAt: h.setAt } },
            { upsert: true }
          )
          return 'set'
        } catch (err) {
          // The document exists with a claim: the upsert's insert collided with it.
          if (isDuplicateKey(err)) return 'purging'
          throw err
        }
      })
    },

    clearHold(caseId) {
      return locked(caseId, async () => {
        const r = await docs.updateOne(
          { _id: { $eq: caseId }, holdAt: { $exists: true } },
          { $unset: { holdReason: '', holdBy: '', holdAt: '' } }
        )
        return r.modifiedCount === 1
      })
    },

    async listHolds() {
      const found = await docs
        .find({ holdAt: { $exists: true } })
        .sort({ _id: 1 })
        .toArray()
      return found.map(holdOf).filter((h): h is LegalHold => h !== null)
    },

    async candidates(updatedBefore, afterId, limit) {
      const cases = await ctx.m.cases
        .find(
          { updatedAt: { $lt: updatedBefore }, _id: { $gt: afterId ?? '' } },
          { state: 1, outcome: 1, updatedAt: 1 }
        )
        .sort({ _id: 1 })
        .limit(limit)
        .lean<Pick<CaseDoc, '_id' | 'state' | 'outcome' | 'updatedAt'>[]>()
      if (cases.length === 0) return []
      const held = new Set(
        (
          await docs
            .find({ _id: { $in: cases.map((c) => c._id) }, holdAt: { $exists: true } })
            .project<{ _id: string }>({ _id: 1 })
            .toArray()
        ).map((d) => d._id)
      )
      return cases.map((c): RetentionCandidate => ({
        id: c._id,
        // The stored strings are the closed sets the case schema enforces (as in cases.ts).
        state: c.state as CaseState,
        outcome: c.outcome as Outcome | undefined,
        updatedAt: c.updatedAt,
        held: held.has(c._id),
      }))
    },

    claimPurge(caseId, owner, newKey, now, staleBefore) {
      return locked(caseId, async (): Promise<PurgeClaim> => {
        // A fresh claim: no hold, no claim (the document may not exist yet).
        try {
          const r = await docs.updateOne(
            { _id: caseId, holdAt: absent, purgeKey: absent },
            { $set: { purgeKey: newKey, purgeOwner: owner, purgeAt: now } },
            { upsert: true }
          )
          if (r.modifiedCount + r.upsertedCount === 1) {
            return { status: 'claimed', key: newKey, takenOver: false }
          }
        } catch (err) {
          if (!isDuplicateKey(err)) throw err
        }
        // Our own claim again, or one a crashed run left behind: keep its remnant key.
        const before = await docs.findOneAndUpdate(
          {
            _id: { $eq: caseId },
            holdAt: absent,
            purgeKey: { $exists: true },
            $or: [{ purgeOwner: { $eq: owner } }, { purgeAt: { $lt: staleBefore } }],
          },
          { $set: { purgeOwner: owner, purgeAt: now } },
          { returnDocument: 'before' }
        )
        if (before?.purgeKey) return { status: 'claimed', key: before.purgeKey, takenOver: true }
        const d = await docs.findOne({ _id: { $eq: caseId } })
        return d?.holdAt ? { status: 'held' } : { status: 'busy' }
      })
    },

    releasePurge(caseId, owner) {
      return locked(caseId, async () => {
        await docs.updateOne(
          { _id: { $eq: caseId }, purgeOwner: { $eq: owner } },
          { $unset: { purgeKey: '', purgeOwner: '', purgeAt: '' } }
        )
      })
    },

    async purgesInProgress() {
      const found = await docs
        .find({ purgeKey: { $exists: true } })
        .sort({ _id: 1 })
        .toArray()
      return found.map((d): PurgeInProgress => ({
        caseId: d._id,
        key: d.purgeKey ?? '',
        owner: d.purgeOwner ?? '',
        at: d.purgeAt ?? new Date(0),
      }))
    },

    async endPurge(caseId) {
      await locked(caseId, () => docs.deleteOne({ _id: { $eq: caseId } }))
    },

    async blobIds(caseId) {
      const found = await ctx.m.blobs
        .find({ caseId: { $eq: caseId } }, { _id: 1 })
        .sort({ _id: 1 })
        .lean<{ _id: string }[]>()
      return found.map((b) => b._id)
    },

    deleteCaseData(caseId) {
      // Under the case's lock, as item appends are; items and grants first, then the case, so a
      // stop in between leaves the case to be found and deleted again.
      return ctx.atomic.run(`case:${caseId}`, async () => {
        const items = await ctx.m.items.deleteMany({ caseId: { $eq: caseId } })
        const grants = await ctx.m.grants.deleteMany({ caseId: { $eq: caseId } })
        const gone = await ctx.m.cases.deleteOne({ _id: { $eq: caseId } })
        return {
          items: items.deletedCount,
          grants: grants.deletedCount,
          case: gone.deletedCount === 1,
        }
      })
    },

    async putRemnant(key, stats) {
      try {
        await remnants.insertOne({
          _id: key,
          receivedAt: stats.receivedAt,
          stats: encodeRemnant(stats),
        })
        return true
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },

    async eachRemnant(receivedFrom, receivedBefore, visit) {
      const cursor = remnants
        .find({ receivedAt: { $gte: receivedFrom, $lt: receivedBefore } })
        .project<{ stats: string }>({ stats: 1 })
        .batchSize(1000)
      let n = 0
      for await (const d of cursor) {
        visit(decodeRemnant(d.stats))
        n++
      }
      return n
    },

    async remnantRange() {
      const edge = (order: 1 | -1) =>
        remnants.findOne({}, { sort: { receivedAt: order }, projection: { receivedAt: 1 } })
      const [first, last] = await Promise.all([edge(1), edge(-1)])
      return first && last ? { first: first.receivedAt, last: last.receivedAt } : null
    },

    countRemnants() {
      return remnants.countDocuments({})
    },
  }
}
