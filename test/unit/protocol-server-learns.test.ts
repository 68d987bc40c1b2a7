// crypto/PROTOCOL.md must say what the server keeps in clear: every column of the items table
// (the SQLite schema) other than the sealed blob is named in "What the server learns".
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/sqlite/db'
import { migrate } from '../../src/store/sqlite/migrate'

const doc = readFileSync(resolve(import.meta.dirname, '../../crypto/PROTOCOL.md'), 'utf8')

function section(title: string): string {
  const start = doc.indexOf(`. ${title}\n`)
  expect(start, `section "${title}"`).toBeGreaterThan(0)
  const end = doc.indexOf('\n## ', start)
  return doc.slice(start, end)
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

describe('crypto/PROTOCOL.md', () => {
  it('names every clear column of stored items in "What the server learns"', () => {
    const learns = section('What the server learns')
    const db = openDatabase(':memory:')
    try {
      migrate(db)
      const columns = (db.prepare('PRAGMA table_info(case_items)').all() as { name: string }[])
        .map((c) => c.name)
        .filter((n) => n !== 'sealed' && n !== 'id')
      expect(columns).toEqual(expect.arrayContaining(['kind', 'author_role', 'author_id']))
      for (const c of columns) expect(learns, c).toContain(`\`${camel(c)}\``)
    } finally {
      db.close()
    }
  })
})
