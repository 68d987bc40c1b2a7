// Opening the database file and the small helpers every table module shares.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DuplicateError, StorageFullError } from '../types'

export type Db = Database.Database
export type Statement<Row> = Database.Statement<unknown[], Row>

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  // First: switching to WAL waits for another process's migration (src/store/sqlite/migrate.ts)
  // instead of failing at once with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000')
  db.pragma('journal_mode = WAL')
  // FULL: every commit is fsynced, so a write that resolved survives a crash or SIGKILL.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  return db
}

/** Prepares each SQL text once per connection (dynamic filter queries included). */
export function statementCache(db: Db) {
  const cache = new Map<string, Statement<unknown>>()
  return function sql<Row = unknown>(text: string): Statement<Row> {
    let stmt = cache.get(text)
    if (!stmt) {
      stmt = db.prepare<unknown[], unknown>(text)
      cache.set(text, stmt)
    }
    return stmt as Statement<Row>
  }
}

export type Sql = ReturnType<typeof statementCache>

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** Runs a write and turns a unique-constraint violation into the port's DuplicateError. */
export function guardDuplicate<T>(entity: string, write: () => T): T {
  try {
    return write()
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateError(entity)
    throw err
  }
}

// ---------------------------------------------------------------- column codecs

export const ms = (d: Date): number => d.getTime()
export const msOrNull = (d: Date | undefined): number | null => (d ? d.getTime() : null)
export const date = (n: number): Date => new Date(n)
export const dateOrUndefined = (n: number | null): Date | undefined =>
  n === null ? undefined : new Date(n)

export const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v)
export const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v)

export const bool = (n: number): boolean => n !== 0
export const int = (b: boolean): number => (b ? 1 : 0)

/** better-sqlite3 hands out Buffers; the port promises plain Uint8Arrays. */
export const bytes = (b: Uint8Array): Uint8Array => new Uint8Array(b)
export const bytesOrUndefined = (b: Uint8Array | null): Uint8Array | undefined =>
  b === null ? undefined : bytes(b)

export const json = (v: unknown): string => JSON.stringify(v)
export const parseJson = <T>(text: string): T => JSON.parse(text) as T
export const jsonOrNull = (v: unknown): string | null => (v === undefined ? null : json(v))
export const parseJsonOrUndefined = <T>(text: string | null): T | undefined =>
  text === null ? undefined : parseJson<T>(text)

// ---------------------------------------------------------------- versioned patches

/** How one patchable field is written; `optional`: a key set to `undefined` clears it. */
export interface PatchColumn {
  column: string
  optional: boolean
  encode?: (v: never) => unknown
}

/**
 * `column = ?` assignments for the keys present in `patch`, in the columns' order so equal
 * key sets give equal SQL (and one cached statement). Required fields set to `undefined`
 * are left alone: there is nothing to clear them to.
 */
export function patchAssignments<P extends object>(
  patch: P,
  columns: Record<keyof Required<P>, PatchColumn>
): { sets: string[]; params: unknown[] } {
  const sets: string[] = []
  const params: unknown[] = []
  for (const [key, spec] of Object.entries(columns) as [keyof P, PatchColumn][]) {
    if (!Object.hasOwn(patch, key)) continue
    const value = patch[key]
    if (value === undefined && !spec.optional) continue
    const encode = (spec.encode ?? ((v: unknown) => v)) as (v: unknown) => unknown
    sets.push(`${spec.column} = ?`)
    params.push(value === undefined ? null : encode(value))
  }
  return { sets, params }
}

// ---------------------------------------------------------------- sync engine, async port

/** A port interface with plain return values: better-sqlite3 does its work synchronously. */
export type Sync<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K]
}

/** SQLITE_FULL (disk full, or max_page_count reached) becomes StorageFullError. */
function portError(err: unknown): Error {
  if ((err as { code?: unknown } | null)?.code === 'SQLITE_FULL') {
    return new StorageFullError({ cause: err })
  }
  return err instanceof Error ? err : new Error(String(err))
}

/** Runs fn; a driver error becomes the port's error (portError). */
function call(fn: (...a: unknown[]) => unknown, args: unknown[]): unknown {
  try {
    return fn(...args)
  } catch (err) {
    throw portError(err)
  }
}

/** Adapts a synchronous implementation to the async port; a throw becomes a rejection. */
export function promised<T extends object>(impl: Sync<T>): T {
  const port: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(impl as Record<string, unknown>)) {
    port[name] =
      typeof member === 'function'
        ? (...args: unknown[]) =>
            new Promise((resolve) => resolve(call(member as (...a: unknown[]) => unknown, args)))
        : member
  }
  return port as T
}

// ---------------------------------------------------------------- group commit

/**
 * Group commit (issue 12, point 2): every store call made in one turn of the event loop runs in
 * one transaction, committed once when the turn ends. With synchronous=FULL a commit is an fsync
 * (3-4 ms on this project's machines), and a report makes several: paid one by one, they capped
 * the portal at a few dozen reports a second; shared, one fsync serves every request that wrote
 * in that turn. Durability is unchanged: a call's promise settles only after the commit that holds
 * its write is on disk, so whatever a caller was told is stored survives a crash or a power cut,
 * and a crash before the commit loses only writes nobody was told about. Reads in the turn see
 * the turn's writes and settle after the same commit, so nobody acts on a write that then failed.
 *
 * A failing statement undoes only itself (SQLite's statement rollback; the stores' own
 * db.transaction() blocks become savepoints), exactly as in autocommit mode. When SQLite rolls
 * the whole transaction back (a full disk or an I/O error), or the commit fails, every call of
 * that turn is refused with the error: none of them is stored, and none was acknowledged.
 */
export interface GroupCommit {
  /**
   * Runs `call` (a port method: its SQL runs synchronously) inside this turn's transaction;
   * `part` names the part of the store it belongs to (wrote() answers for it).
   */
  run<T>(call: () => T, part?: string): T
  /** Commits this turn's transaction now (before a close, a backup, VACUUM…). */
  flush(): void
  /**
   * Runs a read-only `call` with no write turn open, in this turn's read transaction: it answers
   * at once (everything it can see is committed), and the reads of one turn share one snapshot
   * and one BEGIN/COMMIT instead of paying SQLite's implicit transaction (WAL read locks) each.
   */
  read<T>(call: () => T): T
  /** Whether this turn has a transaction open (a read then joins it, to see its writes). */
  pending(): boolean
  /** Whether a method of `part` ran in the open turn (it may have written its tables). */
  wrote(part: string): boolean
}

/**
 * The open turns of every connection in this process. A turn holds the file's write lock until
 * the loop's turn ends, so another connection to the same file in this process (two app
 * instances in one test, a CLI command beside the server's store) would wait for it with the
 * event loop blocked and never see it end: before a connection opens its turn, the others'
 * turns are committed at once.
 */
const openTurns = new Set<() => void>()

export function groupCommit(db: Db): GroupCommit {
  interface Turn {
    done: Promise<void>
    settle(err?: Error): void
    parts: Set<string>
  }
  let turn: Turn | null = null
  /** A read transaction (deferred BEGIN, no lock until it reads) open for this turn's reads. */
  let reading = false

  function endRead(): void {
    if (!reading) return
    reading = false
    // Ends a snapshot: nothing was written, so COMMIT writes nothing and syncs nothing.
    if (db.inTransaction && turn === null) db.exec('COMMIT')
  }

  function open(): Turn {
    if (turn) return turn
    endRead()
    for (const commitOther of openTurns) commitOther()
    // IMMEDIATE: the write lock is taken (waiting up to busy_timeout) at BEGIN, never on a later
    // statement of the turn, where another process's commit could refuse it with SQLITE_BUSY.
    db.exec('BEGIN IMMEDIATE')
    let settle!: Turn['settle']
    const done = new Promise<void>((ok, fail) => {
      settle = (err) => (err === undefined ? ok() : fail(err))
    })
    // A turn whose calls all failed on their own has nobody waiting on it.
    done.catch(() => undefined)
    const opened: Turn = { done, settle, parts: new Set() }
    turn = opened
    openTurns.add(flush)
    setImmediate(flush)
    return opened
  }

  function end(t: Turn, err?: Error): void {
    if (turn === t) {
      turn = null
      openTurns.delete(flush)
    }
    t.settle(err)
  }

  function flush(): void {
    endRead()
    const t = turn
    if (!t) return
    try {
      if (db.inTransaction) db.exec('COMMIT')
      end(t)
    } catch (err) {
      try {
        if (db.inTransaction) db.exec('ROLLBACK')
      } catch {
        // The rollback failing too leaves SQLite to roll back on the next open; nothing to add.
      }
      end(t, portError(err))
    }
  }

  return {
    run<T>(call: () => T, part?: string): T {
      let t: Turn
      try {
        t = open()
      } catch (err) {
        return Promise.reject(portError(err)) as T
      }
      if (part !== undefined) t.parts.add(part)
      const result = call()
      if (!db.inTransaction) {
        // SQLite rolled the whole transaction back (SQLITE_FULL, an I/O error): the turn is lost,
        // and every call in it is refused with the error of the call that lost it.
        if (turn === t) {
          turn = null
          openTurns.delete(flush)
        }
        const lost = new Error('the transaction of this turn was rolled back')
        void Promise.resolve(result).then(
          () => t.settle(lost),
          (err: unknown) => t.settle(portError(err))
        )
      }
      if (!(result instanceof Promise)) return result
      return result.then((value: unknown) => t.done.then(() => value)) as T
    },
    read<T>(call: () => T): T {
      if (turn === null && !reading) {
        try {
          db.exec('BEGIN')
          reading = true
          setImmediate(endRead)
        } catch {
          // No shared snapshot then: the read runs in autocommit mode, as correct, only dearer.
        }
      }
      return call()
    },
    flush,
    pending: () => turn !== null,
    wrote: (part) => turn !== null && turn.parts.has(part),
  }
}
