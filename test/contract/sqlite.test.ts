import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqliteStore } from '../../src/store/sqlite'
import { openDatabase } from '../../src/store/sqlite/db'
import { migrations } from '../../src/store/sqlite/migrations'
import { describeStoreContract } from './store-contract'

const dirs: string[] = []

/** A database path in a fresh temporary directory (removed after the file's tests). */
function tempFile(name = 'portal.db'): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-sqlite-'))
  dirs.push(dir)
  return join(dir, name)
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describeStoreContract('sqlite', () => openSqliteStore({ file: tempFile() }))

describe('sqlite engine', () => {
  it('creates a missing parent directory', async () => {
    const file = join(tempFile(), '..', 'nested', 'deeper', 'portal.db')
    const store = await openSqliteStore({ file })
    await store.ping()
    await store.close()
  })

  it('applies each migration once and keeps data across re-opens', async () => {
    const file = tempFile()
    const first = await openSqliteStore({ file })
    expect(first.engine).toBe('sqlite')
    await first.settings.set('org.name', 'Міська рада')
    await first.close()

    const second = await openSqliteStore({ file })
    expect(await second.settings.get('org.name')).toBe('Міська рада')
    await second.close()

    const db = new Database(file, { readonly: true })
    try {
      const applied = db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
        .all()
      expect(applied.map((r) => r.version)).toEqual(migrations.map((m) => m.version))
    } finally {
      db.close()
    }
  })

  it('refuses a database written by a newer schema', async () => {
    const file = tempFile()
    await (await openSqliteStore({ file })).close()
    const db = new Database(file)
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      9999,
      'from the future',
      Date.now()
    )
    db.close()
    await expect(openSqliteStore({ file })).rejects.toThrow(/newer/)
  })

  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    // openSqliteStore opens through openDatabase; synchronous and the rest are per connection.
    const db = openDatabase(tempFile())
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('synchronous', { simple: true })).toBe(2) // 2 = FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0)
    } finally {
      db.close()
    }
  })
})
