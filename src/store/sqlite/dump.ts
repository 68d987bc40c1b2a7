// Whole-store export and import for the embedded engine (docs/backup.md). Export is SQLite's
// online backup API (a consistent copy while the portal keeps writing), streamed from a temporary
// file; import writes the pieces to a temporary file, checks and migrates it, and swaps its rows in
// within one transaction, so a failed restore leaves the store as it was.
import { randomBytes } from 'node:crypto'
import { createReadStream, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { DumpPiece, StoreDump } from '../types'
import { openDatabase, type Db } from './db'
import { migrate } from './migrate'

/** The one "collection" of this format: pieces of the database file, in order. */
export const SQLITE_FILE = 'sqlite-file'
const PIECE_BYTES = 1024 * 1024

/** A file beside the database (same disk, same permissions), or in tmpdir for ':memory:'. */
function scratchFile(file: string, label: string): string {
  const dir = file === ':memory:' ? tmpdir() : dirname(file)
  return join(dir, `.portal-${label}-${randomBytes(6).toString('hex')}.sqlite`)
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true })
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`

function tables(db: Db, schema: 'main' | 'restored'): string[] {
  return db
    .prepare<[], { name: string }>(
      `SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
    )
    .all()
    .map((r) => r.name)
}

function columns(db: Db, schema: 'main' | 'restored', table: string): string[] {
  return db
    .prepare<[], { name: string }>(`PRAGMA ${schema}.table_info(${quote(table)})`)
    .all()
    .map((r) => r.name)
}

export function createSqliteDump(db: Db, file: string): StoreDump {
  return {
    format: 'sqlite-file-v1',

    async *export(): AsyncGenerator<DumpPiece> {
      const copy = scratchFile(file, 'backup')
      try {
        await db.backup(copy)
        // The copy keeps the source's WAL mode; make it one self-contained file before reading.
        const check = openDatabase(copy)
        check.pragma('journal_mode = DELETE')
        check.close()
        for await (const piece of createReadStream(copy, { highWaterMark: PIECE_BYTES })) {
          yield { collection: SQLITE_FILE, data: piece as Buffer }
        }
      } finally {
        removeDatabaseFiles(copy)
      }
    },

    async import(pieces) {
      const incoming = scratchFile(file, 'restore')
      let count = 0
      try {
        const out = await open(incoming, 'wx', 0o600)
        try {
          for await (const piece of pieces) {
            if (piece.collection !== SQLITE_FILE) {
              throw new Error(`a SQLite restore got a "${piece.collection}" record`)
            }
            await out.write(piece.data)
            count++
          }
          await out.sync()
        } finally {
          await out.close()
        }
        checkAndMigrate(incoming)
        swapIn(db, incoming)
        return count
      } finally {
        removeDatabaseFiles(incoming)
      }
    },
  }
}

/** The backup must be a sound database; an older schema is brought up to this build's. */
function checkAndMigrate(incoming: string): void {
  const restored = openDatabase(incoming)
  try {
    const result = restored.pragma('integrity_check', { simple: true })
    if (result !== 'ok') throw new Error(`the backed-up database is damaged: ${String(result)}`)
    migrate(restored)
    restored.pragma('journal_mode = DELETE')
  } finally {
    restored.close()
  }
}

/** Replaces every table's rows with the restored database's, all or nothing. */
function swapIn(db: Db, incoming: string): void {
  db.prepare('ATTACH DATABASE ? AS restored').run(incoming)
  try {
    const theirs = new Set(tables(db, 'restored'))
    db.transaction(() => {
      // Rows reference each other (items → cases); check the keys once, at commit.
      db.pragma('defer_foreign_keys = ON')
      const ours = tables(db, 'main')
      for (const table of ours) db.prepare(`DELETE FROM main.${quote(table)}`).run()
      for (const table of ours) {
        if (!theirs.has(table)) continue
        const shared = new Set(columns(db, 'restored', table))
        const cols = columns(db, 'main', table)
          .filter((c) => shared.has(c))
          .map(quote)
          .join(', ')
        db.prepare(
          `INSERT INTO main.${quote(table)} (${cols}) SELECT ${cols} FROM restored.${quote(table)}`
        ).run()
      }
    }).immediate()
  } finally {
    db.prepare('DETACH DATABASE restored').run()
  }
}
