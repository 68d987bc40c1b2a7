// `portal audit:verify` and `portal help` as an operator runs them: a child process reading the
// same environment as the server.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mongo } from 'mongoose'
import { afterAll, describe, it } from 'vitest'
import { createAuditLog } from '../../src/audit'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'
import { run, CLI_JS } from '../helpers/proc'
import { describeMongo, freshMongoUri } from '../setup/env'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-cli-'))
  dirs.push(dir)
  return dir
}

async function portal(args: string[], env: Record<string, string>) {
  const p = run([CLI_JS, ...args], env)
  const { code } = await p.exited
  return { code, stdout: p.stdout(), stderr: p.stderr() }
}

async function recordFive(store: Store) {
  let t = Date.parse('2026-03-02T09:00:00Z')
  const log = createAuditLog({ store, clock: { now: () => new Date((t += 1000)) } })
  for (let i = 1; i <= 5; i++) {
    await log.record({
      actorRole: 'officer',
      actorId: 'o1',
      action: 'case.opened',
      subjectId: `c${i}`,
      details: { i },
    })
  }
}

// Each test is its own child process: run them side by side.
describe.concurrent('portal CLI', () => {
  it('help lists the commands and exits 0', async ({ expect }) => {
    const r = await portal(['help'], {})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/audit:verify/)
    expect(r.stdout).toMatch(/help/)
  })

  it('an unknown command exits 2 and points at help', async ({ expect }) => {
    const r = await portal(['frobnicate'], {})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown command "frobnicate".*portal help/)
  })

  it('a bad environment is reported like the server reports it, exit 2', async ({ expect }) => {
    const r = await portal(['audit:verify'], { DATA_DIR: tempDir(), PORT: 'eighty' })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/PORT must be a whole number/)
  })

  it('audit:verify on SQLite: OK with the count, then BROKEN naming a tampered entry', async ({
    expect,
  }) => {
    const dir = tempDir()
    const file = join(dir, 'portal.sqlite')
    const store = await openSqliteStore({ file })
    await recordFive(store)
    await store.close()

    const ok = await portal(['audit:verify'], { DATA_DIR: dir })
    expect(ok.stdout).toMatch(/^audit chain OK: 5 entries$/m)
    expect(ok.code).toBe(0)

    const db = new Database(file)
    db.prepare("UPDATE audit SET action = 'case.exported' WHERE seq = 3").run()
    db.close()
    const broken = await portal(['audit:verify'], { DATA_DIR: dir })
    expect(broken.stdout).toMatch(/^audit chain BROKEN at entry #3: hash-mismatch$/m)
    expect(broken.code).toBe(1)
  })

  it('audit:verify on an empty store says so on stderr and exits 0', async ({ expect }) => {
    const r = await portal(['audit:verify'], { DATA_DIR: tempDir() })
    expect(r.stdout).toMatch(/audit chain OK: 0 entries/)
    expect(r.stderr).toMatch(/empty/)
    expect(r.code).toBe(0)
  })
})

describeMongo('portal CLI on MongoDB', () => {
  it('audit:verify reads MONGODB_URI: OK, then BROKEN after an entry is removed', async ({
    expect,
  }) => {
    const uri = freshMongoUri('auditcli')
    const store = await openMongoStore({ uri, dropOnClose: true })
    try {
      await recordFive(store)
      const env = { MONGODB_URI: uri, DATA_DIR: tempDir() }
      const ok = await portal(['audit:verify'], env)
      expect(ok.stdout).toMatch(/^audit chain OK: 5 entries$/m)
      expect(ok.code).toBe(0)

      const client = await new mongo.MongoClient(uri).connect()
      await client.db().collection<{ _id: number }>('audit').deleteOne({ _id: 2 })
      await client.close()
      const broken = await portal(['audit:verify'], env)
      expect(broken.stdout).toMatch(/^audit chain BROKEN at entry #2: gap$/m)
      expect(broken.code).toBe(1)
    } finally {
      await store.close()
    }
  })
})
