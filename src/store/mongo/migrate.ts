// Applies ./migrations.ts at open. Of several instances starting at once, one takes the
// `schema-migrations` lock document (./lock.ts, renewed while the work runs, so a long index
// build keeps it and a crashed migrator's expires) and migrates; the others wait for the lock,
// then find nothing left to do. An up-to-date database is checked without taking the lock.
import type { mongo } from 'mongoose'
import { pendingSteps, type MigrateOptions } from '../migration-plan'
import { isDuplicateKey } from './errors'
import { lockSerializer, type LockDoc } from './lock'
import { applyMongoMigration, mongoMigrations, type MongoMigration } from './migrations'
import type { Models } from './models'

export interface MigrationDoc {
  _id: number
  name: string
  appliedAt: Date
}

export const MIGRATIONS_COLLECTION = 'schema_migrations'

/** How long an opener waits for another instance's migration before giving up. */
const MIGRATION_WAIT_MS = 10 * 60_000

async function appliedVersions(db: mongo.Db): Promise<number[]> {
  const docs = await db.collection<MigrationDoc>(MIGRATIONS_COLLECTION).find({}).toArray()
  return docs.map((d) => d._id)
}

/** Applies the migrations this database has not seen yet; returns the versions applied. */
export async function migrateMongo(
  db: mongo.Db,
  m: Models,
  opts: MigrateOptions & { steps?: readonly MongoMigration[]; at?: Date } = {}
): Promise<number[]> {
  const steps = opts.steps ?? mongoMigrations
  if (pendingSteps(steps, await appliedVersions(db), opts).length === 0) return []
  const lock = lockSerializer(db.collection<LockDoc>('store_locks'), {
    ttlMs: 60_000,
    renewMs: 15_000,
    waitMs: MIGRATION_WAIT_MS,
    maxPollMs: 500,
  })
  return lock.run('schema-migrations', async () => {
    // Read again under the lock: another instance may have migrated while we waited.
    const pending = pendingSteps(steps, await appliedVersions(db), opts)
    const records = db.collection<MigrationDoc>(MIGRATIONS_COLLECTION)
    for (const step of pending) {
      await applyMongoMigration(db, m, step)
      const record = { _id: step.version, name: step.name, appliedAt: opts.at ?? new Date() }
      // A duplicate means another migrator got here after its lock expired: the step is
      // idempotent and recorded either way.
      await records.insertOne(record).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err
      })
    }
    return pending.map((s) => s.version)
  })
}
