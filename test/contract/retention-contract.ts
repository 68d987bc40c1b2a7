// The retention part of the store contract (store-contract.ts runs it for every engine): legal
// holds and deletion claims exclude each other, a claim is taken over only when stale, a
// case's data goes with deleteCaseData, and remnants count in the statistics reads.
import { describe, expect, it } from 'vitest'
import { statsOfCase } from '../../src/store/remnants'
import type { CaseStatsRecord, NewCase, Store } from '../../src/store/types'

const T0 = new Date('2020-03-10T09:00:00.000Z')
const DAY = 86_400_000
const later = (ms: number, from: Date = T0) => new Date(from.getTime() + ms)

function closedCase(id: string, overrides: Partial<NewCase> = {}): NewCase {
  return {
    id,
    registrationNo: `2020/${id}`,
    channel: 'phone',
    anonymity: 'anonymous',
    encMode: 'client',
    state: 'closed',
    outcome: 'not-confirmed',
    category: 'procurement',
    tags: ['t'],
    planItemIds: ['plan-10'],
    casePublicKey: `pk-${id}`,
    receiptLookup: `lookup-${id}`,
    receivedAt: T0,
    createdAt: T0,
    clocks: [
      { kind: 'acknowledge', startedAt: T0, dueAt: later(7 * DAY), metAt: later(DAY) },
      { kind: 'preliminary-review', startedAt: T0, dueAt: later(14 * DAY) },
    ],
    referral: { body: 'nazk', at: later(2 * DAY) },
    ...overrides,
  }
}

/** `get()` of the store under test, read when each test runs (the suite's beforeEach sets it). */
export function describeRetentionContract(get: () => Store) {
  describe('retention', () => {
    it('sets, reads, replaces and clears a legal hold', async () => {
      const store = get()
      await store.cases.create(closedCase('a'))
      expect(await store.retention.getHold('a')).toBeNull()
      const hold = { caseId: 'a', reason: 'суд', setBy: 'o1', setAt: T0 }
      expect(await store.retention.setHold(hold)).toBe('set')
      expect(await store.retention.getHold('a')).toEqual(hold)
      expect(await store.retention.setHold({ ...hold, reason: 'NABU', setAt: later(1) })).toBe(
        'set'
      )
      expect((await store.retention.getHold('a'))?.reason).toBe('NABU')
      expect((await store.retention.listHolds()).map((h) => h.caseId)).toEqual(['a'])
      expect(await store.retention.clearHold('a')).toBe(true)
      expect(await store.retention.clearHold('a')).toBe(false)
      expect(await store.retention.getHold('a')).toBeNull()
      expect(await store.retention.listHolds()).toEqual([])
    })

    it('lists candidates last changed before an instant, with their hold, in id order', async () => {
      const store = get()
      for (const id of ['c', 'a', 'b']) await store.cases.create(closedCase(id))
      await store.cases.create(closedCase('new', { createdAt: later(400 * DAY) }))
      await store.retention.setHold({ caseId: 'b', reason: 'r', setBy: 'o1', setAt: T0 })
      const first = await store.retention.candidates(later(DAY), undefined, 2)
      expect(first.map((c) => [c.id, c.held])).toEqual([
        ['a', false],
        ['b', true],
      ])
      expect(first[0]).toMatchObject({ state: 'closed', outcome: 'not-confirmed' })
      expect(first[0]?.updatedAt).toEqual(T0)
      const rest = await store.retention.candidates(later(DAY), 'b', 2)
      expect(rest.map((c) => c.id)).toEqual(['c'])
    })

    it('a hold and a deletion claim exclude each other; a stale claim is taken over', async () => {
      const store = get()
      await store.cases.create(closedCase('a'))
      await store.retention.setHold({ caseId: 'a', reason: 'r', setBy: 'o1', setAt: T0 })
      expect(await store.retention.claimPurge('a', 'run-1', 'k1', T0, later(-60_000))).toEqual({
        status: 'held',
      })
      await store.retention.clearHold('a')
      expect(await store.retention.claimPurge('a', 'run-1', 'k1', T0, later(-60_000))).toEqual({
        status: 'claimed',
        key: 'k1',
        takenOver: false,
      })
      // Another run meanwhile: busy; a hold cannot be set while the claim lives.
      expect(await store.retention.claimPurge('a', 'run-2', 'k2', T0, later(-60_000))).toEqual({
        status: 'busy',
      })
      expect(
        await store.retention.setHold({ caseId: 'a', reason: 'r', setBy: 'o1', setAt: T0 })
      ).toBe('purging')
      expect(await store.retention.getHold('a')).toBeNull()
      // Much later the claim is stale: taken over with the first key, so one remnant results.
      const t = later(DAY)
      expect(await store.retention.claimPurge('a', 'run-2', 'k2', t, later(-60_000, t))).toEqual({
        status: 'claimed',
        key: 'k1',
        takenOver: true,
      })
      expect(await store.retention.purgesInProgress()).toEqual([
        { caseId: 'a', key: 'k1', owner: 'run-2', at: t },
      ])
      // A release by someone else changes nothing; by the owner it frees the case again.
      await store.retention.releasePurge('a', 'run-1')
      expect(await store.retention.purgesInProgress()).toHaveLength(1)
      await store.retention.releasePurge('a', 'run-2')
      expect(await store.retention.purgesInProgress()).toEqual([])
      expect(
        await store.retention.setHold({ caseId: 'a', reason: 'r', setBy: 'o1', setAt: T0 })
      ).toBe('set')
    })

    it('concurrent claims: exactly one wins', async () => {
      const store = get()
      await store.cases.create(closedCase('a'))
      const results = await Promise.all(
        ['r1', 'r2', 'r3', 'r4'].map((owner) =>
          store.retention.claimPurge('a', owner, `key-${owner}`, T0, later(-60_000))
        )
      )
      expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1)
      expect(results.filter((r) => r.status === 'busy')).toHaveLength(3)
    })

    it('deletes a case with its items and grants, and leaves other cases alone', async () => {
      const store = get()
      await store.cases.create(closedCase('gone'))
      await store.cases.create(closedCase('kept'))
      for (const caseId of ['gone', 'kept']) {
        await store.items.append({
          caseId,
          id: `item-${caseId}`,
          kind: 'answers',
          authorRole: 'reporter',
          encMode: 'client',
          sealed: new Uint8Array([1, 2, 3]),
          createdAt: T0,
        })
        await store.grants.put({
          caseId,
          granteeKind: 'officer',
          granteeId: 'o1',
          sealedKey: new Uint8Array(80),
          createdAt: T0,
        })
        await store.blobs.begin(`blob-${caseId}`, caseId, T0)
        await store.blobs.putPiece(`blob-${caseId}`, 0, new Uint8Array([9]))
      }
      expect(await store.retention.blobIds('gone')).toEqual(['blob-gone'])
      expect(await store.retention.deleteCaseData('gone')).toEqual({
        items: 1,
        grants: 1,
        case: true,
      })
      expect(await store.cases.get('gone')).toBeNull()
      expect(await store.cases.getByReceiptLookup('lookup-gone')).toBeNull()
      expect(await store.items.list('gone')).toEqual([])
      expect(await store.grants.listForCase('gone')).toEqual([])
      expect(await store.retention.deleteCaseData('gone')).toEqual({
        items: 0,
        grants: 0,
        case: false,
      })
      expect(await store.cases.get('kept')).not.toBeNull()
      expect(await store.items.list('kept')).toHaveLength(1)
      expect(await store.grants.listForCase('kept')).toHaveLength(1)
      expect(await store.retention.blobIds('kept')).toEqual(['blob-kept'])
    })

    it('stores a remnant once and counts it in the statistics reads', async () => {
      const store = get()
      const live = await store.cases.create(closedCase('live'))
      const gone = await store.cases.create(
        closedCase('gone', { receivedAt: later(-400 * DAY), outcome: 'spam' })
      )
      const stats = statsOfCase(gone)
      expect(await store.retention.putRemnant('k1', stats)).toBe(true)
      expect(await store.retention.putRemnant('k1', stats)).toBe(false)
      await store.retention.deleteCaseData('gone')
      expect(await store.retention.countRemnants()).toBe(1)

      const seen: CaseStatsRecord[] = []
      const n = await store.cases.eachForStatistics(later(-500 * DAY), later(DAY), (c) =>
        seen.push(c)
      )
      expect(n).toBe(2)
      const back = seen.find((c) => c.outcome === 'spam')
      expect(JSON.stringify(back)).toBe(JSON.stringify(stats))
      expect(seen.find((c) => c.outcome === 'not-confirmed')).toMatchObject({
        planItemIds: ['plan-10'],
        referral: { body: 'nazk' },
      })
      expect(await store.retention.eachRemnant(later(0), later(DAY), () => {})).toBe(0)
      expect(await store.cases.receivedRange()).toEqual({
        first: gone.receivedAt,
        last: live.receivedAt,
      })
      expect(await store.retention.remnantRange()).toEqual({
        first: gone.receivedAt,
        last: gone.receivedAt,
      })
    })
  })
}
