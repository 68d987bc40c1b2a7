// The store contract: every engine (sqlite/, mongo/) must pass this same suite.
// Each test gets a fresh, empty store from `makeStore` and closes it afterwards.
import { createHash, randomBytes } from 'node:crypto'
import { describe, it, expect, beforeEach, afterEach } from 'vitest'
import { CASE_STATES, type CaseWorkKind } from '../../src/domain/vocab'
import {
  ConflictError,
  DuplicateError,
  type AuditEntry,
  type AuditFilter,
  type CaseItem,
  type CaseRecord,
  type CaseStatsRecord,
  type NewAccount,
  type NewCase,
  type NewCaseItem,
  type NewOutboxMessage,
  type Session,
  type Store,
} from '../../src/store/types'
import { describeRetentionContract } from './retention-contract'

// ---------------------------------------------------------------- fixtures

const T0 = new Date('2026-03-10T09:00:00.000Z')
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** A moment `ms` after `from` (T0 by default). */
const later = (ms: number, from: Date = T0) => new Date(from.getTime() + ms)

/** Deterministic bytes, so a failure prints the same values every run. */
function bytesOf(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 17) & 0xff
  return out
}

/**
 * Copies every Uint8Array (Buffer included) to a plain Uint8Array, so `toEqual` compares
 * bytes rather than classes: a Buffer is a valid Uint8Array for the port.
 */
function plain<T>(value: T): T {
  if (value instanceof Uint8Array) return Uint8Array.from(value) as T
  if (value instanceof Date || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v: unknown) => plain(v)) as T
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as T
}

function minimalCase(id: string, overrides: Partial<NewCase> = {}): NewCase {
  return {
    id,
    channel: 'web',
    anonymity: 'anonymous',
    encMode: 'client',
    state: 'received',
    tags: [],
    planItemIds: [],
    casePublicKey: `pk-${id}`,
    receivedAt: T0,
    createdAt: T0,
    clocks: [],
    ...overrides,
  }
}

function fullCase(id: string): NewCase {
  return minimalCase(id, {
    registrationNo: '2026/0042',
    channel: 'phone',
    anonymity: 'confidential',
    encMode: 'server',
    state: 'investigation',
    outcome: 'confirmed',
    category: 'procurement',
    tags: ['urgent', 'tender'],
    assigneeId: 'officer-1',
    planItemIds: ['plan-10', 'plan-15'],
    casePublicKey: 'Y2FzZS1wdWJsaWMta2V5',
    reporterBoxPublicKey: 'cmVwb3J0ZXItYm94',
    reporterSignPublicKey: 'cmVwb3J0ZXItc2lnbg==',
    receiptLookup: 'a1b2c3',
    receivedAt: later(-2 * DAY),
    createdAt: T0,
    clocks: [
      { kind: 'acknowledge', startedAt: later(-2 * DAY), dueAt: later(3 * DAY), metAt: T0 },
      { kind: 'decide', startedAt: later(-2 * DAY), dueAt: later(30 * DAY), extendedDays: 15 },
    ],
    pendingExtension: {
      requestedBy: 'officer-1',
      requestedAt: T0,
      days: 10,
      reason: 'witness away',
    },
    protectionMeasures: [
      {
        id: 'm1',
        kind: 'confidentiality',
        takenOn: '2026-03-09',
        outcome: 'effective',
        recordedBy: 'officer-1',
        recordedAt: T0,
      },
    ],
    notePublicKey: 'bm90ZS1wdWJsaWMta2V5',
  })
}

function newItem(caseId: string, id: string, overrides: Partial<NewCaseItem> = {}): NewCaseItem {
  return {
    caseId,
    id,
    kind: 'message',
    authorRole: 'reporter',
    encMode: 'client',
    sealed: bytesOf(48, id.length),
    createdAt: T0,
    ...overrides,
  }
}

function newAccount(id: string, overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    id,
    email: `${id}@example.org`,
    displayName: `Officer ${id}`,
    roles: ['officer'],
    status: 'invited',
    notifyDigest: false,
    createdAt: T0,
    ...overrides,
  }
}

function newMessage(id: string, overrides: Partial<NewOutboxMessage> = {}): NewOutboxMessage {
  return {
    id,
    to: 'officer@example.org',
    template: 'new-report',
    params: { lang: 'uk' },
    notBefore: T0,
    createdAt: T0,
    ...overrides,
  }
}

function auditEntry(seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    at: later(seq * MINUTE),
    actorRole: 'officer',
    action: 'case.view',
    details: {},
    prevHash: `h${seq - 1}`,
    hash: `h${seq}`,
    ...overrides,
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts)
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

// ---------------------------------------------------------------- the suite

export function describeStoreContract(name: string, makeStore: () => Promise<Store>) {
  describe(`store contract: ${name}`, () => {
    let store: Store

    beforeEach(async () => {
      store = await makeStore()
    })
    afterEach(async () => {
      await store.close()
    })

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
    })

    describeRetentionContract(() => store)

    describe('cases', () => {
      it('round-trips a case with every optional field', async () => {
        const input = fullCase('case-1')
        const created = await store.cases.create(input)
        const expected = {
          ...input,
          protectionMeasures: input.protectionMeasures ?? [],
          updatedAt: input.createdAt,
          lastSeq: 0,
          unreadForOfficers: false,
          unreadForReporter: false,
        }
        expect(created).toEqual({ ...expected, version: created.version })
        expect(typeof created.version).toBe('number')
        expect(await store.cases.get('case-1')).toEqual(created)
        expect(await store.cases.getByReceiptLookup('a1b2c3')).toEqual(created)
      })

      it('round-trips a minimal case without inventing optional fields', async () => {
        const input = minimalCase('case-1')
        const created = await store.cases.create(input)
        const got = await store.cases.get('case-1')
        // toEqual treats absent and undefined alike but fails on null.
        expect(got).toEqual({
          ...input,
          protectionMeasures: [],
          updatedAt: input.createdAt,
          lastSeq: 0,
          unreadForOfficers: false,
          unreadForReporter: false,
          version: created.version,
        })
        for (const key of [
          'registrationNo',
          'outcome',
          'category',
          'assigneeId',
          'reporterBoxPublicKey',
          'reporterSignPublicKey',
          'receiptLookup',
          'pendingExtension',
          'notePublicKey',
        ] as const) {
          expect(got?.[key], key).toBeUndefined()
        }
      })

      it('returns null for unknown ids and receipt lookups', async () => {
        expect(await store.cases.get('nope')).toBeNull()
        expect(await store.cases.getByReceiptLookup('nope')).toBeNull()
      })

      it('refuses a duplicate receipt lookup and a duplicate id, but not two cases without one', async () => {
        await store.cases.create(minimalCase('case-1', { receiptLookup: 'same' }))
        await expect(
          store.cases.create(minimalCase('case-2', { receiptLookup: 'same' }))
        ).rejects.toBeInstanceOf(DuplicateError)
        await expect(store.cases.create(minimalCase('case-1'))).rejects.toBeInstanceOf(
          DuplicateError
        )
        await store.cases.create(minimalCase('case-3'))
        await store.cases.create(minimalCase('case-4'))
        expect((await store.cases.list({}, 1, 10)).total).toBe(3)
      })

      it('updates with a version check and refuses a stale version', async () => {
        const created = await store.cases.create(minimalCase('case-1'))
        const at = later(MINUTE)
        const updated = await store.cases.update(
          'case-1',
          created.version,
          {
            state: 'preliminary-review',
            registrationNo: '2026/0001',
            tags: ['a'],
            planItemIds: ['plan-16'],
            unreadForOfficers: true,
            clocks: [{ kind: 'decide', startedAt: T0, dueAt: later(DAY) }],
          },
          at
        )
        expect(updated).toEqual({
          ...created,
          state: 'preliminary-review',
          registrationNo: '2026/0001',
          tags: ['a'],
          planItemIds: ['plan-16'],
          unreadForOfficers: true,
          clocks: [{ kind: 'decide', startedAt: T0, dueAt: later(DAY) }],
          updatedAt: at,
          version: created.version + 1,
        })
        expect(await store.cases.get('case-1')).toEqual(updated)

        await expect(
          store.cases.update('case-1', created.version, { state: 'closed' }, later(2 * MINUTE))
        ).rejects.toBeInstanceOf(ConflictError)
        expect(await store.cases.get('case-1')).toEqual(updated)
      })

      it('clears an optional field set to undefined and keeps absent ones', async () => {
        const created = await store.cases.create(fullCase('case-1'))
        const updated = await store.cases.update(
          'case-1',
          created.version,
          { assigneeId: undefined, category: 'hr' },
          later(MINUTE)
        )
        expect(updated.assigneeId).toBeUndefined()
        expect(updated.category).toBe('hr')
        expect(updated.registrationNo).toBe('2026/0042')
        expect((await store.cases.get('case-1'))?.assigneeId).toBeUndefined()
      })

      it('patches and clears the officer workspace fields (extension, measures, note key)', async () => {
        const created = await store.cases.create(minimalCase('case-1'))
        expect(created.protectionMeasures).toEqual([])
        const pending = { requestedBy: 'off-1', requestedAt: T0, days: 15, reason: 'experts' }
        const measure = {
          id: 'm1',
          kind: 'legal-aid',
          takenOn: '2026-03-10',
          outcome: 'pending',
          recordedBy: 'off-1',
          recordedAt: later(MINUTE),
        }
        const updated = await store.cases.update(
          'case-1',
          created.version,
          { pendingExtension: pending, protectionMeasures: [measure], notePublicKey: 'npk' },
          later(MINUTE)
        )
        expect(updated).toMatchObject({
          pendingExtension: pending,
          protectionMeasures: [measure],
          notePublicKey: 'npk',
        })
        expect(await store.cases.get('case-1')).toEqual(updated)
        const cleared = await store.cases.update(
          'case-1',
          updated.version,
          { pendingExtension: undefined },
          later(2 * MINUTE)
        )
        expect(cleared.pendingExtension).toBeUndefined()
        expect(cleared.protectionMeasures).toEqual([measure])
        expect(cleared.notePublicKey).toBe('npk')
      })

      it('records where a case was referred, with a name only for another body', async () => {
        const created = await store.cases.create(minimalCase('case-r'))
        expect(created.referral).toBeUndefined()
        const nazk = { body: 'nazk' as const, at: later(MINUTE) }
        const one = await store.cases.update('case-r', created.version, { referral: nazk }, T0)
        expect(one.referral).toEqual(nazk)
        const other = { body: 'other' as const, name: 'Державне бюро розслідувань', at: T0 }
        const two = await store.cases.update('case-r', one.version, { referral: other }, T0)
        expect(await store.cases.get('case-r')).toEqual(two)
        expect(two.referral).toEqual(other)
      })

      it('filters on an open clock due before an instant (overdue)', async () => {
        const clock = (kind: string, dueAt: Date, metAt?: Date) => ({
          kind,
          startedAt: T0,
          dueAt,
          ...(metAt ? { metAt } : {}),
        })
        await store.cases.create(minimalCase('overdue', { clocks: [clock('a', later(DAY))] }))
        await store.cases.create(
          minimalCase('met', { clocks: [clock('a', later(DAY), later(MINUTE))] })
        )
        await store.cases.create(minimalCase('later', { clocks: [clock('a', later(5 * DAY))] }))
        await store.cases.create(
          minimalCase('mixed', {
            clocks: [clock('a', later(DAY), later(MINUTE)), clock('b', later(2 * DAY))],
          })
        )
        await store.cases.create(minimalCase('none'))
        const ids = async (at: Date) =>
          (await store.cases.list({ openClockDueBefore: at }, 1, 10)).items.map((c) => c.id).sort()
        expect(await ids(later(3 * DAY))).toEqual(['mixed', 'overdue'])
        expect(await ids(later(DAY + MINUTE))).toEqual(['overdue'])
        expect(await ids(T0)).toEqual([])
        expect(
          (await store.cases.countByState({ openClockDueBefore: later(10 * DAY) })).received
        ).toBe(3)
      })

      it('hands out registration numbers per year without duplicates, also in parallel', async () => {
        expect(await store.cases.nextRegistrationNumber(2026)).toBe(1)
        expect(await store.cases.nextRegistrationNumber(2026)).toBe(2)
        expect(await store.cases.nextRegistrationNumber(2027)).toBe(1)
        const parallel = await Promise.all(
          Array.from({ length: 8 }, () => store.cases.nextRegistrationNumber(2026))
        )
        expect([...parallel].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10])
      })

      it('lists newest received first, ties by newest created, in pages', async () => {
        await store.cases.create(minimalCase('a', { receivedAt: later(1 * DAY), createdAt: T0 }))
        await store.cases.create(minimalCase('b', { receivedAt: later(3 * DAY), createdAt: T0 }))
        await store.cases.create(
          minimalCase('c', { receivedAt: later(2 * DAY), createdAt: later(1 * MINUTE) })
        )
        await store.cases.create(
          minimalCase('d', { receivedAt: later(2 * DAY), createdAt: later(5 * MINUTE) })
        )
        await store.cases.create(minimalCase('e', { receivedAt: T0, createdAt: T0 }))

        const ids = async (page: number) => {
          const p = await store.cases.list({}, page, 2)
          expect(p.total).toBe(5)
          expect(p.page).toBe(page)
          expect(p.pageSize).toBe(2)
          return p.items.map((c) => c.id)
        }
        expect(await ids(1)).toEqual(['b', 'd'])
        expect(await ids(2)).toEqual(['c', 'a'])
        expect(await ids(3)).toEqual(['e'])
        expect(await ids(4)).toEqual([])
      })

      it('tells the earliest and latest receipt, or null without cases', async () => {
        expect(await store.cases.receivedRange()).toBeNull()
        await store.cases.create(minimalCase('mid', { receivedAt: later(0) }))
        expect(await store.cases.receivedRange()).toEqual({ first: later(0), last: later(0) })
        await store.cases.create(minimalCase('new', { receivedAt: later(3 * DAY) }))
        await store.cases.create(minimalCase('old', { receivedAt: later(-400 * DAY) }))
        expect(await store.cases.receivedRange()).toEqual({
          first: later(-400 * DAY),
          last: later(3 * DAY),
        })
      })

      it('hands the statistics each case of a received range, projected, and nothing else', async () => {
        const clocks = [
          { kind: 'acknowledge', startedAt: later(0), dueAt: later(7 * DAY), metAt: later(DAY) },
          { kind: 'investigation', startedAt: later(0), dueAt: later(30 * DAY), extendedDays: 15 },
        ]
        const measure = {
          id: 'pm-1',
          kind: 'legal-aid',
          takenOn: '2026-03-11',
          outcome: 'effective',
          recordedBy: 'off-1',
          recordedAt: later(DAY),
        }
        await store.cases.create(
          minimalCase('full', {
            state: 'closed',
            outcome: 'referred',
            channel: 'phone',
            anonymity: 'confidential',
            category: 'hr',
            planItemIds: ['p1', 'p2'],
            receivedAt: later(0),
            clocks,
            protectionMeasures: [measure, { ...measure, id: 'pm-2', outcome: 'pending' }],
            referral: { body: 'national-police', at: later(2 * DAY) },
          })
        )
        await store.cases.create(minimalCase('bare', { receivedAt: later(DAY) }))
        await store.cases.create(minimalCase('edge', { receivedAt: later(2 * DAY) }))
        await store.cases.create(minimalCase('early', { receivedAt: later(-1) }))

        const seen: CaseStatsRecord[] = []
        const n = await store.cases.eachForStatistics(later(0), later(2 * DAY), (c) => seen.push(c))
        expect(n).toBe(2)
        // Exactly the statistics' fields of what `all` gives (the referral's body, the measures'
        // outcomes), and no key, receipt lookup or id.
        const project = (c: CaseRecord): CaseStatsRecord => ({
          channel: c.channel,
          anonymity: c.anonymity,
          state: c.state,
          outcome: c.outcome,
          category: c.category,
          receivedAt: c.receivedAt,
          clocks: c.clocks,
          planItemIds: c.planItemIds,
          protectionMeasures: c.protectionMeasures.map((m) => ({ outcome: m.outcome })),
          referral: c.referral && { body: c.referral.body },
        })
        const all = await store.cases.all({
          receivedFrom: later(0),
          receivedBefore: later(2 * DAY),
        })
        const byTime = (a: CaseStatsRecord, b: CaseStatsRecord) =>
          a.receivedAt.getTime() - b.receivedAt.getTime()
        expect(plain(seen.sort(byTime))).toEqual(plain(all.map(project).sort(byTime)))
        expect(seen[0]).toMatchObject({
          planItemIds: ['p1', 'p2'],
          protectionMeasures: [{ outcome: 'effective' }, { outcome: 'pending' }],
          referral: { body: 'national-police' },
        })
        expect(seen[0]!.clocks[1]).toMatchObject({ kind: 'investigation', extendedDays: 15 })
        expect(seen[1]).toMatchObject({ planItemIds: [], protectionMeasures: [] })
        expect(seen[1]!.referral).toBeUndefined()
        for (const c of seen) expect(Object.keys(c)).not.toContain('casePublicKey')
        expect(await store.cases.eachForStatistics(later(9 * DAY), later(10 * DAY), () => {})).toBe(
          0
        )
      })

      it('filters by state, channel, category, assignee, plan item, grant and received range', async () => {
        await store.cases.create(
          minimalCase('a', {
            state: 'received',
            channel: 'web',
            category: 'procurement',
            assigneeId: 'off-1',
            planItemIds: ['p10', 'p15'],
            receivedAt: later(0),
          })
        )
        await store.cases.create(
          minimalCase('b', {
            state: 'investigation',
            channel: 'phone',
            category: 'hr',
            assigneeId: 'off-2',
            planItemIds: ['p15'],
            receivedAt: later(1 * DAY),
          })
        )
        await store.cases.create(
          minimalCase('c', { state: 'closed', channel: 'web', receivedAt: later(2 * DAY) })
        )
        const grant = { granteeKind: 'officer' as const, sealedKey: bytesOf(8), createdAt: T0 }
        await store.grants.put({ ...grant, caseId: 'a', granteeId: 'off-1' })
        await store.grants.put({ ...grant, caseId: 'c', granteeId: 'off-1' })
        await store.grants.put({ ...grant, caseId: 'b', granteeId: 'off-2' })

        const ids = async (filter: Parameters<Store['cases']['list']>[0]) =>
          (await store.cases.list(filter, 1, 50)).items.map((c) => c.id).sort()

        expect(await ids({})).toEqual(['a', 'b', 'c'])
        expect(await ids({ states: ['received', 'closed'] })).toEqual(['a', 'c'])
        expect(await ids({ channel: 'web' })).toEqual(['a', 'c'])
        expect(await ids({ category: 'hr' })).toEqual(['b'])
        expect(await ids({ assigneeId: 'off-1' })).toEqual(['a'])
        expect(await ids({ planItemId: 'p15' })).toEqual(['a', 'b'])
        expect(await ids({ planItemId: 'p10' })).toEqual(['a'])
        expect(await ids({ grantedTo: 'off-1' })).toEqual(['a', 'c'])
        expect(await ids({ grantedTo: 'off-3' })).toEqual([])
        // receivedFrom is inclusive, receivedBefore exclusive.
        expect(await ids({ receivedFrom: later(1 * DAY) })).toEqual(['b', 'c'])
        expect(await ids({ receivedBefore: later(1 * DAY) })).toEqual(['a'])
        expect(await ids({ receivedFrom: later(1 * DAY), receivedBefore: later(2 * DAY) })).toEqual(
          ['b']
        )
        expect(await ids({ channel: 'web', grantedTo: 'off-1', states: ['closed'] })).toEqual(['c'])
        expect((await store.cases.list({ channel: 'web' }, 1, 1)).total).toBe(2)
        expect((await store.cases.all({ grantedTo: 'off-1' })).map((c) => c.id).sort()).toEqual([
          'a',
          'c',
        ])
      })

      it('creates many cases in one go, each as create would, refusing a taken id', async () => {
        const clock = { kind: 'a', startedAt: T0, dueAt: later(DAY) }
        await store.cases.createMany([
          minimalCase('m1', { planItemIds: ['p1'], clocks: [clock] }),
          minimalCase('m2', { registrationNo: '2026/0002', receivedAt: later(MINUTE) }),
        ])
        await store.cases.createMany([])
        const one = await store.cases.get('m1')
        expect(one).toEqual(
          await store.cases
            .create(minimalCase('m3', { planItemIds: ['p1'], clocks: [clock] }))
            .then((c) => ({ ...c, id: 'm1', casePublicKey: 'pk-m1' }))
        )
        expect((await store.cases.list({ planItemId: 'p1' }, 1, 10)).total).toBe(2)
        expect((await store.cases.list({ openClockDueBefore: later(2 * DAY) }, 1, 10)).total).toBe(
          2
        )
        expect((await store.cases.list({ registrationNo: '2026/0002' }, 1, 10)).items[0]?.id).toBe(
          'm2'
        )
        await expect(store.cases.createMany([minimalCase('m2')])).rejects.toBeInstanceOf(
          DuplicateError
        )
      })

      it('puts many grants in one go, replacing like put', async () => {
        const grant = { granteeKind: 'officer' as const, sealedKey: bytesOf(8), createdAt: T0 }
        await store.grants.put({ ...grant, caseId: 'c1', granteeId: 'o1', grantedBy: 'x' })
        await store.grants.putMany([
          { ...grant, caseId: 'c1', granteeId: 'o1', sealedKey: bytesOf(8, 2) },
          { ...grant, caseId: 'c2', granteeId: 'o1' },
        ])
        await store.grants.putMany([])
        expect(plain(await store.grants.get('c1', 'officer', 'o1'))).toEqual(
          plain({
            ...grant,
            caseId: 'c1',
            granteeId: 'o1',
            sealedKey: bytesOf(8, 2),
            sealedNoteKey: undefined,
            grantedBy: undefined,
          })
        )
        expect(await store.grants.get('c2', 'officer', 'o1')).not.toBeNull()
      })

      it('finds by registration number, exact or by prefix, without matching look-alikes', async () => {
        const reg = (id: string, registrationNo?: string) =>
          store.cases.create(minimalCase(id, registrationNo ? { registrationNo } : {}))
        await reg('a', '2026/0001')
        await reg('b', '2026/0012')
        await reg('c', '2026/00120')
        await reg('d', '2025/0012')
        await reg('e')
        const ids = async (filter: Parameters<Store['cases']['list']>[0]) =>
          (await store.cases.list(filter, 1, 50)).items.map((c) => c.id).sort()
        expect(await ids({ registrationNo: '2026/0012' })).toEqual(['b'])
        expect(await ids({ registrationNo: '2026/001' })).toEqual([])
        expect(await ids({ registrationPrefix: '2026/001' })).toEqual(['b', 'c'])
        expect(await ids({ registrationPrefix: '2026/' })).toEqual(['a', 'b', 'c'])
        expect(await ids({ registrationPrefix: '2027' })).toEqual([])
        // Regular-expression and LIKE characters are plain text here.
        expect(await ids({ registrationPrefix: '2026.' })).toEqual([])
        expect(await ids({ registrationPrefix: '2026%' })).toEqual([])
        expect(await ids({ registrationPrefix: '2026/0012', states: ['closed'] })).toEqual([])
      })

      it('keeps the plan item filter true after the links change', async () => {
        const a = await store.cases.create(minimalCase('a', { planItemIds: ['p1', 'p2'] }))
        await store.cases.create(minimalCase('b', { planItemIds: ['p2'] }))
        const ids = async (planItemId: string) =>
          (await store.cases.list({ planItemId }, 1, 50)).items.map((c) => c.id).sort()
        expect(await ids('p2')).toEqual(['a', 'b'])
        await store.cases.update('a', a.version, { planItemIds: ['p3'] }, T0)
        expect(await ids('p1')).toEqual([])
        expect(await ids('p2')).toEqual(['b'])
        expect(await ids('p3')).toEqual(['a'])
        // A patch without planItemIds keeps the links.
        await store.cases.update('a', a.version + 1, { category: 'hr' }, T0)
        expect(await ids('p3')).toEqual(['a'])
      })

      it('finds cases without stored clocks, until clocks are saved', async () => {
        const clock = { kind: 'a', startedAt: T0, dueAt: later(DAY) }
        const bare = await store.cases.create(minimalCase('bare'))
        await store.cases.create(minimalCase('timed', { clocks: [clock] }))
        await store.cases.create(minimalCase('closed', { state: 'closed' }))
        const ids = async () =>
          (await store.cases.list({ states: ['received'], withoutClocks: true }, 1, 50)).items.map(
            (c) => c.id
          )
        expect(await ids()).toEqual(['bare'])
        await store.cases.update('bare', bare.version, { clocks: [clock] }, T0)
        expect(await ids()).toEqual([])
      })

      it('sorts by received, deadline or registration number, either way, ties by received', async () => {
        const open = (days: number) => [{ kind: 'a', startedAt: T0, dueAt: later(days * DAY) }]
        const met = [{ kind: 'a', startedAt: T0, dueAt: later(DAY), metAt: T0 }]
        await store.cases.create(
          minimalCase('a', { registrationNo: '2026/0003', receivedAt: later(1), clocks: open(5) })
        )
        await store.cases.create(
          minimalCase('b', { registrationNo: '2026/0001', receivedAt: later(2), clocks: open(2) })
        )
        await store.cases.create(minimalCase('c', { receivedAt: later(3), clocks: met }))
        await store.cases.create(
          minimalCase('d', { registrationNo: '2026/0002', receivedAt: later(4) })
        )
        const c = await store.cases.create(
          minimalCase('e', { receivedAt: later(5), clocks: open(9) })
        )
        const order = async (options: Parameters<Store['cases']['list']>[3]) =>
          (await store.cases.list({}, 1, 50, options)).items.map((x) => x.id)
        expect(await order({})).toEqual(['e', 'd', 'c', 'b', 'a'])
        expect(await order({ sort: 'received', direction: 'asc' })).toEqual([
          'a',
          'b',
          'c',
          'd',
          'e',
        ])
        // No open clock sorts as the far future; ties by received, same direction.
        expect(await order({ sort: 'deadline', direction: 'asc' })).toEqual([
          'b',
          'a',
          'e',
          'c',
          'd',
        ])
        expect(await order({ sort: 'deadline', direction: 'desc' })).toEqual([
          'd',
          'c',
          'e',
          'a',
          'b',
        ])
        // Without a number first when ascending.
        expect(await order({ sort: 'registration', direction: 'asc' })).toEqual([
          'c',
          'e',
          'b',
          'd',
          'a',
        ])
        expect(await order({ sort: 'registration', direction: 'desc' })).toEqual([
          'a',
          'd',
          'b',
          'e',
          'c',
        ])
        // The deadline order follows a clocks update.
        await store.cases.update('e', c.version, { clocks: open(1) }, T0)
        expect((await order({ sort: 'deadline', direction: 'asc' }))[0]).toBe('e')
        // Pages of a sorted list do not overlap.
        const two = async (page: number) =>
          (
            await store.cases.list({}, page, 2, { sort: 'registration', direction: 'asc' })
          ).items.map((x) => x.id)
        expect([...(await two(1)), ...(await two(2)), ...(await two(3))]).toEqual([
          'c',
          'e',
          'b',
          'd',
          'a',
        ])
      })

      it('counts up to a limit when asked, saying the total is a lower bound', async () => {
        for (const id of ['a', 'b', 'c', 'd']) await store.cases.create(minimalCase(id))
        const exact = await store.cases.list({}, 1, 2, { countLimit: 4 })
        expect(exact.total).toBe(4)
        expect(exact.capped).toBeUndefined()
        const capped = await store.cases.list({}, 1, 2, { countLimit: 3 })
        expect(capped.total).toBe(3)
        expect(capped.capped).toBe(true)
        expect(capped.items).toHaveLength(2)
        expect((await store.cases.list({}, 1, 2)).total).toBe(4)
      })

      it('counts by state with every state present', async () => {
        await store.cases.create(minimalCase('a', { state: 'received' }))
        await store.cases.create(minimalCase('b', { state: 'received', channel: 'phone' }))
        await store.cases.create(minimalCase('c', { state: 'closed' }))

        const zero = Object.fromEntries(CASE_STATES.map((s) => [s, 0]))
        expect(await store.cases.countByState()).toEqual({ ...zero, received: 2, closed: 1 })
        expect(await store.cases.countByState({ channel: 'phone' })).toEqual({
          ...zero,
          received: 1,
        })
      })

      it('counts by UTC month of receivedAt within the year', async () => {
        const received = [
          ['a', '2025-12-31T23:59:59.999Z'],
          ['b', '2026-01-01T00:00:00.000Z'],
          ['c', '2026-03-05T10:00:00.000Z'],
          ['d', '2026-03-31T23:30:00.000Z'],
          ['e', '2026-12-31T23:59:59.999Z'],
          ['f', '2027-01-01T00:00:00.000Z'],
        ] as const
        for (const [id, at] of received) {
          await store.cases.create(
            minimalCase(id, { receivedAt: new Date(at), channel: id === 'c' ? 'phone' : 'web' })
          )
        }
        const months = await store.cases.countByMonth(2026)
        expect(Object.keys(months).sort()).toEqual(
          Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'))
        )
        expect(months).toMatchObject({ '01': 1, '02': 0, '03': 2, '11': 0, '12': 1 })
        expect(Object.values(months).reduce((a, b) => a + b, 0)).toBe(4)
        expect(await store.cases.countByMonth(2026, { channel: 'phone' })).toMatchObject({
          '01': 0,
          '03': 1,
          '12': 0,
        })
      })
    })

    describe('items', () => {
      beforeEach(async () => {
        await store.cases.create(minimalCase('case-1'))
      })

      it('appends 1, 2, 3… and bumps the case lastSeq and unread flags', async () => {
        const first = await store.items.append(newItem('case-1', 'i1', { authorId: 'r' }))
        expect(plain(first)).toEqual(
          plain({ ...newItem('case-1', 'i1', { authorId: 'r' }), seq: 1 })
        )
        expect(first.sealed).toBeInstanceOf(Uint8Array)
        let c = await store.cases.get('case-1')
        expect(c).toMatchObject({ lastSeq: 1, unreadForOfficers: true, unreadForReporter: false })

        const second = await store.items.append(
          newItem('case-1', 'i2', { authorRole: 'officer', authorId: 'off-1', kind: 'note' })
        )
        expect(second.seq).toBe(2)
        c = await store.cases.get('case-1')
        // An internal note is not news for the reporter (it is never shown to them).
        expect(c).toMatchObject({ lastSeq: 2, unreadForOfficers: true, unreadForReporter: false })

        await store.cases.update(
          'case-1',
          c!.version,
          { unreadForOfficers: false, unreadForReporter: false },
          later(MINUTE)
        )
        const third = await store.items.append(newItem('case-1', 'i3', { authorRole: 'system' }))
        expect(third.seq).toBe(3)
        expect(await store.cases.get('case-1')).toMatchObject({
          lastSeq: 3,
          unreadForOfficers: false,
          unreadForReporter: false,
        })
        // An officer's message (unlike a note) is news for the reporter.
        await store.items.append(
          newItem('case-1', 'i4', { authorRole: 'officer', authorId: 'off-1', kind: 'message' })
        )
        expect(await store.cases.get('case-1')).toMatchObject({
          lastSeq: 4,
          unreadForReporter: true,
        })
      })

      it('lists in seq order after a seq, and gets by id', async () => {
        for (const id of ['i1', 'i2', 'i3']) await store.items.append(newItem('case-1', id))
        expect((await store.items.list('case-1')).map((i) => i.seq)).toEqual([1, 2, 3])
        expect((await store.items.list('case-1', 1)).map((i) => i.id)).toEqual(['i2', 'i3'])
        expect(await store.items.list('case-1', 3)).toEqual([])
        const got = await store.items.get('case-1', 'i2')
        expect(plain(got)).toEqual(plain({ ...newItem('case-1', 'i2'), seq: 2 }))
        expect(got?.authorId).toBeUndefined()
        expect(await store.items.get('case-1', 'nope')).toBeNull()
      })

      it('gives concurrent appends distinct seqs', async () => {
        const items = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.items.append(newItem('case-1', `i${i}`)))
        )
        expect(items.map((i) => i.seq).sort((a, b) => a - b)).toEqual([
          1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        ])
        expect((await store.cases.get('case-1'))?.lastSeq).toBe(10)
        expect(await store.items.list('case-1')).toHaveLength(10)
      })

      it('inserts at a chosen seq, refuses a taken one, and appends after it', async () => {
        await store.items.append(newItem('case-1', 'i1'))
        const chosen: CaseItem = {
          ...newItem('case-1', 'i2', { authorRole: 'officer', authorId: 'off-1' }),
          seq: 2,
        }
        expect(plain(await store.items.insertAt(chosen))).toEqual(plain(chosen))
        expect(await store.cases.get('case-1')).toMatchObject({
          lastSeq: 2,
          unreadForReporter: true,
        })
        await expect(
          store.items.insertAt({ ...newItem('case-1', 'i3'), seq: 2 })
        ).rejects.toBeInstanceOf(DuplicateError)
        expect((await store.items.append(newItem('case-1', 'i4'))).seq).toBe(3)
        expect((await store.items.list('case-1')).map((i) => i.id)).toEqual(['i1', 'i2', 'i4'])
      })

      it('refuses to append to an unknown case', async () => {
        await expect(store.items.append(newItem('nope', 'i1'))).rejects.toThrow()
      })
    })

    describe('grants', () => {
      const grant = (caseId: string, granteeId = 'off-1', createdAt = T0) => ({
        caseId,
        granteeKind: 'officer' as const,
        granteeId,
        sealedKey: bytesOf(80, caseId.length),
        createdAt,
      })

      beforeEach(async () => {
        for (const id of ['case-a', 'case-b', 'case-c', 'case-d', 'case-e']) {
          await store.cases.create(minimalCase(id))
        }
      })

      it('puts, gets, replaces, lists and revokes', async () => {
        const g = { ...grant('case-a'), grantedBy: 'admin-1' }
        await store.grants.put(g)
        const got = await store.grants.get('case-a', 'officer', 'off-1')
        expect(plain(got)).toEqual(plain(g))
        expect(got?.sealedKey).toBeInstanceOf(Uint8Array)

        await store.grants.put({ ...g, sealedKey: bytesOf(80, 9) })
        expect(plain((await store.grants.get('case-a', 'officer', 'off-1'))?.sealedKey)).toEqual(
          bytesOf(80, 9)
        )

        const reporter = {
          caseId: 'case-a',
          granteeKind: 'reporter' as const,
          granteeId: 'reporter',
          sealedKey: bytesOf(80, 3),
          createdAt: T0,
        }
        await store.grants.put(reporter)
        const listed = await store.grants.listForCase('case-a')
        expect(listed.map((x) => `${x.granteeKind}:${x.granteeId}`).sort()).toEqual([
          'officer:off-1',
          'reporter:reporter',
        ])
        expect(plain(listed.find((x) => x.granteeKind === 'reporter'))).toEqual(plain(reporter))
        expect(
          (await store.grants.get('case-a', 'reporter', 'reporter'))?.grantedBy
        ).toBeUndefined()

        expect(await store.grants.revoke('case-a', 'officer', 'off-1')).toBe(true)
        expect(await store.grants.revoke('case-a', 'officer', 'off-1')).toBe(false)
        expect(await store.grants.get('case-a', 'officer', 'off-1')).toBeNull()
        expect(await store.grants.listForCase('case-a')).toHaveLength(1)
      })

      it('keeps an officer-only sealed note key on a grant, and never creates a grant for it', async () => {
        await store.grants.put(grant('case-a'))
        expect(
          (await store.grants.get('case-a', 'officer', 'off-1'))?.sealedNoteKey
        ).toBeUndefined()
        expect(await store.grants.setNoteKey('case-a', 'officer', 'off-1', bytesOf(80, 5))).toBe(
          true
        )
        const got = await store.grants.get('case-a', 'officer', 'off-1')
        expect(plain(got?.sealedNoteKey)).toEqual(bytesOf(80, 5))
        expect(plain(got?.sealedKey)).toEqual(plain(grant('case-a').sealedKey))
        // A revoked (or never made) grant stays absent.
        expect(await store.grants.setNoteKey('case-a', 'officer', 'off-2', bytesOf(80, 5))).toBe(
          false
        )
        expect(await store.grants.get('case-a', 'officer', 'off-2')).toBeNull()

        // put replaces both sealed keys: with a note key, and without one.
        await store.grants.put({ ...grant('case-b'), sealedNoteKey: bytesOf(80, 6) })
        expect(plain((await store.grants.listForCase('case-b'))[0]?.sealedNoteKey)).toEqual(
          bytesOf(80, 6)
        )
        await store.grants.put(grant('case-b'))
        expect(
          (await store.grants.get('case-b', 'officer', 'off-1'))?.sealedNoteKey
        ).toBeUndefined()
      })

      it('pages one grantee in case id order by a case id cursor', async () => {
        // Created newest-first on purpose: the cursor order is case id order.
        const ids = ['case-a', 'case-b', 'case-c', 'case-d', 'case-e']
        for (const [i, id] of ids.entries()) {
          await store.grants.put(grant(id, 'off-1', later(-i * MINUTE)))
        }
        await store.grants.put(grant('case-b', 'off-2'))
        await store.grants.put({ ...grant('case-c', 'off-1'), granteeKind: 'recovery' })

        const all = await store.grants.listForGrantee('officer', 'off-1')
        expect(all.map((g) => g.caseId)).toEqual(ids)
        expect(plain(all[0])).toEqual(plain(grant('case-a', 'off-1', T0)))

        const seen: string[] = []
        let cursor: string | undefined
        for (;;) {
          const page = await store.grants.listForGrantee('officer', 'off-1', cursor, 2)
          if (!page.length) break
          expect(page.length).toBeLessThanOrEqual(2)
          seen.push(...page.map((g) => g.caseId))
          cursor = page.at(-1)!.caseId
        }
        expect(seen).toEqual(ids)
        expect(
          (await store.grants.listForGrantee('officer', 'off-1', 'case-c')).map((g) => g.caseId)
        ).toEqual(['case-d', 'case-e'])
      })
    })

    describe('accounts', () => {
      const full = (): NewAccount =>
        newAccount('acc-1', {
          roles: ['admin', 'officer'],
          status: 'active',
          authHash: '$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA',
          totpSecretSealed: 'sealed-totp',
          totpLastStep: 58_000_000,
          boxPublicKey: 'Ym94',
          signPublicKey: 'c2lnbg==',
          keys: { wrapped: 'd3JhcHBlZA==', salt: 'c2FsdA==', kdf: { m: 65536, t: 3, p: 1 } },
          recoveryKeys: { wrapped: 'cmVj', salt: 'c2FsdDI=', kdf: { m: 262144, t: 4, p: 1 } },
          inviteTokenHash: 'invite-hash',
          inviteExpiresAt: later(7 * DAY),
          notifyDigest: true,
        })

      it('round-trips an account with every optional field', async () => {
        const input = full()
        const created = await store.accounts.create(input)
        expect(created).toEqual({ ...input, updatedAt: input.createdAt, version: created.version })
        expect(await store.accounts.get('acc-1')).toEqual(created)
        expect(await store.accounts.getByEmail('acc-1@example.org')).toEqual(created)
        expect(await store.accounts.getByInviteTokenHash('invite-hash')).toEqual(created)
      })

      it('round-trips a minimal account and finds nothing unknown', async () => {
        const input = newAccount('acc-2')
        const created = await store.accounts.create(input)
        expect(await store.accounts.get('acc-2')).toEqual({
          ...input,
          updatedAt: input.createdAt,
          version: created.version,
        })
        expect(created.keys).toBeUndefined()
        expect(created.inviteExpiresAt).toBeUndefined()
        expect(await store.accounts.get('nope')).toBeNull()
        expect(await store.accounts.getByEmail('nope@example.org')).toBeNull()
        expect(await store.accounts.getByInviteTokenHash('nope')).toBeNull()
      })

      it('refuses a duplicate email, on create and on update', async () => {
        await store.accounts.create(newAccount('acc-1'))
        await expect(
          store.accounts.create(newAccount('acc-2', { email: 'acc-1@example.org' }))
        ).rejects.toBeInstanceOf(DuplicateError)
        const other = await store.accounts.create(newAccount('acc-3'))
        await expect(
          store.accounts.update('acc-3', other.version, { email: 'acc-1@example.org' }, T0)
        ).rejects.toBeInstanceOf(DuplicateError)
        expect(await store.accounts.count()).toBe(2)
      })

      it('updates with a version check, clears fields set to undefined, refuses stale', async () => {
        const created = await store.accounts.create(full())
        const at = later(MINUTE)
        const updated = await store.accounts.update(
          'acc-1',
          created.version,
          {
            displayName: 'Renamed',
            inviteTokenHash: undefined,
            inviteExpiresAt: undefined,
            totpLastStep: 58_000_001,
          },
          at
        )
        expect(updated).toEqual({
          ...created,
          displayName: 'Renamed',
          inviteTokenHash: undefined,
          inviteExpiresAt: undefined,
          totpLastStep: 58_000_001,
          updatedAt: at,
          version: created.version + 1,
        })
        expect(await store.accounts.get('acc-1')).toEqual(updated)
        expect(await store.accounts.getByInviteTokenHash('invite-hash')).toBeNull()
        await expect(
          store.accounts.update('acc-1', created.version, { status: 'disabled' }, at)
        ).rejects.toBeInstanceOf(ConflictError)
        expect((await store.accounts.get('acc-1'))?.status).toBe('active')
      })

      it('lists and counts', async () => {
        expect(await store.accounts.list()).toEqual([])
        expect(await store.accounts.count()).toBe(0)
        await store.accounts.create(newAccount('acc-1'))
        await store.accounts.create(newAccount('acc-2', { createdAt: later(MINUTE) }))
        expect((await store.accounts.list()).map((a) => a.id).sort()).toEqual(['acc-1', 'acc-2'])
        expect(await store.accounts.count()).toBe(2)
      })
    })

    describe('sessions', () => {
      const session = (id: string, overrides: Partial<Session> = {}): Session => ({
        id,
        kind: 'staff',
        accountId: 'acc-1',
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: later(DAY),
        ...overrides,
      })

      it('round-trips, and returns null once expired', async () => {
        const s = session('s1', { kind: 'reporter', caseId: 'case-1', data: bytesOf(40) })
        delete s.accountId
        await store.sessions.create(s)
        const got = await store.sessions.get('s1', T0)
        expect(plain(got)).toEqual(plain(s))
        expect(got?.data).toBeInstanceOf(Uint8Array)
        expect(got?.accountId).toBeUndefined()

        await store.sessions.create(session('s2'))
        expect((await store.sessions.get('s2', T0))?.data).toBeUndefined()
        expect(await store.sessions.get('s2', later(DAY - 1))).not.toBeNull()
        expect(await store.sessions.get('s2', later(DAY))).toBeNull()
        expect(await store.sessions.get('nope', T0)).toBeNull()
      })

      it('refuses a duplicate id', async () => {
        await store.sessions.create(session('s1'))
        await expect(store.sessions.create(session('s1'))).rejects.toBeInstanceOf(DuplicateError)
      })

      it('touches, deletes, and deletes all of one account', async () => {
        await store.sessions.create(session('s1'))
        await store.sessions.create(session('s2'))
        await store.sessions.create(session('s3', { accountId: 'acc-2' }))
        await store.sessions.touch('s1', later(MINUTE))
        expect((await store.sessions.get('s1', T0))?.lastSeenAt).toEqual(later(MINUTE))
        await store.sessions.setData('s1', bytesOf(7))
        const updated = (await store.sessions.get('s1', T0))?.data
        expect(Array.from(updated ?? [])).toEqual(Array.from(bytesOf(7)))

        await store.sessions.delete('s3')
        expect(await store.sessions.get('s3', T0)).toBeNull()
        expect(await store.sessions.deleteForAccount('acc-1')).toBe(2)
        expect(await store.sessions.get('s1', T0)).toBeNull()
        expect(await store.sessions.deleteForAccount('acc-1')).toBe(0)
      })
    })

    describe('plan', () => {
      const item = (id: string, year: number, position: number) => ({
        id,
        year,
        number: `${position * 5}`,
        measure: `Measure ${id}`,
        deadlineText: 'IV квартал',
        responsible: 'Уповноважена особа',
        doneText: '',
        covers: [] as CaseWorkKind[],
        position,
      })

      it('puts, replaces, lists a year in position order, lists years, deletes', async () => {
        await store.plan.put(item('p16', 2026, 3))
        await store.plan.put(item('p10', 2026, 1))
        await store.plan.put(item('p15', 2026, 2))
        await store.plan.put(item('old', 2024, 1))
        expect(await store.plan.get('p10')).toEqual(item('p10', 2026, 1))
        expect(await store.plan.get('nope')).toBeNull()

        await store.plan.put({ ...item('p15', 2026, 2), doneText: 'Виконано' })
        expect((await store.plan.get('p15'))?.doneText).toBe('Виконано')
        // Which case work a measure covers round-trips, in order, and an empty list stays empty.
        const covers: CaseWorkKind[] = ['protection', 'receiving-reports']
        await store.plan.put({ ...item('p16', 2026, 3), number: '', covers })
        expect(await store.plan.get('p16')).toEqual({ ...item('p16', 2026, 3), number: '', covers })
        expect((await store.plan.get('p10'))?.covers).toEqual([])

        expect((await store.plan.listYear(2026)).map((p) => p.id)).toEqual(['p10', 'p15', 'p16'])
        expect(await store.plan.listYear(2025)).toEqual([])
        expect(await store.plan.years()).toEqual([2024, 2026])

        expect(await store.plan.delete('old')).toBe(true)
        expect(await store.plan.delete('old')).toBe(false)
        expect(await store.plan.years()).toEqual([2026])
      })
    })

    describe('audit', () => {
      it('appends, reads last, ranges and lists by subject', async () => {
        expect(await store.audit.last()).toBeNull()
        const first = auditEntry(1, {
          actorId: 'off-1',
          subjectId: 'case-1',
          details: { state: 'closed', count: 3, notified: true },
        })
        await store.audit.append(first)
        await store.audit.append(auditEntry(2, { subjectId: 'case-2' }))
        await store.audit.append(auditEntry(3, { subjectId: 'case-1', actorRole: 'system' }))

        expect(await store.audit.last()).toEqual(
          auditEntry(3, { subjectId: 'case-1', actorRole: 'system' })
        )
        const range = await store.audit.range(1, 10)
        expect(range[0]).toEqual(first)
        expect(range[1]?.actorId).toBeUndefined()
        expect(range.map((e) => e.seq)).toEqual([1, 2, 3])
        expect((await store.audit.range(2, 1)).map((e) => e.seq)).toEqual([2])
        expect(await store.audit.range(4, 10)).toEqual([])
        expect((await store.audit.listForSubject('case-1')).map((e) => e.seq)).toEqual([1, 3])
        expect(await store.audit.listForSubject('nope')).toEqual([])
      })

      it('searches by subject, actor, action and period, newest first, paging back by seq', async () => {
        const day = (d: number) => new Date(Date.UTC(2026, 0, d))
        const entries = [
          auditEntry(1, { at: day(1), actorId: 'a1', action: 'login', subjectId: undefined }),
          auditEntry(2, { at: day(2), actorId: 'a1', action: 'transition', subjectId: 'case-1' }),
          auditEntry(3, { at: day(3), actorId: 'a2', action: 'transition', subjectId: 'case-2' }),
          auditEntry(4, { at: day(4), actorId: 'a2', action: 'reply', subjectId: 'case-1' }),
          auditEntry(5, {
            at: day(5),
            actorId: undefined,
            action: 'reminder',
            subjectId: 'case-1',
          }),
        ]
        for (const e of entries) await store.audit.append(e)
        const seqs = async (f: AuditFilter, limit = 10) =>
          (await store.audit.search(f, limit)).map((e) => e.seq)
        expect(await seqs({})).toEqual([5, 4, 3, 2, 1])
        expect(await seqs({ subjectId: 'case-1' })).toEqual([5, 4, 2])
        expect(await seqs({ actorId: 'a2' })).toEqual([4, 3])
        expect(await seqs({ action: 'transition' })).toEqual([3, 2])
        expect(await seqs({ from: day(2), to: day(4) })).toEqual([3, 2])
        expect(await seqs({ subjectId: 'case-1', actorId: 'a2', action: 'reply' })).toEqual([4])
        expect(await seqs({}, 2)).toEqual([5, 4])
        expect(await seqs({ beforeSeq: 4 }, 2)).toEqual([3, 2])
        expect(await seqs({ actorId: 'nobody' })).toEqual([])
        // A filter value shaped like an operator is only ever a value.
        expect(await seqs({ actorId: '{"$ne":null}' })).toEqual([])
        expect((await store.audit.search({ subjectId: 'case-2' }, 1))[0]).toEqual(entries[2])
      })

      it('refuses a duplicate seq', async () => {
        await store.audit.append(auditEntry(1))
        await expect(store.audit.append(auditEntry(1, { hash: 'other' }))).rejects.toBeInstanceOf(
          DuplicateError
        )
        expect((await store.audit.last())?.hash).toBe('h1')
      })
    })

    describe('outbox', () => {
      const LEASE = 30_000

      it('enqueues a pending message and round-trips it', async () => {
        expect(await store.outbox.enqueue(newMessage('m1', { dedupeKey: 'k1' }))).toBe(true)
        const got = await store.outbox.get('m1')
        expect(got).toEqual({
          ...newMessage('m1', { dedupeKey: 'k1' }),
          status: 'pending',
          attempts: 0,
        })
        expect(got?.leaseOwner).toBeUndefined()
        expect(got?.leaseUntil).toBeUndefined()
        expect(got?.sentAt).toBeUndefined()
        expect(await store.outbox.get('nope')).toBeNull()
      })

      it('enqueues a dedupe key once, and any number of messages without one', async () => {
        expect(
          await store.outbox.enqueue(newMessage('m1', { dedupeKey: 'remind:case-1:7d' }))
        ).toBe(true)
        expect(
          await store.outbox.enqueue(newMessage('m2', { dedupeKey: 'remind:case-1:7d' }))
        ).toBe(false)
        expect(await store.outbox.get('m2')).toBeNull()
        expect(await store.outbox.enqueue(newMessage('m3'))).toBe(true)
        expect(await store.outbox.enqueue(newMessage('m4'))).toBe(true)
        expect((await store.outbox.list()).map((m) => m.id).sort()).toEqual(['m1', 'm3', 'm4'])
      })

      it('claims due messages only, earliest first, leasing them', async () => {
        await store.outbox.enqueue(newMessage('later', { notBefore: later(10 * MINUTE) }))
        await store.outbox.enqueue(newMessage('second', { notBefore: later(-1 * MINUTE) }))
        await store.outbox.enqueue(newMessage('first', { notBefore: later(-5 * MINUTE) }))

        const a = await store.outbox.claim('worker-a', T0, LEASE)
        expect(a).toMatchObject({ id: 'first', leaseOwner: 'worker-a', attempts: 1 })
        expect(a?.leaseUntil).toEqual(later(LEASE))
        expect((await store.outbox.claim('worker-a', T0, LEASE))?.id).toBe('second')
        expect(await store.outbox.claim('worker-a', T0, LEASE)).toBeNull()
        await store.outbox.markSent('first', 'worker-a', T0)
        await store.outbox.markSent('second', 'worker-a', T0)
        expect((await store.outbox.claim('worker-a', later(10 * MINUTE), LEASE))?.id).toBe('later')
      })

      it('lets exactly one of two parallel claimers win a message', async () => {
        await store.outbox.enqueue(newMessage('m1'))
        const [a, b] = await Promise.all([
          store.outbox.claim('worker-a', T0, LEASE),
          store.outbox.claim('worker-b', T0, LEASE),
        ])
        expect([a, b].filter((m) => m !== null)).toHaveLength(1)
        const winner = (a ?? b)!
        expect(winner.id).toBe('m1')
        expect((await store.outbox.get('m1'))?.leaseOwner).toBe(winner.leaseOwner)
      })

      it('lets another worker claim once the lease expired; only the owner marks sent', async () => {
        await store.outbox.enqueue(newMessage('m1'))
        expect((await store.outbox.claim('worker-a', T0, LEASE))?.id).toBe('m1')
        expect(await store.outbox.claim('worker-b', later(LEASE - 1), LEASE)).toBeNull()
        const b = await store.outbox.claim('worker-b', later(LEASE), LEASE)
        expect(b).toMatchObject({ id: 'm1', leaseOwner: 'worker-b', attempts: 2 })

        expect(await store.outbox.markSent('m1', 'worker-a', later(LEASE + 1))).toBe(false)
        expect((await store.outbox.get('m1'))?.status).toBe('pending')
        expect(await store.outbox.markSent('m1', 'worker-b', later(LEASE + 2))).toBe(true)
        const sent = await store.outbox.get('m1')
        expect(sent).toMatchObject({ status: 'sent', sentAt: later(LEASE + 2) })
        expect(await store.outbox.claim('worker-c', later(DAY), LEASE)).toBeNull()
        expect(await store.outbox.markSent('m1', 'worker-b', later(LEASE + 3))).toBe(false)
      })

      it('schedules a retry, or marks failed when there is no retry', async () => {
        await store.outbox.enqueue(newMessage('m1'))
        await store.outbox.enqueue(newMessage('m2'))
        const first = await store.outbox.claim('worker-a', T0, LEASE)
        expect(await store.outbox.markFailed(first!.id, 'worker-b', 'not mine', null)).toBe(false)
        expect(
          await store.outbox.markFailed(first!.id, 'worker-a', 'smtp 451', later(5 * MINUTE))
        ).toBe(true)
        const retrying = await store.outbox.get(first!.id)
        expect(retrying).toMatchObject({
          status: 'pending',
          lastError: 'smtp 451',
          notBefore: later(5 * MINUTE),
          attempts: 1,
        })
        expect(retrying?.leaseOwner).toBeUndefined()
        expect(retrying?.leaseUntil).toBeUndefined()

        const second = await store.outbox.claim('worker-a', T0, LEASE)
        expect(second?.id).not.toBe(first!.id)
        expect(await store.outbox.markFailed(second!.id, 'worker-a', 'smtp 550', null)).toBe(true)
        expect(await store.outbox.get(second!.id)).toMatchObject({
          status: 'failed',
          lastError: 'smtp 550',
        })

        expect(await store.outbox.claim('worker-a', later(5 * MINUTE - 1), LEASE)).toBeNull()
        const again = await store.outbox.claim('worker-a', later(5 * MINUTE), LEASE)
        expect(again).toMatchObject({ id: first!.id, attempts: 2 })
        expect(await store.outbox.claim('worker-b', later(5 * MINUTE + 1), LEASE)).toBeNull()

        expect((await store.outbox.list('failed')).map((m) => m.id)).toEqual([second!.id])
        expect((await store.outbox.list('pending')).map((m) => m.id)).toEqual([first!.id])
        expect(await store.outbox.list('sent')).toEqual([])
      })
    })

    describe('blobs', () => {
      beforeEach(async () => {
        await store.cases.create(minimalCase('case-1'))
      })

      it('begins once per id', async () => {
        await store.blobs.begin('b1', 'case-1', T0)
        await expect(store.blobs.begin('b1', 'case-1', T0)).rejects.toBeInstanceOf(DuplicateError)
        const info = await store.blobs.info('b1')
        expect(info).toMatchObject({ id: 'b1', caseId: 'case-1', complete: false, createdAt: T0 })
        expect(info?.sha256).toBeUndefined()
        expect(await store.blobs.info('nope')).toBeNull()
      })

      it('takes pieces out of order and repeated, resumes, and completes only when whole', async () => {
        const pieces = [bytesOf(1000, 1), bytesOf(1000, 2), bytesOf(1000, 3), bytesOf(10, 4)]
        await store.blobs.begin('b1', 'case-1', T0)
        await store.blobs.putPiece('b1', 2, pieces[2]!)
        await store.blobs.putPiece('b1', 0, pieces[0]!)
        await store.blobs.putPiece('b1', 0, pieces[0]!)
        await store.blobs.putPiece('b1', 3, pieces[3]!)
        expect(await store.blobs.pieces('b1')).toEqual([0, 2, 3])

        const incomplete = store.blobs.complete('b1', 4)
        await expect(incomplete).rejects.toThrow(Error)
        await expect(incomplete).rejects.not.toBeInstanceOf(DuplicateError)
        await expect(incomplete).rejects.not.toBeInstanceOf(ConflictError)
        expect((await store.blobs.info('b1'))?.complete).toBe(false)

        await store.blobs.putPiece('b1', 1, pieces[1]!)
        expect(await store.blobs.pieces('b1')).toEqual([0, 1, 2, 3])
        const whole = Buffer.concat(pieces)
        const info = await store.blobs.complete('b1', 4)
        expect(info).toEqual({
          id: 'b1',
          caseId: 'case-1',
          pieces: 4,
          size: whole.byteLength,
          complete: true,
          sha256: sha256(whole),
          createdAt: T0,
        })
        expect(await store.blobs.info('b1')).toEqual(info)
        expect(Buffer.compare(await collect(store.blobs.read('b1')), whole)).toBe(0)
      })

      it('reads back a multi-MiB blob byte for byte, piece by piece', async () => {
        const MiB = 1024 * 1024
        const pieces = [randomBytes(MiB), randomBytes(MiB), randomBytes(MiB), randomBytes(MiB / 2)]
        await store.blobs.begin('big', 'case-1', T0)
        for (const [i, p] of pieces.entries()) await store.blobs.putPiece('big', i, p)
        const whole = Buffer.concat(pieces)
        const info = await store.blobs.complete('big', pieces.length)
        expect(info.size).toBe(3.5 * MiB)
        expect(info.sha256).toBe(sha256(whole))

        const read: Uint8Array[] = []
        for await (const chunk of store.blobs.read('big')) read.push(chunk)
        expect(read.map((c) => c.byteLength)).toEqual(pieces.map((p) => p.byteLength))
        expect(Buffer.compare(Buffer.concat(read), whole)).toBe(0)
      })

      it('counts the bytes a case holds in uploads, complete or not', async () => {
        await store.cases.create(minimalCase('case-2'))
        expect(await store.blobs.bytesForCase('case-1')).toBe(0)
        await store.blobs.begin('b1', 'case-1', T0)
        await store.blobs.putPiece('b1', 0, bytesOf(1000))
        await store.blobs.putPiece('b1', 1, bytesOf(24))
        await store.blobs.complete('b1', 2)
        await store.blobs.begin('b2', 'case-1', T0)
        await store.blobs.putPiece('b2', 0, bytesOf(500))
        await store.blobs.begin('b3', 'case-2', T0)
        await store.blobs.putPiece('b3', 0, bytesOf(7))
        expect(await store.blobs.bytesForCase('case-1')).toBe(1524)
        expect(await store.blobs.bytesForCase('case-2')).toBe(7)
        await store.blobs.delete('b2')
        expect(await store.blobs.bytesForCase('case-1')).toBe(1024)
      })

      it('deletes a blob and its pieces', async () => {
        await store.blobs.begin('b1', 'case-1', T0)
        await store.blobs.putPiece('b1', 0, bytesOf(10))
        await store.blobs.complete('b1', 1)
        await store.blobs.delete('b1')
        expect(await store.blobs.info('b1')).toBeNull()
        await store.blobs.begin('b1', 'case-1', T0)
        expect(await store.blobs.pieces('b1')).toEqual([])
      })
    })

    describe('tokens', () => {
      it('consumes a token exactly once, for its purpose, before it expires', async () => {
        await store.tokens.issue('t1', 'form', later(MINUTE))
        expect(await store.tokens.consume('t1', 'setup', T0)).toBe(false)
        expect(await store.tokens.consume('t1', 'form', T0)).toBe(true)
        expect(await store.tokens.consume('t1', 'form', T0)).toBe(false)
        expect(await store.tokens.consume('nope', 'form', T0)).toBe(false)

        await store.tokens.issue('t2', 'form', later(MINUTE))
        expect(await store.tokens.consume('t2', 'form', later(MINUTE))).toBe(false)
      })

      it('lets one of many parallel consumers win', async () => {
        await store.tokens.issue('t1', 'form', later(MINUTE))
        const results = await Promise.all(
          Array.from({ length: 8 }, () => store.tokens.consume('t1', 'form', T0))
        )
        expect(results.filter(Boolean)).toHaveLength(1)
      })

      it('refuses a duplicate token', async () => {
        await store.tokens.issue('t1', 'form', later(MINUTE))
        await expect(store.tokens.issue('t1', 'form', later(MINUTE))).rejects.toBeInstanceOf(
          DuplicateError
        )
      })

      // The spent set of proof-of-work challenges and form tokens (src/report/work.ts): racing
      // requests that carry the same proof must not both get in.
      it('lets one of many parallel issues of the same token win, the rest are duplicates', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.tokens.issue('spent', 'work-spent', later(MINUTE)))
        )
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DuplicateError)
        }
      })
    })

    describe('counters', () => {
      it('counts hits per key and window, and resets a key', async () => {
        const w1 = T0
        const w2 = later(MINUTE)
        const exp = later(DAY)
        expect(await store.counters.get('login:acc-1', w1)).toBe(0)
        expect(await store.counters.hit('login:acc-1', w1, exp)).toBe(1)
        expect(await store.counters.hit('login:acc-1', w1, exp)).toBe(2)
        expect(await store.counters.hit('login:acc-1', w2, exp)).toBe(1)
        expect(await store.counters.hit('login:acc-2', w1, exp)).toBe(1)
        expect(await store.counters.get('login:acc-1', w1)).toBe(2)

        const parallel = await Promise.all(
          Array.from({ length: 5 }, () => store.counters.hit('receipt:ip', w1, exp))
        )
        expect(parallel.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5])

        await store.counters.reset('login:acc-1')
        expect(await store.counters.get('login:acc-1', w1)).toBe(0)
        expect(await store.counters.get('login:acc-1', w2)).toBe(0)
        expect(await store.counters.get('login:acc-2', w1)).toBe(1)
      })
    })

    describe('settings', () => {
      it('gets, sets and overwrites', async () => {
        expect(await store.settings.get('org.name')).toBeNull()
        await store.settings.set('org.name', 'Міська рада')
        await store.settings.set('org.name', 'Сільська рада')
        expect(await store.settings.get('org.name')).toBe('Сільська рада')
        // setIfAbsent: the first writer wins, everyone reads the winner (deployment salt).
        const results = await Promise.all(
          ['a', 'b', 'c'].map((v) => store.settings.setIfAbsent('salt', v))
        )
        expect(new Set(results).size).toBe(1)
        expect(await store.settings.get('salt')).toBe(results[0])
        expect(await store.settings.setIfAbsent('org.name', 'x')).toBe('Сільська рада')
      })
    })

    describe('organisation profile', () => {
      it('keeps texts and logo apart, each replaced without touching the other', async () => {
        expect(await store.org.get()).toBeNull()
        expect(await store.org.getLogo()).toBeNull()
        // A logo first: the texts start empty.
        const png = bytesOf(3000, 7)
        const sha256 = createHash('sha256').update(png).digest('hex')
        await store.org.putLogo({ type: 'image/png', data: png, sha256 }, T0, 'acc-admin')
        let p = await store.org.get()
        expect(p).toEqual({
          names: {},
          contact: {},
          privacy: {},
          logo: { type: 'image/png', sha256, size: 3000 },
          updatedAt: T0,
          updatedBy: 'acc-admin',
        })
        const texts = {
          names: { uk: 'Бучанська міська рада', en: 'Bucha City Council' },
          contact: { uk: 'Телефон: 044 000 00 00\n\n**Адреса**: вул. Енергетиків, 12' },
          privacy: { uk: 'Ми не зберігаємо IP-адрес.', en: 'We keep no IP addresses.' },
        }
        await store.org.putTexts(texts, later(MINUTE))
        p = await store.org.get()
        expect(p).toEqual({
          ...texts,
          logo: { type: 'image/png', sha256, size: 3000 },
          updatedAt: later(MINUTE),
        })
        const logo = await store.org.getLogo()
        expect(logo?.type).toBe('image/png')
        expect(logo?.sha256).toBe(sha256)
        expect(Buffer.from(logo!.data).equals(Buffer.from(png))).toBe(true)

        // Removing the logo keeps the texts; replacing the texts keeps no old language.
        await store.org.putLogo(null, later(2 * MINUTE), 'acc-admin')
        await store.org.putTexts(
          { names: { uk: 'Сільська рада' }, contact: {}, privacy: {} },
          later(3 * MINUTE),
          'acc-2'
        )
        expect(await store.org.getLogo()).toBeNull()
        expect(await store.org.get()).toEqual({
          names: { uk: 'Сільська рада' },
          contact: {},
          privacy: {},
          updatedAt: later(3 * MINUTE),
          updatedBy: 'acc-2',
        })
      })
    })

    describe('sweepExpired', () => {
      it('deletes expired sessions, tokens and counters and counts them', async () => {
        const base = { kind: 'staff' as const, createdAt: T0, lastSeenAt: T0 }
        await store.sessions.create({ ...base, id: 'old', expiresAt: later(-1) })
        await store.sessions.create({ ...base, id: 'edge', expiresAt: T0 })
        await store.sessions.create({ ...base, id: 'live', expiresAt: later(DAY) })
        await store.tokens.issue('old', 'form', later(-MINUTE))
        await store.tokens.issue('live', 'form', later(MINUTE))
        await store.counters.hit('k', later(-DAY), later(-MINUTE))
        await store.counters.hit('k', T0, later(MINUTE))

        expect(await store.sweepExpired(T0)).toBe(4)
        expect(await store.sessions.get('live', T0)).not.toBeNull()
        expect(await store.tokens.consume('live', 'form', T0)).toBe(true)
        expect(await store.counters.get('k', later(-DAY))).toBe(0)
        expect(await store.counters.get('k', T0)).toBe(1)
        expect(await store.sweepExpired(T0)).toBe(0)
      })
    })
  })
}
