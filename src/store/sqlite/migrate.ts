// Applies src/store/sqlite/migrations.ts to a database. Every pending step runs inside ONE
// immediate transaction: it takes SQLite's write lock before it reads the recorded versions, so
// of two processes opening one file at once the first migrates and the second waits for the
// lock, then finds nothing left to do. A crash mid-way rolls the whole run back (DDL is
// transactional in SQLite), so a database is always at one recorded version.
import { pendingSteps, type MigrateOptions } from '../migration-plan'
import type { Db } from './db'
import { migrations, type Migration } from './migrations'

/** How long an opener waits for another process's migration before giving up. */
const MIGRATION_WAIT_MS = 10 * 60_000

function appliedVersions(db: Db): number[] {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get()
  if (!table) return []
  return db
    .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
    .all()
    .map((r) => r.version)
}

/** Applies the migrations this database has not seen yet; returns the versions applied. */
export function migrate(
  db: Db,
  opts: MigrateOptions & { at?: Date; steps?: readonly Migration[] } = {}
): number[] {
  const steps = opts.steps ?? migrations
  // Read without the write lock first: an up-to-date database (every start but the first after
  // an upgrade) opens without waiting behind other writers.
  if (pendingSteps(steps, appliedVersions(db), opts).length === 0) return []
  const busy = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`)
  try {
    return db
      .transaction(() => {
        db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at INTEGER NOT NULL
        )`)
        // Read again under the lock: another process may have migrated while we waited.
        const pending = pendingSteps(steps, appliedVersions(db), opts)
        const record = db.prepare(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)'
        )
        for (const m of pending) {
          m.up(db)
          record.run(m.version, m.name, (opts.at ?? new Date()).getTime())
        }
        return pending.map((m) => m.version)
      })
      .immediate()
  } finally {
    db.pragma(`busy_timeout = ${busy}`)
  }
}
