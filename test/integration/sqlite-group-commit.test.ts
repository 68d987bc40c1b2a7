// Group commit on SQLite (src/store/sqlite/db.ts, index.ts): a call settles after the commit that
// holds its write; a read waits for that commit only when it could see the turn's writes. Watched
// from a second connection, which sees only what is committed.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'

let dir: string
let store: Store
let peek: Database.Database
const later = new Date(Date.now() + 3_600_000)
const committedTokens = () =>
  (peek.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
const committedSetting = (key: string) =>
  (
    peek.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined
  )?.value

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portal-group-'))
  store = await openSqliteStore({ file: join(dir, 'portal.db') })
  peek = new Database(join(dir, 'portal.db'), { readonly: true })
})

afterEach(async () => {
  peek.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('SQLite group commit', () => {
  it('settles a write only once it is committed', async () => {
    const write = store.tokens.issue('t1', 'test', later)
    expect(committedTokens()).toBe(0)
    await write
    expect(committedTokens()).toBe(1)
  })

  it('lets a read of settings, accounts or counters pass a turn that wrote other tables', async () => {
    const write = store.tokens.issue('t1', 'test', later)
    // Settled before the turn's commit: what it read was committed already.
    const seen = await Promise.all([
      store.settings.get('x').then(() => committedTokens()),
      store.accounts.list().then(() => committedTokens()),
      store.counters.get('k', new Date()).then(() => committedTokens()),
    ])
    expect(seen).toEqual([0, 0, 0])
    await write
    expect(committedTokens()).toBe(1)
  })

  it('makes a read wait for the commit when the turn wrote what it reads', async () => {
    const write = store.settings.set('greeting', 'hello')
    const read = store.settings.get('greeting').then((v) => [v, committedSetting('greeting')])
    // It sees the turn's write, and settles only once that write is on disk.
    expect(await read).toEqual(['hello', 'hello'])
    await write
  })

  it('makes reads of other tables wait for the turn they could see', async () => {
    const write = store.tokens.issue('t1', 'test', later)
    const read = store.cases.get('none').then(() => committedTokens())
    expect(await read).toBe(1)
    await write
  })

  it("ends a turn's read snapshot when a write comes in the same turn", async () => {
    await store.settings.set('greeting', 'hello')
    const first = store.settings.get('greeting')
    const write = store.tokens.issue('t1', 'test', later)
    const again = store.settings.get('greeting')
    expect(await Promise.all([first, write, again])).toEqual(['hello', undefined, 'hello'])
    expect(committedTokens()).toBe(1)
    // The next turn reads and writes as before.
    await store.settings.set('greeting', 'bye')
    expect(await store.settings.get('greeting')).toBe('bye')
    expect(committedSetting('greeting')).toBe('bye')
  })

  it('runs a read with no turn open on its own, seeing what is committed', async () => {
    await store.settings.set('greeting', 'hello')
    expect(await store.settings.get('greeting')).toBe('hello')
    expect(await store.cases.get('none')).toBeNull()
  })
})
