// Plan items, the audit chain, the mail outbox, single-use tokens, counters and settings.
import { CASE_WORK_KINDS, isOneOf } from '../../domain/vocab'
import {
  DuplicateError,
  type AuditEntry,
  type AuditStore,
  type CounterStore,
  type OutboxMessage,
  type OutboxStore,
  type PlanItem,
  type PlanStore,
  type SettingStore,
  type TokenStore,
} from '../types'
import type { Ctx } from './context'
import { isDuplicateKey } from './errors'
import { compact } from './map'
import type { AuditDoc, CounterDoc, OutboxDoc, PlanDoc, SettingDoc } from './models'
import { upsertRetry } from './people'
import { processQueue } from './lock'

// ---------------------------------------------------------------- plan

export function toPlanItem(d: PlanDoc): PlanItem {
  return {
    id: d._id,
    year: d.year,
    number: d.number,
    measure: d.measure,
    deadlineText: d.deadlineText,
    responsible: d.responsible,
    doneText: d.doneText,
    covers: (d.covers ?? []).filter((k) => isOneOf(CASE_WORK_KINDS, k)),
    position: d.position,
  }
}

export function createPlanStore(ctx: Ctx): PlanStore {
  const { plan } = ctx.m
  return {
    async put(item) {
      const { id, ...fields } = item
      await upsertRetry(() =>
        plan.updateOne(
          { _id: id },
          {
            $set: {
              year: fields.year,
              number: fields.number,
              measure: fields.measure,
              deadlineText: fields.deadlineText,
              responsible: fields.responsible,
              doneText: fields.doneText,
              covers: [...fields.covers],
              position: fields.position,
            },
          },
          { upsert: true }
        )
      )
    },

    async get(id) {
      const d = await plan.findOne({ _id: { $eq: id } }).lean<PlanDoc>()
      return d ? toPlanItem(d) : null
    },

    async listYear(year) {
      const docs = await plan.find({ year }).sort({ position: 1, _id: 1 }).lean<PlanDoc[]>()
      return docs.map(toPlanItem)
    },

    async years() {
      const ys = await plan.distinct('year')
      return ys.map(Number).sort((a, b) => a - b)
    },

    async delete(id) {
      const res = await plan.deleteOne({ _id: { $eq: id } })
      return res.deletedCount > 0
    },
  }
}

// ---------------------------------------------------------------- audit

export function toAuditEntry(d: AuditDoc): AuditEntry {
  return compact({
    seq: d._id,
    at: d.at,
    actorId: d.actorId,
    actorRole: d.actorRole,
    action: d.action,
    subjectId: d.subjectId,
    details: { ...(d.details ?? {}) },
    prevHash: d.prevHash,
    hash: d.hash,
  })
}

export function createAuditStore(ctx: Ctx): AuditStore {
  const { audit } = ctx.m
  return {
    async append(e) {
      // The sequence number is the _id: a second writer at the same seq gets 11000.
      try {
        await audit.create(
          compact({
            _id: e.seq,
            at: e.at,
            actorId: e.actorId,
            actorRole: e.actorRole,
            action: e.action,
            subjectId: e.subjectId,
            details: { ...e.details },
            prevHash: e.prevHash,
            hash: e.hash,
          })
        )
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('audit entry')
        throw err
      }
    },

    async last() {
      const d = await audit.findOne().sort({ _id: -1 }).lean<AuditDoc>()
      return d ? toAuditEntry(d) : null
    },

    async range(fromSeq, limit) {
      const docs = await audit
        .find({ _id: { $gte: fromSeq } })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<AuditDoc[]>()
      return docs.map(toAuditEntry)
    },

    async listForSubject(subjectId) {
      const docs = await audit
        .find({ subjectId: { $eq: subjectId } })
        .sort({ _id: 1 })
        .lean<AuditDoc[]>()
      return docs.map(toAuditEntry)
    },

    async search(f, limit) {
      // $eq on every value: a filter string can never become an operator.
      const query: Record<string, unknown> = {}
      if (f.subjectId !== undefined) query.subjectId = { $eq: f.subjectId }
      if (f.actorId !== undefined) query.actorId = { $eq: f.actorId }
      if (f.action !== undefined) query.action = { $eq: f.action }
      if (f.from || f.to) {
        query.at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) }
      }
      if (f.beforeSeq !== undefined) query._id = { $lt: f.beforeSeq }
      const docs = await audit.find(query).sort({ _id: -1 }).limit(limit).lean<AuditDoc[]>()
      return docs.map(toAuditEntry)
    },
  }
}

// ---------------------------------------------------------------- outbox

export function toOutboxMessage(d: OutboxDoc): OutboxMessage {
  return compact({
    id: d._id,
    to: d.to,
    template: d.template,
    params: { ...(d.params ?? {}) },
    dedupeKey: d.dedupeKey,
    status: d.status,
    attempts: d.attempts ?? 0,
    notBefore: d.notBefore,
    leaseOwner: d.leaseOwner,
    leaseUntil: d.leaseUntil,
    lastError: d.lastError,
    createdAt: d.createdAt,
    sentAt: d.sentAt,
  } as OutboxMessage)
}

export function createOutboxStore(ctx: Ctx): OutboxStore {
  const { outbox } = ctx.m
  // One lock for the queue on FerretDB: claims pick any message, and markSent/markFailed must
  // not interleave with a claim of the same (lease-expired) message.
  const queue = <T>(fn: () => Promise<T>) => ctx.atomic.run('outbox', fn)

  return {
    async enqueue(m) {
      try {
        await outbox.create(
          compact({
            _id: m.id,
            to: m.to,
            template: m.template,
            params: { ...m.params },
            dedupeKey: m.dedupeKey,
            status: 'pending',
            attempts: 0,
            notBefore: m.notBefore,
            createdAt: m.createdAt,
          })
        )
        return true
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
        // The server doesn't say which index was hit.
        if (
          m.dedupeKey !== undefined &&
          (await outbox.exists({ dedupeKey: { $eq: m.dedupeKey } }))
        ) {
          return false
        }
        throw new DuplicateError('outbox message')
      }
    },

    async claim(owner, now, leaseMs) {
      const d = await queue(() =>
        outbox
          .findOneAndUpdate(
            {
              status: 'pending',
              notBefore: { $lte: now },
              // A lease is over at its leaseUntil (the SQLite engine's `<=` too).
              $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lte: now } }],
            },
            {
              $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) },
              $inc: { attempts: 1 },
            },
            { sort: { notBefore: 1, createdAt: 1, _id: 1 }, returnDocument: 'after' }
          )
          .lean<OutboxDoc>()
      )
      return d ? toOutboxMessage(d) : null
    },

    async markSent(id, owner, at) {
      const res = await queue(() =>
        outbox.updateOne(
          { _id: { $eq: id }, leaseOwner: { $eq: owner }, status: 'pending' },
          { $set: { status: 'sent', sentAt: at }, $unset: { leaseUntil: 1 } }
        )
      )
      return res.matchedCount > 0
    },

    async markFailed(id, owner, error, retryAt) {
      const $set = retryAt
        ? { notBefore: retryAt, lastError: error }
        : { status: 'failed', lastError: error }
      const res = await queue(() =>
        outbox.updateOne(
          { _id: { $eq: id }, leaseOwner: { $eq: owner }, status: 'pending' },
          { $set, $unset: { leaseOwner: 1, leaseUntil: 1 } }
        )
      )
      return res.matchedCount > 0
    },

    async get(id) {
      const d = await outbox.findOne({ _id: { $eq: id } }).lean<OutboxDoc>()
      return d ? toOutboxMessage(d) : null
    },

    async list(status) {
      const q = status === undefined ? {} : { status }
      const docs = await outbox.find(q).sort({ createdAt: 1, _id: 1 }).lean<OutboxDoc[]>()
      return docs.map(toOutboxMessage)
    },
  }
}

// ---------------------------------------------------------------- tokens, counters, settings

export function createTokenStore(ctx: Ctx): TokenStore {
  const { tokens } = ctx.m
  return {
    async issue(token, purpose, expiresAt) {
      try {
        await tokens.create({ _id: token, purpose, expiresAt })
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('token')
        throw err
      }
    },

    async consume(token, purpose, now) {
      const d = await ctx.atomic.run(`token:${token}`, () =>
        tokens
          .findOneAndUpdate(
            {
              _id: { $eq: token },
              purpose: { $eq: purpose },
              usedAt: { $exists: false },
              expiresAt: { $gt: now },
            },
            { $set: { usedAt: now } },
            { returnDocument: 'after' }
          )
          .lean()
      )
      return d !== null
    },
  }
}

const counterKey = (key: string, windowStart: Date) => JSON.stringify([key, windowStart.getTime()])

/**
 * On FerretDB a hit claims a numbered ticket, `<counter id>#<n>`, with a plain insert: the unique
 * _id makes each n go to exactly one hit, across instances, without a lock document (lock.ts). A
 * hit starts at the counter record's count, which it then raises ($max); that raise may lose to
 * a concurrent one on FerretDB, so readers walk the tickets on from it. Tickets are numbered
 * without gaps (a hit takes n only after n - 1 was taken), carry the key (reset) and expiresAt.
 */
const ticketId = (id: string, n: number) => `${id}#${n}`
/** Counter ids end in `]` (JSON), ticket ids in `#<n>`. */
export const isCounterTicket = (id: string) => /#\d+$/.test(id)

export function createCounterStore(ctx: Ctx): CounterStore {
  const { counters } = ctx.m
  const queue = processQueue()

  /** The counter record's count, walked on over tickets a lost raise left out. */
  async function current(id: string): Promise<number> {
    const d = await counters.findOne({ _id: { $eq: id } }).lean<CounterDoc>()
    let n = d?.count ?? 0
    if (!ctx.locking) return n
    while (await counters.exists({ _id: { $eq: ticketId(id, n + 1) } })) n++
    return n
  }

  async function claimTicket(key: string, windowStart: Date, expiresAt: Date): Promise<number> {
    const id = counterKey(key, windowStart)
    // In this process one claim at a time per counter: other instances' claims still race, and
    // the unique _id settles those.
    return queue.run(id, async () => {
      for (let n = (await current(id)) + 1; ; n++) {
        try {
          await counters.create({ _id: ticketId(id, n), key, windowStart, count: n, expiresAt })
        } catch (err) {
          if (isDuplicateKey(err)) continue
          throw err
        }
        await upsertRetry(() =>
          counters.updateOne(
            { _id: id },
            { $max: { count: n, expiresAt }, $setOnInsert: { key, windowStart } },
            { upsert: true }
          )
        )
        return n
      }
    })
  }

  return {
    async hit(key, windowStart, expiresAt) {
      if (ctx.locking) return claimTicket(key, windowStart, expiresAt)
      const id = counterKey(key, windowStart)
      const d = await upsertRetry(() =>
        counters
          .findOneAndUpdate(
            { _id: id },
            {
              $inc: { count: 1 },
              $setOnInsert: { key, windowStart },
              $max: { expiresAt },
            },
            { upsert: true, returnDocument: 'after' }
          )
          .lean<CounterDoc>()
      )
      if (!d) throw new Error('counter upsert returned nothing')
      return d.count
    },

    get: (key, windowStart) => current(counterKey(key, windowStart)),

    async reset(key) {
      await counters.deleteMany({ key: { $eq: key } })
    },
  }
}

export function createSettingStore(ctx: Ctx): SettingStore {
  const { settings } = ctx.m
  return {
    async get(key) {
      const d = await settings.findOne({ _id: { $eq: key } }).lean<SettingDoc>()
      return d ? d.value : null
    },

    async set(key, value) {
      await upsertRetry(() =>
        settings.updateOne({ _id: key }, { $set: { value } }, { upsert: true })
      )
    },

    async setIfAbsent(key, value) {
      // A plain insert: the unique _id makes the first writer win on MongoDB and FerretDB alike.
      try {
        await settings.create({ _id: key, value })
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
      const d = await settings.findOne({ _id: { $eq: key } }).lean<SettingDoc>()
      if (!d) throw new Error(`setting ${key} vanished`)
      return d.value
    },
  }
}
