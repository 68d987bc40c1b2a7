// The store's discardIncomplete on both engines: a case without items goes with its grants; a
// case with an item, or an unknown id, stays as it is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/types'
import { mongoHarness, sqliteHarness, type Harness } from '../helpers/two-instances'
import { describeMongo } from '../setup/env'

function contract(open: (label: string) => Promise<Harness>) {
  let h: Harness
  let store: Store
  beforeEach(async () => {
    h = await open('discard')
    store = h.store
  })
  afterEach(async () => {
    await h.close()
  })
  const at = new Date('2026-03-02T09:00:00Z')
  const newCase = (id: string) =>
    store.cases.create({
      id,
      channel: 'web',
      anonymity: 'anonymous',
      encMode: 'client',
      state: 'received',
      tags: [],
      planItemIds: [],
      casePublicKey: 'AAAA',
      receiptLookup: `lookup-${id}`,
      receivedAt: at,
      createdAt: at,
      clocks: [],
    })
  const grant = (caseId: string) =>
    store.grants.put({
      caseId,
      granteeKind: 'officer',
      granteeId: 'o1',
      sealedKey: new Uint8Array(80),
      createdAt: at,
    })

  it('removes a case without items, and its grants; runs again harmlessly', async () => {
    await newCase('half')
    await grant('half')
    expect(await store.cases.discardIncomplete('half')).toBe(true)
    expect(await store.cases.get('half')).toBeNull()
    expect(await store.cases.getByReceiptLookup('lookup-half')).toBeNull()
    expect(await store.grants.listForCase('half')).toEqual([])
    expect(await store.cases.discardIncomplete('half')).toBe(false)
    // The id and the receipt are free again.
    await newCase('half')
  })

  it('keeps a case that has an item, with its grants', async () => {
    await newCase('whole')
    await grant('whole')
    await store.items.insertAt({
      caseId: 'whole',
      seq: 1,
      id: 'whole-1',
      kind: 'answers',
      authorRole: 'reporter',
      encMode: 'client',
      sealed: new Uint8Array([1, 2, 3]),
      createdAt: at,
    })
    expect(await store.cases.discardIncomplete('whole')).toBe(false)
    expect(await store.cases.get('whole')).not.toBeNull()
    expect(await store.grants.listForCase('whole')).toHaveLength(1)
    expect(await store.cases.discardIncomplete('nobody')).toBe(false)
  })
}

describe('discardIncomplete (sqlite)', () => contract(sqliteHarness))
describeMongo('discardIncomplete (mongo)', () => contract(mongoHarness))
