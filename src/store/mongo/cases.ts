import { CASE_STATES, type CaseState } from '../../domain/vocab'
import {
  ConflictError,
  DuplicateError,
  type CaseFilter,
  type CaseListOptions,
  type CaseRecord,
  type CaseStatsRecord,
  type CaseStore,
  type NewCase,
  type PendingExtension,
  type ProtectionMeasure,
  type Referral,
  type StoredClock,
} from '../types'
import type { Ctx } from './context'
import { isDuplicateKey } from './errors'
import { compact, patchUpdate, update } from './map'
import type {
  CaseDoc,
  ClockDoc,
  PendingExtensionDoc,
  ProtectionMeasureDoc,
  RegistrationCounterDoc,
} from './models'
import { upsertRetry } from './people'

const CASE_PATCH_KEYS = [
  'registrationNo',
  'state',
  'outcome',
  'category',
  'tags',
  'assigneeId',
  'planItemIds',
  'clocks',
  'unreadForOfficers',
  'unreadForReporter',
  'pendingExtension',
  'protectionMeasures',
  'notePublicKey',
  'referral',
] as const

function toClock(c: ClockDoc): StoredClock {
  return compact({
    kind: c.kind,
    startedAt: c.startedAt,
    dueAt: c.dueAt,
    metAt: c.metAt,
    extendedDays: c.extendedDays,
  })
}

export function toCase(d: CaseDoc): CaseRecord {
  return compact({
    id: d._id,
    registrationNo: d.registrationNo,
    channel: d.channel,
    anonymity: d.anonymity,
    encMode: d.encMode,
    state: d.state,
    outcome: d.outcome,
    category: d.category,
    tags: [...(d.tags ?? [])],
    assigneeId: d.assigneeId,
    planItemIds: [...(d.planItemIds ?? [])],
    casePublicKey: d.casePublicKey,
    reporterBoxPublicKey: d.reporterBoxPublicKey,
    reporterSignPublicKey: d.reporterSignPublicKey,
    receiptLookup: d.receiptLookup,
    receivedAt: d.receivedAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    lastSeq: d.lastSeq ?? 0,
    unreadForOfficers: d.unreadForOfficers ?? false,
    unreadForReporter: d.unreadForReporter ?? false,
    clocks: (d.clocks ?? []).map(toClock),
    pendingExtension: d.pendingExtension ? toPendingExtension(d.pendingExtension) : undefined,
    protectionMeasures: (d.protectionMeasures ?? []).map(toMeasure),
    notePublicKey: d.notePublicKey,
    referral: d.referral ? toReferral(d.referral) : undefined,
    version: d.version,
  } as CaseRecord)
}

function toReferral(r: NonNullable<CaseDoc['referral']>): Referral {
  return compact({ body: r.body as Referral['body'], name: r.name, at: r.at })
}

function toPendingExtension(p: PendingExtensionDoc): PendingExtension {
  return { requestedBy: p.requestedBy, requestedAt: p.requestedAt, days: p.days, reason: p.reason }
}

function toMeasure(m: ProtectionMeasureDoc): ProtectionMeasure {
  return {
    id: m.id,
    kind: m.kind,
    takenOn: m.takenOn,
    outcome: m.outcome,
    recordedBy: m.recordedBy,
    recordedAt: m.recordedAt,
  }
}

function toClockDoc(c: StoredClock): ClockDoc {
  return compact({
    kind: c.kind,
    startedAt: c.startedAt,
    dueAt: c.dueAt,
    metAt: c.metAt,
    extendedDays: c.extendedDays,
  })
}

/** The statistics' fields of a case (CaseStatsRecord); the rest of the document is never read. */
const STATS_PROJECTION = {
  _id: 0,
  channel: 1,
  anonymity: 1,
  state: 1,
  outcome: 1,
  category: 1,
  receivedAt: 1,
  clocks: 1,
  planItemIds: 1,
  protectionMeasures: 1,
  referral: 1,
} as const

type StatsDoc = Pick<
  CaseDoc,
  | 'channel'
  | 'anonymity'
  | 'state'
  | 'outcome'
  | 'category'
  | 'receivedAt'
  | 'clocks'
  | 'planItemIds'
  | 'protectionMeasures'
  | 'referral'
>

function toStatsRecord(d: StatsDoc): CaseStatsRecord {
  // The stored strings are the closed sets the schema enforces, as in toCase.
  return {
    channel: d.channel,
    anonymity: d.anonymity,
    state: d.state,
    outcome: d.outcome,
    category: d.category,
    receivedAt: d.receivedAt,
    clocks: (d.clocks ?? []).map(toClock),
    planItemIds: [...(d.planItemIds ?? [])],
    protectionMeasures: (d.protectionMeasures ?? []).map((m) => ({ outcome: m.outcome })),
    referral: d.referral ? { body: d.referral.body } : undefined,
  } as CaseStatsRecord
}

const newest = { receivedAt: -1, createdAt: -1, _id: -1 } as const

/** The earliest due time among open (unmet) clocks; undefined when none is open. */
function openDueAt(clocks: readonly StoredClock[]): Date | undefined {
  let earliest: Date | undefined
  for (const c of clocks) {
    if (c.metAt === undefined && (!earliest || c.dueAt < earliest)) earliest = c.dueAt
  }
  return earliest
}

/** Above this many granted cases, list() walks the ids rather than sending them in a $in. */
const MAX_IN_IDS = 500

/** dueSort of a case without an open clock (the largest Date): last in the ascending order. */
const NO_DUE = new Date(8_640_000_000_000_000)

const dueSort = (clocks: readonly StoredClock[]): Date => openDueAt(clocks) ?? NO_DUE

const SORT_FIELD = { received: null, deadline: 'dueSort', registration: 'registrationNo' }

export function sortOf(options: CaseListOptions): Record<string, 1 | -1> {
  const dir = options.direction === 'asc' ? 1 : -1
  const lead = SORT_FIELD[options.sort ?? 'received']
  return { ...(lead ? { [lead]: dir } : {}), receivedAt: dir, createdAt: dir, _id: dir }
}

/**
 * Sets a derived due field on cases stored before it existed (migrations 2 and 3 in
 * ./migrations.ts): `openDueAt` (absent when no clock is open) or `dueSort`.
 */
export async function backfillDue(m: Ctx['m'], field: 'openDueAt' | 'dueSort'): Promise<void> {
  const docs = await m.cases
    .find({ [field]: { $exists: false } }, { clocks: 1 })
    .lean<Pick<CaseDoc, '_id' | 'clocks'>[]>()
  for (const d of docs) {
    const clocks = (d.clocks ?? []).map(toClock)
    const value = field === 'dueSort' ? dueSort(clocks) : openDueAt(clocks)
    if (value) await m.cases.updateOne({ _id: { $eq: d._id } }, { $set: { [field]: value } })
  }
}

export function docOf(c: NewCase): CaseDoc {
  return compact({
    _id: c.id,
    registrationNo: c.registrationNo,
    channel: c.channel,
    anonymity: c.anonymity,
    encMode: c.encMode,
    state: c.state,
    outcome: c.outcome,
    category: c.category,
    tags: [...c.tags],
    assigneeId: c.assigneeId,
    planItemIds: [...c.planItemIds],
    casePublicKey: c.casePublicKey,
    reporterBoxPublicKey: c.reporterBoxPublicKey,
    reporterSignPublicKey: c.reporterSignPublicKey,
    receiptLookup: c.receiptLookup,
    receivedAt: c.receivedAt,
    createdAt: c.createdAt,
    updatedAt: c.createdAt,
    lastSeq: 0,
    unreadForOfficers: false,
    unreadForReporter: false,
    clocks: c.clocks.map(toClockDoc),
    openDueAt: openDueAt(c.clocks),
    dueSort: dueSort(c.clocks),
    pendingExtension: c.pendingExtension ? { ...c.pendingExtension } : undefined,
    protectionMeasures: (c.protectionMeasures ?? []).map((m) => ({ ...m })),
    notePublicKey: c.notePublicKey,
    referral: c.referral ? { ...c.referral } : undefined,
    version: 1,
  })
}

/** Everything of the filter but the grant. */
export function caseQuery(f: CaseFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {}
  if (f.states) q.state = { $in: f.states }
  if (f.channel !== undefined) q.channel = f.channel
  if (f.category !== undefined) q.category = f.category
  if (f.assigneeId !== undefined) q.assigneeId = f.assigneeId
  if (f.planItemId !== undefined) q.planItemIds = f.planItemId
  if (f.receivedFrom || f.receivedBefore) {
    q.receivedAt = compact({ $gte: f.receivedFrom, $lt: f.receivedBefore })
  }
  // FerretDB v1 has no $elemMatch on fields, so the earliest open due time is kept alongside.
  if (f.openClockDueBefore) q.openDueAt = { $lt: f.openClockDueBefore }
  // Exact and prefix as ranges on the index; the two together must both hold.
  const reg: Record<string, string> = {}
  if (f.registrationNo !== undefined) reg.$eq = f.registrationNo
  if (f.registrationPrefix !== undefined) {
    reg.$gte = f.registrationPrefix
    reg.$lt = `${f.registrationPrefix}\u{10FFFF}`
  }
  if (Object.keys(reg).length) q.registrationNo = reg
  if (f.withoutClocks) q.clocks = { $size: 0 }
  return q
}

/** Inserts a case record; DuplicateError('case') when its id or receipt is taken. */
export async function insertCaseDoc(ctx: Ctx, doc: CaseDoc): Promise<void> {
  try {
    await ctx.m.cases.create(doc)
  } catch (err) {
    if (isDuplicateKey(err)) throw new DuplicateError('case')
    throw err
  }
}

export function createCaseStore(ctx: Ctx): Omit<CaseStore, 'createWhole'> {
  const { cases, grants, items, registrationCounters } = ctx.m

  /** The filter as a query; `grantedTo` is resolved through the grants first (no $lookup). */
  async function query(f: CaseFilter = {}): Promise<Record<string, unknown>> {
    const q = caseQuery(f)
    if (f.grantedTo !== undefined) q._id = { $in: await grantedIds(f.grantedTo) }
    return q
  }

  const grantedIds = (officerId: string): Promise<string[]> =>
    grants.distinct('caseId', { granteeKind: 'officer', granteeId: officerId })

  /**
   * One page of the list when the officer holds many grants: a $in of thousands of ids costs
   * FerretDB a comparison per id per document, so the ids walk the sorted, filtered cases
   * (ids only) against the set of granted ones instead, counting up to the limit.
   */
  async function pageByWalk(
    f: CaseFilter,
    granted: ReadonlySet<string>,
    skip: number,
    pageSize: number,
    options: CaseListOptions
  ): Promise<{ docs: CaseDoc[]; counted: number }> {
    const pageIds: string[] = []
    let counted = 0
    const stopAt = options.countLimit === undefined ? Infinity : options.countLimit + 1
    const cursor = cases
      .find(caseQuery(f), { _id: 1 })
      .sort(sortOf(options))
      .lean<Pick<CaseDoc, '_id'>>()
      .cursor({ batchSize: 1000 })
    try {
      for await (const d of cursor) {
        if (!granted.has(d._id)) continue
        if (counted >= skip && pageIds.length < pageSize) pageIds.push(d._id)
        if (++counted >= stopAt) break
      }
    } finally {
      await cursor.close()
    }
    const found = await cases.find({ _id: { $in: pageIds } }).lean<CaseDoc[]>()
    const byId = new Map(found.map((d) => [d._id, d]))
    return { docs: pageIds.flatMap((id) => byId.get(id) ?? []), counted }
  }

  return {
    async create(c: NewCase): Promise<CaseRecord> {
      const doc = docOf(c)
      await insertCaseDoc(ctx, doc)
      return toCase(doc)
    },

    async createMany(list) {
      if (list.length === 0) return
      try {
        await cases.insertMany(list.map(docOf), { ordered: true, lean: true })
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('case')
        throw err
      }
    },

    async get(id) {
      const d = await cases.findOne({ _id: { $eq: id } }).lean<CaseDoc>()
      return d ? toCase(d) : null
    },

    async getByReceiptLookup(lookup) {
      const d = await cases.findOne({ receiptLookup: { $eq: lookup } }).lean<CaseDoc>()
      return d ? toCase(d) : null
    },

    async update(id, expectedVersion, patch, at) {
      const { $set, $unset } = patchUpdate(patch, CASE_PATCH_KEYS)
      if (Array.isArray($set.clocks)) {
        const clocks = $set.clocks as StoredClock[]
        $set.clocks = clocks.map(toClockDoc)
        const due = openDueAt(clocks)
        if (due) $set.openDueAt = due
        else $unset.openDueAt = 1
        $set.dueSort = dueSort(clocks)
      }
      return ctx.atomic.run(`case:${id}`, async () => {
        const d = await cases
          .findOneAndUpdate(
            { _id: { $eq: id }, version: expectedVersion },
            update({ $set: { ...$set, updatedAt: at }, $unset, $inc: { version: 1 } }),
            { returnDocument: 'after' }
          )
          .lean<CaseDoc>()
        // Changed meanwhile, or never there: either way the caller's copy is stale.
        if (!d) throw new ConflictError('case')
        return toCase(d)
      })
    },

    async list(filter, page, pageSize, options = {}) {
      const skip = (Math.max(1, page) - 1) * pageSize
      const limit = options.countLimit
      const finish = (docs: CaseDoc[], counted: number) => {
        const capped = limit !== undefined && counted > limit
        return {
          items: docs.map(toCase),
          total: capped ? limit : counted,
          page,
          pageSize,
          ...(capped ? { capped } : {}),
        }
      }
      const q = caseQuery(filter)
      if (filter.grantedTo !== undefined) {
        const ids = await grantedIds(filter.grantedTo)
        if (ids.length > MAX_IN_IDS) {
          const walked = await pageByWalk(filter, new Set(ids), skip, pageSize, options)
          return finish(walked.docs, walked.counted)
        }
        q._id = { $in: ids }
      }
      const [docs, counted] = await Promise.all([
        cases.find(q).sort(sortOf(options)).skip(skip).limit(pageSize).lean<CaseDoc[]>(),
        // Counting stops at the limit, as on SQLite.
        limit === undefined
          ? cases.countDocuments(q)
          : cases.countDocuments(q, { limit: limit + 1 }),
      ])
      return finish(docs, counted)
    },

    async countByState(filter) {
      const q = await query(filter)
      const out = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>
      // $group with $sum is the one accumulator FerretDB v1 has.
      const rows = await cases.aggregate<{ _id: string; n: number }>([
        { $match: q },
        { $group: { _id: '$state', n: { $sum: 1 } } },
      ])
      for (const r of rows) if (r._id in out) out[r._id as CaseState] = r.n
      return out
    },

    async countByMonth(year, filter) {
      const q = await query(filter)
      const year0 = new Date(Date.UTC(year, 0, 1))
      const year1 = new Date(Date.UTC(year + 1, 0, 1))
      const docs = await cases
        .find({ $and: [q, { receivedAt: { $gte: year0, $lt: year1 } }] }, { receivedAt: 1 })
        .lean<Pick<CaseDoc, 'receivedAt'>[]>()
      const out: Record<string, number> = {}
      for (let m = 1; m <= 12; m++) out[String(m).padStart(2, '0')] = 0
      for (const d of docs) {
        const key = String(d.receivedAt.getUTCMonth() + 1).padStart(2, '0')
        out[key] = (out[key] ?? 0) + 1
      }
      return out
    },

    async receivedRange() {
      const edge = (order: 1 | -1) =>
        cases
          .findOne({}, { receivedAt: 1 })
          .sort({ receivedAt: order })
          .lean<Pick<CaseDoc, 'receivedAt'>>()
      const [first, last] = await Promise.all([edge(1), edge(-1)])
      return first && last ? { first: first.receivedAt, last: last.receivedAt } : null
    },

    async all(filter) {
      if (filter.grantedTo !== undefined) {
        // Many grants: filter by the set here rather than a $in of thousands (see pageByWalk).
        const ids = await grantedIds(filter.grantedTo)
        if (ids.length > MAX_IN_IDS) {
          const granted = new Set(ids)
          const docs = await cases.find(caseQuery(filter)).sort(newest).lean<CaseDoc[]>()
          return docs.filter((d) => granted.has(d._id)).map(toCase)
        }
      }
      const docs = await cases
        .find(await query(filter))
        .sort(newest)
        .lean<CaseDoc[]>()
      return docs.map(toCase)
    },

    async eachForStatistics(receivedFrom, receivedBefore, visit) {
      // A cursor over lean, projected documents: a year is read in batches and never held whole,
      // and nothing but the counted fields crosses the wire.
      const cursor = cases
        .find({ receivedAt: { $gte: receivedFrom, $lt: receivedBefore } }, STATS_PROJECTION)
        .lean<StatsDoc>()
        .cursor({ batchSize: 1000 })
      let n = 0
      for await (const d of cursor) {
        visit(toStatsRecord(d))
        n++
      }
      return n
    },

    async nextRegistrationNumber(year) {
      const d = await ctx.atomic.run(`registration:${year}`, () =>
        upsertRetry(() =>
          registrationCounters
            .findOneAndUpdate(
              { _id: year },
              { $inc: { last: 1 } },
              { upsert: true, returnDocument: 'after' }
            )
            .lean<RegistrationCounterDoc>()
        )
      )
      if (!d) throw new Error('registration counter upsert returned nothing')
      return d.last
    },

    async discardIncomplete(id) {
      // Under the case's lock, as item appends take it; grants first, then the case, so a stop in
      // between leaves the case to discard again. A case written by createWhole carries its first
      // item's seq from the start (whole-case.ts), so "no item" is what tells it is incomplete.
      return ctx.atomic.run(`case:${id}`, async () => {
        if (await items.exists({ caseId: { $eq: id } })) return false
        await grants.deleteMany({ caseId: { $eq: id } })
        const r = await cases.deleteOne({ _id: { $eq: id } })
        return r.deletedCount === 1
      })
    },
  }
}
