// Schema migrations of the MongoDB engine, the counterpart of src/store/sqlite/migrations.ts:
// an append-only numbered list, applied by ./migrate.ts under a lock and recorded in the
// schema_migrations collection. A document store has no table definitions, so a step builds
// indexes and changes data (fields later code derives and queries). Every step must be safe to
// run again: a crash after a step's work and before its record re-runs it, and a database made
// before this list existed (indexes built at every open) runs them all once.
import type { mongo } from 'mongoose'
import { backfillDue } from './cases'
import type { Models } from './models'

type Key = Record<string, 1 | -1>
type IndexOptions = { unique?: boolean; sparse?: boolean }

/** One index on one collection, named by the server's default (as mongoose created them). */
export type IndexSpec = readonly [collection: string, key: Key, options?: IndexOptions]

export interface MongoMigration {
  version: number
  name: string
  indexes?: readonly IndexSpec[]
  data?: (m: Models) => Promise<void>
}

const unique = { unique: true }
const uniqueSparse = { unique: true, sparse: true }

// The indexes of the first release of the engine (commit 7049afc).
const initialIndexes: IndexSpec[] = [
  ['cases', { receiptLookup: 1 }, uniqueSparse],
  ['cases', { receivedAt: -1, createdAt: -1 }],
  ['cases', { state: 1 }],
  ['cases', { assigneeId: 1 }],
  ['items', { caseId: 1, seq: 1 }, unique],
  ['grants', { caseId: 1 }],
  ['grants', { granteeKind: 1, granteeId: 1, caseId: 1 }],
  ['accounts', { email: 1 }, unique],
  ['accounts', { inviteTokenHash: 1 }],
  ['sessions', { accountId: 1 }],
  ['sessions', { expiresAt: 1 }],
  ['plan_items', { year: 1, position: 1 }],
  ['audit', { subjectId: 1, _id: 1 }],
  ['outbox', { dedupeKey: 1 }, uniqueSparse],
  ['outbox', { status: 1, notBefore: 1 }],
  ['blobs', { caseId: 1 }],
  ['blob_pieces', { blobId: 1, index: 1 }],
  ['tokens', { expiresAt: 1 }],
  ['counters', { key: 1 }],
  ['counters', { expiresAt: 1 }],
]

// The inbox's filters and sorts (src/officer/cases.ts), each ending in the received order.
const inboxIndexes: IndexSpec[] = [
  ['cases', { state: 1, receivedAt: -1, createdAt: -1 }],
  ['cases', { channel: 1, receivedAt: -1, createdAt: -1 }],
  ['cases', { registrationNo: 1, receivedAt: -1, createdAt: -1 }],
  ['cases', { planItemIds: 1, receivedAt: -1 }],
  ['cases', { dueSort: 1, receivedAt: -1, createdAt: -1 }],
]

/** Append only: never edit a migration that has shipped, add the next one. */
export const mongoMigrations: readonly MongoMigration[] = [
  { version: 1, name: 'initial indexes', indexes: initialIndexes },
  {
    // The reminder job finds cases by their earliest open due date (src/jobs/reminders.ts):
    // cases stored before the field existed would never be reminded about.
    version: 2,
    name: 'open clock due date',
    indexes: [['cases', { openDueAt: 1 }]],
    data: (m) => backfillDue(m, 'openDueAt'),
  },
  {
    version: 3,
    name: 'inbox indexes',
    indexes: inboxIndexes,
    data: (m) => backfillDue(m, 'dueSort'),
  },
]

/** Builds a step's indexes (a no-op for those that exist), then changes its data. */
export async function applyMongoMigration(
  db: mongo.Db,
  m: Models,
  step: MongoMigration
): Promise<void> {
  for (const [collection, key, options] of step.indexes ?? []) {
    await db.collection(collection).createIndex(key, options ?? {})
  }
  await step.data?.(m)
}
