// The embedded engine: one SQLite file (WAL, fsync on every commit, commits grouped per turn of the
// event loop: db.ts groupCommit), single instance by design.
import type { Store } from '../types'
import { createAccountStore } from './accounts'
import { createAuditStore } from './audit'
import { createBlobStore } from './blobs'
import { createCaseStore } from './cases'
import { groupCommit, ms, openDatabase, promised, statementCache, type GroupCommit } from './db'
import { createSqliteDump } from './dump'
import { createGrantStore } from './grants'
import { createItemStore } from './items'
import { migrate } from './migrate'
import { createOrgProfileStore } from './org'
import { createOutboxStore } from './outbox'
import { createPlanStore } from './plan'
import { withRemnants } from '../remnants'
import { createRetentionStore } from './retention'
import { createSessionStore } from './sessions'
import { createSettingStore } from './settings'
import { createCounterStore, createTokenStore } from './tokens'

export interface SqliteStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string
}

/** Opens (creating and migrating as needed) the database; rejects if it cannot. */
export function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  return new Promise((resolve) => resolve(openSync(opts)))
}

function openSync(opts: SqliteStoreOptions): Store {
  const db = openDatabase(opts.file)
  try {
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  const sql = statementCache(db)
  const retention = createRetentionStore(db, sql)

  const ping = sql('SELECT 1')
  const sweeps = [
    sql('DELETE FROM sessions WHERE expires_at <= ?'),
    sql('DELETE FROM tokens WHERE expires_at <= ?'),
    sql('DELETE FROM counters WHERE expires_at <= ?'),
  ]
  const sweep = db.transaction((now: number) =>
    sweeps.reduce((gone, stmt) => gone + stmt.run(now).changes, 0)
  )

  return grouped(
    groupCommit(db),
    promised<Store>({
      engine: 'sqlite',
      // Deleted cases' anonymous remnants still count in the statistics (store/remnants.ts).
      cases: withRemnants(createCaseStore(db, sql), retention),
      items: createItemStore(db, sql),
      grants: createGrantStore(db, sql),
      accounts: createAccountStore(sql),
      sessions: createSessionStore(sql),
      plan: createPlanStore(sql),
      audit: createAuditStore(sql),
      outbox: createOutboxStore(sql),
      blobs: createBlobStore(db, sql),
      tokens: createTokenStore(sql),
      counters: createCounterStore(sql),
      settings: createSettingStore(sql),
      dump: createSqliteDump(db, opts.file),
      org: createOrgProfileStore(sql),
      retention,
      ping() {
        ping.get()
      },
      sweepExpired(now) {
        return sweep.immediate(ms(now))
      },
      close() {
        if (db.open) db.close()
      },
    })
  )
}

/** Parts of the store that work on the whole file (a backup copy, a restore), not on rows. */
const WHOLE_FILE = new Set<string>(['dump'])

/**
 * Every method of the table stores (cases, items…) runs in the turn's group commit; the store's
 * own methods (ping, sweep, close) and the whole-file parts (dump) run after committing it.
 */
function grouped(commits: GroupCommit, store: Store): Store {
  const outside =
    (fn: Fn) =>
    (...args: unknown[]) => {
      commits.flush()
      return fn(...args)
    }
  const inside =
    (fn: Fn) =>
    (...args: unknown[]) =>
      commits.run(() => fn(...args))
  const methods = (port: object, wrap: (fn: Fn) => Fn) =>
    Object.fromEntries(
      Object.entries(port).map(([name, member]) => [
        name,
        typeof member === 'function' ? wrap((member as Fn).bind(port)) : member,
      ])
    )
  return Object.fromEntries(
    Object.entries(store).map(([name, member]) => [
      name,
      typeof member === 'function'
        ? outside(member as Fn)
        : member !== null && typeof member === 'object'
          ? methods(member as object, WHOLE_FILE.has(name) ? outside : inside)
          : member,
    ])
  ) as Store
}

type Fn = (...args: unknown[]) => unknown
