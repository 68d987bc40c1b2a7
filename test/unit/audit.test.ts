// Audit chain pieces that need no database: canonical JSON, the entry hash, input limits, and the
// retry when another writer takes the seq between our read and our append.
import { describe, expect, it } from 'vitest'
import {
  AuditInputError,
  auditEntryHash,
  canonicalJson,
  createAuditLog,
  GENESIS_HASH,
  verifyAuditChain,
} from '../../src/audit'
import { DuplicateError, type AuditEntry, type AuditStore } from '../../src/store/types'

/** An in-memory AuditStore with the port's unique-seq rule. */
function memoryAudit(): AuditStore & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = []
  return {
    entries,
    append(e) {
      if (entries.some((x) => x.seq === e.seq)) {
        return Promise.reject(new DuplicateError('audit entry'))
      }
      entries.push(structuredClone(e))
      entries.sort((a, b) => a.seq - b.seq)
      return Promise.resolve()
    },
    last: () => Promise.resolve(entries.at(-1) ?? null),
    range: (from, limit) => Promise.resolve(entries.filter((e) => e.seq >= from).slice(0, limit)),
    listForSubject: (id) => Promise.resolve(entries.filter((e) => e.subjectId === id)),
    // Not used by the chain; the store engines' search is covered by the contract suite.
    search: () => Promise.reject(new Error('not used here')),
  }
}

const clock = { now: () => new Date('2026-03-02T09:00:00.000Z') }

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: true }, u: undefined })).toBe(
      '{"a":{"c":true,"d":[1,"x"]},"b":1}'
    )
    expect(canonicalJson({ z: 1, a: 2 })).toBe(canonicalJson({ a: 2, z: 1 }))
  })

  it('refuses what JSON cannot carry faithfully', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError)
    expect(() => canonicalJson(new Date())).toThrow(TypeError)
    expect(() => canonicalJson(() => 1)).toThrow(TypeError)
  })
})

describe('auditEntryHash', () => {
  const entry = {
    seq: 1,
    at: new Date('2026-03-02T09:00:00.000Z'),
    actorRole: 'system',
    action: 'boot',
    details: { b: 1, a: 'x' },
    prevHash: GENESIS_HASH,
  }

  it('is the hex SHA-256 of the canonical entry, independent of details key order', () => {
    const h = auditEntryHash(entry)
    expect(h).toMatch(/^[0-9a-f]{64}$/)
    expect(auditEntryHash({ ...entry, details: { a: 'x', b: 1 } })).toBe(h)
  })

  it('changes with every field, and tells an absent actor from an empty one', () => {
    const h = auditEntryHash(entry)
    expect(auditEntryHash({ ...entry, seq: 2 })).not.toBe(h)
    expect(auditEntryHash({ ...entry, at: new Date(entry.at.getTime() + 1) })).not.toBe(h)
    expect(auditEntryHash({ ...entry, actorId: '' })).not.toBe(h)
    expect(auditEntryHash({ ...entry, subjectId: 'c' })).not.toBe(h)
    expect(auditEntryHash({ ...entry, details: { a: 'x', b: '1' } })).not.toBe(h)
    expect(auditEntryHash({ ...entry, prevHash: 'f'.repeat(64) })).not.toBe(h)
  })
})

describe('createAuditLog', () => {
  it('chains entries from the genesis hash', async () => {
    const audit = memoryAudit()
    const log = createAuditLog({ store: { audit }, clock })
    const first = await log.record({ actorRole: 'system', action: 'boot', details: {} })
    const second = await log.record({
      actorRole: 'officer',
      actorId: 'o1',
      action: 'case.opened',
      subjectId: 'c1',
    })
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH })
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, details: {} })
    expect(await verifyAuditChain({ audit })).toMatchObject({ ok: true, count: 2 })
  })

  it('when another writer takes the seq first, re-reads and chains onto its entry', async () => {
    const audit = memoryAudit()
    const other = createAuditLog({ store: { audit }, clock })
    let interfere = 2
    const racing: AuditStore = {
      ...audit,
      async last() {
        const seen = await audit.last()
        // Another instance appends right after we read: our seq is taken twice in a row.
        if (interfere-- > 0) await other.record({ actorRole: 'system', action: 'other' })
        return seen
      },
    }
    const log = createAuditLog({ store: { audit: racing }, clock })
    const mine = await log.record({ actorRole: 'system', action: 'mine' })
    expect(mine.seq).toBe(3)
    expect(mine.prevHash).toBe(audit.entries[1]!.hash)
    expect(await verifyAuditChain({ audit })).toMatchObject({ ok: true, count: 3 })
  })

  it('gives up after maxAttempts lost races, with the DuplicateError', async () => {
    const audit = memoryAudit()
    const always: AuditStore = {
      ...audit,
      append: () => Promise.reject(new DuplicateError('audit entry')),
    }
    const log = createAuditLog({ store: { audit: always }, clock, maxAttempts: 3 })
    await expect(log.record({ actorRole: 'system', action: 'x' })).rejects.toThrow(DuplicateError)
  })

  it('keeps details to small flat facts', async () => {
    const log = createAuditLog({ store: { audit: memoryAudit() }, clock })
    const bad = [
      { details: { 'a.b': 1 } },
      { details: { $where: 1 } },
      { details: { text: 'x'.repeat(300) } },
      { details: { n: Infinity } },
      { details: { nested: { a: 1 } } as unknown as Record<string, string> },
      { details: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])) },
      { details: { s: '\uD800' } },
      { action: '' },
    ]
    for (const extra of bad) {
      await expect(log.record({ actorRole: 'system', action: 'x', ...extra })).rejects.toThrow(
        AuditInputError
      )
    }
  })
})
