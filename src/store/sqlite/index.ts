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
 * Methods that only read (SELECT and nothing else). With no turn open they run on their own, in
 * SQLite's autocommit mode: every write before them is committed and on disk, so there is nothing
 * to wait for, and a page view pays neither BEGIN IMMEDIATE (the file's write lock) nor COMMIT
 * (issue 12: 8% of the report form's CPU). With a turn open they join it, as every other method,
 * to see its writes and settle after its commit. A method missing here is merely slower.
 */
const READS: Partial<Record<keyof Store, ReadonlySet<string>>> = {
  cases: new Set(['get', 'getByReceiptLookup', 'list', 'countByState', 'countByMonth', 'all']),
  items: new Set(['list', 'get']),
  grants: new Set(['get', 'listForCase', 'listForGrantee']),
  accounts: new Set(['get', 'getByEmail', 'getByInviteTokenHash', 'list', 'count']),
  sessions: new Set(['get']),
  settings: new Set(['get']),
  org: new Set(['get', 'getLogo']),
  plan: new Set(['get', 'listYear', 'years']),
  audit: new Set(['last', 'range', 'listForSubject', 'search']),
  outbox: new Set(['get', 'list']),
  counters: new Set(['get']),
  blobs: new Set(['pieces', 'info', 'bytesForCase']),
}

/**
 * Parts whose tables no other part writes (settings, accounts, counters). A read of one of them
 * in an open turn where none of the part's methods ran sees exactly what is committed, so it
 * need not wait for the turn's commit either. Under load a turn is nearly always open, and a
 * submission reads the officer directory (accounts, settings: five reads one after the other)
 * and the receipt's back-off (counters) before it writes: each read waiting for an fsync'd
 * commit made a report wait for eight or nine of them (issue 12, point 2).
 */
const OWN_TABLES = new Set<string>(['settings', 'accounts', 'counters'])

/**
 * Every method of the table stores (cases, items…) runs in the turn's group commit (reads only
 * when they could see the turn's writes: READS, OWN_TABLES); the store's own methods (ping,
 * sweep, close) and the whole-file parts (dump) run after committing it.
 */
function grouped(commits: GroupCommit, store: Store): Store {
  const outside =
    (fn: Fn) =>
    (...args: unknown[]) => {
      commits.flush()
      return fn(...args)
    }
  type Wrap = (fn: Fn, part: string) => Fn
  const inside: Wrap =
    (fn, part) =>
    (...args: unknown[]) =>
      commits.run(() => fn(...args), part)
  const read: Wrap =
    (fn, part) =>
    (...args: unknown[]) => {
      const join = OWN_TABLES.has(part) ? commits.wrote(part) : commits.pending()
      if (join) return commits.run(() => fn(...args))
      return commits.pending() ? fn(...args) : commits.read(() => fn(...args))
    }
  const methods = (part: string, port: object, wrap: Wrap, reads?: ReadonlySet<string>) =>
    Object.fromEntries(
      Object.entries(port).map(([name, member]) => [
        name,
        typeof member === 'function'
          ? (reads?.has(name) ? read : wrap)((member as Fn).bind(port), part)
          : member,
      ])
    )
  return Object.fromEntries(
    Object.entries(store).map(([name, member]) => [
      name,
      typeof member === 'function'
        ? outside(member as Fn)
        : member !== null && typeof member === 'object'
          ? WHOLE_FILE.has(name)
            ? methods(name, member as object, outside)
            : methods(name, member as object, inside, READS[name as keyof Store])
          : member,
    ])
  ) as Store
}

type Fn = (...args: unknown[]) => unknown
