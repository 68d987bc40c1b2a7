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

/** Runs fn; SQLITE_FULL (disk full, or max_page_count reached) becomes StorageFullError. */
function call(fn: (...a: unknown[]) => unknown, args: unknown[]): unknown {
  try {
    return fn(...args)
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 'SQLITE_FULL') {
      throw new StorageFullError({ cause: err })
    }
    throw err
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
