// The hash-chained audit log on both engines: concurrent writers never fork or skip the chain,
// and every kind of tampering done directly in the database is caught, naming the entry.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mongo } from 'mongoose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { auditEntryHash, createAuditLog, GENESIS_HASH, verifyAuditChain } from '../../src/audit'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import { DuplicateError, type AuditEntry, type Store } from '../../src/store/types'
import { describeMongo, freshMongoUri } from '../setup/env'

type Field = Exclude<keyof AuditEntry, 'seq'>

/** One engine's store plus raw access to its audit records, as someone with the database would have. */
interface Harness {
  store: Store
  /** A second connection to the same database: another app instance. */
  openSecond(): Promise<Store>
  /** Overwrites stored fields of one entry, bypassing the port. */
  edit(seq: number, patch: Partial<Record<Field, unknown>>): Promise<void>
  /** The raw stored value of a field, to restore it. */
  read(seq: number, field: Field): Promise<unknown>
  remove(seq: number): Promise<void>
  close(): Promise<void>
}

/**
 * The store's reads of one event-loop turn share one snapshot (src/store/sqlite/db.ts), so a
 * write through another connection shows from the next turn on, as another process's would.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

async function sqliteHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-audit-'))
  const file = join(dir, 'portal.sqlite')
  const store = await openSqliteStore({ file })
  const raw = new Database(file)
  const seconds: Store[] = []
  const column: Record<Field, string> = {
    at: 'at',
    actorId: 'actor_id',
    actorRole: 'actor_role',
    action: 'action',
    subjectId: 'subject_id',
    details: 'details',
    prevHash: 'prev_hash',
    hash: 'hash',
  }
  const encode = (field: Field, v: unknown) =>
    field === 'at' && v instanceof Date
      ? v.getTime()
      : field === 'details' && typeof v === 'object' && v !== null
        ? JSON.stringify(v)
        : v
  return {
    store,
    async openSecond() {
      const s = await openSqliteStore({ file })
      seconds.push(s)
      return s
    },
    edit(seq, patch) {
      for (const [field, value] of Object.entries(patch) as [Field, unknown][]) {
        raw
          .prepare(`UPDATE audit SET ${column[field]} = ? WHERE seq = ?`)
          .run(encode(field, value), seq)
      }
      return nextTurn()
    },
    read(seq, field) {
      const row = raw.prepare(`SELECT ${column[field]} AS v FROM audit WHERE seq = ?`).get(seq) as {
        v: unknown
      }
      return Promise.resolve(row.v)
    },
    remove(seq) {
      raw.prepare('DELETE FROM audit WHERE seq = ?').run(seq)
      return nextTurn()
    },
    async close() {
      raw.close()
      for (const s of seconds) await s.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function mongoHarness(): Promise<Harness> {
  const uri = freshMongoUri('audit')
  const store = await openMongoStore({ uri, dropOnClose: true })
  const client = await new mongo.MongoClient(uri).connect()
  // The collection the mongo engine keeps the audit chain in (src/store/mongo/models.ts); seq is _id.
  const audit = client.db().collection<{ _id: number }>('audit')
  const seconds: Store[] = []
  return {
    store,
    async openSecond() {
      const s = await openMongoStore({ uri })
      seconds.push(s)
      return s
    },
    async edit(seq, patch) {
      await audit.updateOne({ _id: seq }, { $set: patch })
    },
    async read(seq, field) {
      const doc = (await audit.findOne({ _id: seq })) as Record<string, unknown> | null
      return doc?.[field]
    },
    async remove(seq) {
      await audit.deleteOne({ _id: seq })
    },
    async close() {
      await client.close()
      for (const s of seconds) await s.close()
      await store.close()
    },
  }
}

const T0 = new Date('2026-03-02T09:00:00.000Z')

/** A clock that moves one second per reading, so every entry has its own time. */
function tickingClock() {
  let t = T0.getTime()
  return { now: () => new Date((t += 1000)) }
}

function entryInput(i: number) {
  return {
    actorId: i % 3 === 0 ? undefined : `officer-${i % 2}`,
    actorRole: i % 3 === 0 ? 'system' : 'officer',
    action: i % 2 === 0 ? 'case.opened' : 'case.state-changed',
    subjectId: `case-${i % 4}`,
    details: { to: 'preliminary-review', n: i, first: i === 1 },
  }
}

/** Counts appends that lost the race for a seq (they must be retried, not lost). */
function countingLostRaces(store: Store) {
  const counter = { lost: 0 }
  const wrapped: Pick<Store, 'audit'> = {
    audit: {
      ...store.audit,
      async append(e) {
        try {
          await store.audit.append(e)
        } catch (err) {
          if (err instanceof DuplicateError) counter.lost++
          throw err
        }
      },
    },
  }
  return { wrapped, counter }
}

function auditSuite(open: () => Promise<Harness>) {
  let h: Harness

  beforeEach(async () => {
    h = await open()
  })
  afterEach(async () => {
    await h.close()
  })

  async function record20() {
    const log = createAuditLog({ store: h.store, clock: tickingClock() })
    for (let i = 1; i <= 20; i++) await log.record(entryInput(i))
  }

  it('records 20 entries that verify, each linked to the one before', async () => {
    await record20()
    const result = await verifyAuditChain(h.store, { pageSize: 7 })
    expect(result).toMatchObject({ ok: true, count: 20 })
    const entries = await h.store.audit.range(1, 100)
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH)
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash)
    expect(result.ok && result.lastHash).toBe(entries[19]!.hash)
    expect(entries[2]).not.toHaveProperty('actorId', expect.anything())
  })

  it('two audit logs on one store, writing at once, neither fork nor skip', async () => {
    const a = countingLostRaces(h.store)
    const logA = createAuditLog({ store: a.wrapped, clock: tickingClock() })
    const logB = createAuditLog({ store: a.wrapped, clock: tickingClock() })
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? logA : logB).record(entryInput(i + 1)))
    )
    expect(await verifyAuditChain(h.store)).toMatchObject({ ok: true, count: 20 })
    // The race really happened and the losers retried.
    expect(a.counter.lost).toBeGreaterThan(0)
  })

  it('two app instances (two connections) writing at once neither fork nor skip', async () => {
    const second = await h.openSecond()
    const logA = createAuditLog({ store: h.store, clock: tickingClock() })
    const logB = createAuditLog({ store: second, clock: tickingClock() })
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? logA : logB).record(entryInput(i + 1)))
    )
    expect(new Set(written.map((e) => e.seq)).size).toBe(20)
    expect(await verifyAuditChain(second)).toMatchObject({ ok: true, count: 20 })
  })

  const edits: [Field, unknown, string][] = [
    ['action', 'case.exported', 'hash-mismatch'],
    ['details', { to: 'closed', n: 7, first: false }, 'hash-mismatch'],
    ['actorRole', 'admin', 'hash-mismatch'],
    ['actorId', 'someone-else', 'hash-mismatch'],
    ['subjectId', 'case-99', 'hash-mismatch'],
    ['at', new Date('2026-03-01T00:00:00.000Z'), 'hash-mismatch'],
    ['hash', 'f'.repeat(64), 'hash-mismatch'],
    ['prevHash', 'e'.repeat(64), 'broken-link'],
  ]
  it.each(edits)(
    'detects an entry whose %s was edited in place, and names it',
    async (field, value, reason) => {
      await record20()
      const original = await h.read(7, field)
      await h.edit(7, { [field]: value })
      expect(await verifyAuditChain(h.store)).toEqual({ ok: false, seq: 7, reason, count: 6 })
      await h.edit(7, { [field]: original })
      expect(await verifyAuditChain(h.store)).toMatchObject({ ok: true, count: 20 })
    }
  )

  it('detects an edit whose hash was recomputed: the next entry no longer links', async () => {
    await record20()
    const [entry] = await h.store.audit.range(7, 1)
    const forged = { ...entry!, action: 'case.viewed', details: { n: 0 } }
    await h.edit(7, {
      action: forged.action,
      details: forged.details,
      hash: auditEntryHash(forged),
    })
    expect(await verifyAuditChain(h.store)).toEqual({
      ok: false,
      seq: 8,
      reason: 'broken-link',
      count: 7,
    })
  })

  it('detects a removed entry as a gap at its seq', async () => {
    await record20()
    await h.remove(12)
    expect(await verifyAuditChain(h.store, { pageSize: 5 })).toEqual({
      ok: false,
      seq: 12,
      reason: 'gap',
      count: 11,
    })
  })

  it('detects a removed first entry', async () => {
    await record20()
    await h.remove(1)
    expect(await verifyAuditChain(h.store)).toMatchObject({ ok: false, seq: 1, reason: 'gap' })
  })

  it('a cut-off tail verifies on its own; the kept lastHash and count show it', async () => {
    await record20()
    const before = await verifyAuditChain(h.store)
    await h.remove(20)
    const after = await verifyAuditChain(h.store)
    expect(after).toMatchObject({ ok: true, count: 19 })
    expect(before.ok && after.ok && after.lastHash !== before.lastHash).toBe(true)
  })

  it('an empty log verifies with 0 entries', async () => {
    expect(await verifyAuditChain(h.store)).toEqual({ ok: true, count: 0, lastHash: GENESIS_HASH })
  })
}

describe('audit chain on sqlite', () => auditSuite(sqliteHarness))

describeMongo('audit chain on mongo', () => auditSuite(mongoHarness))
