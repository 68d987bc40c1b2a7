// The MongoDB engine of the storage port (mongoose on its own connection, GridFS for
// attachments). Runs on MongoDB 6+ and on FerretDB v1, see docs/architecture.md "Storage".
import mongoose, { mongo } from 'mongoose'
import type { Store } from '../types'
import { BUCKET, createBlobStore } from './blobs'
import { createCaseStore } from './cases'
import { createItemStore } from './items'
import { mongoCaseRecords, sweepUnfinishedCases, wholeCase } from './whole-case'
import type { Ctx } from './context'
import { createMongoDump } from './dump'
import { createOrgProfileStore } from './org'
import { direct, lockSerializer, type LockDoc } from './lock'
import { migrateMongo } from './migrate'
import { createModels } from './models'
import { withRemnants } from '../remnants'
import { createRetentionStore } from './retention'
import { createAccountStore, createGrantStore, createSessionStore } from './people'
import {
  createAuditStore,
  createCounterStore,
  createOutboxStore,
  createPlanStore,
  createSettingStore,
  createTokenStore,
  isCounterTicket,
} from './records'

export interface MongoStoreOptions {
  uri: string
  serverSelectionTimeoutMS?: number
  /**
   * Serialise read-modify-write operations through lock documents. Defaults to true on
   * FerretDB (its updates are not atomic under concurrency) and false on MongoDB.
   */
  lockUpdates?: boolean
  /** How long an operation waits for a busy lock before StoreBusyError (lock.ts; tests shorten it). */
  lockWaitMs?: number
  /** Drop the whole database on close (tests: one throwaway database per store). */
  dropOnClose?: boolean
}

/**
 * FerretDB answers buildInfo with a `ferretdbVersion` field; MongoDB doesn't. When the server
 * won't say, lock anyway: slower, but correct on both.
 */
async function needsLocks(db: mongo.Db): Promise<boolean> {
  try {
    const info = await db.admin().command({ buildInfo: 1 })
    return 'ferretdbVersion' in info
  } catch {
    return true
  }
}

export async function openMongoStore(opts: MongoStoreOptions): Promise<Store> {
  const conn = mongoose.createConnection(opts.uri, {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 10_000,
    autoIndex: false,
    autoCreate: false,
    // Fail fast instead of queueing operations while disconnected.
    bufferCommands: false,
  })
  try {
    await conn.asPromise()
    const db = conn.db
    if (!db) throw new Error('mongo connection has no database')

    const m = createModels(conn)
    // Indexes are built by the migrations, before the store serves anything, so an
    // unsupported one fails the open; one instance migrates, the others wait (./migrate.ts).
    await migrateMongo(db, m)
    const bucket = new mongo.GridFSBucket(db, { bucketName: BUCKET })

    const lock = opts.lockUpdates ?? (await needsLocks(db))
    const atomic = lock
      ? lockSerializer(db.collection<LockDoc>('store_locks'), { waitMs: opts.lockWaitMs })
      : direct
    const ctx: Ctx = { m, atomic, locking: lock, bucket, db }
    const retention = createRetentionStore(ctx)

    const cases = createCaseStore(ctx)
    const items = createItemStore(ctx)
    const grants = createGrantStore(ctx)
    // In the background: the store serves at once, and the sweep only removes what no one can
    // open (whole-case.ts). A failure is retried at the next open.
    const swept = sweepUnfinishedCases(ctx, cases).catch(() => 0)
    return {
      engine: 'mongo',
      // Deleted cases' anonymous remnants still count in the statistics (store/remnants.ts).
      cases: withRemnants(
        { ...cases, createWhole: wholeCase(mongoCaseRecords(ctx, cases, grants)) },
        retention
      ),
      items,
      grants,
      accounts: createAccountStore(ctx),
      sessions: createSessionStore(ctx),
      plan: createPlanStore(ctx),
      audit: createAuditStore(ctx),
      outbox: createOutboxStore(ctx),
      blobs: createBlobStore(ctx),
      tokens: createTokenStore(ctx),
      counters: createCounterStore(ctx),
      settings: createSettingStore(ctx),
      dump: createMongoDump(db),
      org: createOrgProfileStore(ctx),
      retention,

      async ping() {
        await db.command({ ping: 1 })
      },

      async sweepExpired(now) {
        const expired = { expiresAt: { $lte: now } }
        // A counter's tickets (FerretDB, records.ts) go with it but are not counted: the count is
        // of counters, as on SQLite.
        const counters = await m.counters.find(expired, { _id: 1 }).lean<{ _id: string }[]>()
        const results = await Promise.all([
          m.sessions.deleteMany(expired),
          m.tokens.deleteMany(expired),
          m.counters.deleteMany({ _id: { $in: counters.map((c) => c._id) } }),
        ])
        const tickets = counters.filter((c) => isCounterTicket(c._id)).length
        return results.reduce((n, r) => n + r.deletedCount, 0) - tickets
      },

      async close() {
        await swept
        if (opts.dropOnClose) await conn.dropDatabase()
        await conn.close()
      },
    }
  } catch (err) {
    await conn.close().catch(() => undefined)
    throw err
  }
}
