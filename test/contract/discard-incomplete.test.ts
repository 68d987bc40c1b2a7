// The store's discardIncomplete on both engines: a case without items goes with its grants; a
// case with an item, or an unknown id, stays as it is. And createWhole, which uses it: a new case
// with its grants and first item is stored whole, or (a taken id) nothing of it is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DuplicateError, type CaseItem, type Grant, type Store } from '../../src/store/types'
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

  const whole = (id: string, itemId = `${id}-1`) => {
    const c = {
      id,
      channel: 'web' as const,
      anonymity: 'anonymous' as const,
      encMode: 'client' as const,
      state: 'received' as const,
      tags: [],
      planItemIds: [],
      casePublicKey: 'AAAA',
      receiptLookup: `lookup-${id}`,
      receivedAt: at,
      createdAt: at,
      clocks: [],
    }
    const grants: Grant[] = ['o1', 'o2'].map((o) => ({
      caseId: id,
      granteeKind: 'officer',
      granteeId: o,
      sealedKey: new Uint8Array(80),
      createdAt: at,
    }))
    const first: CaseItem = {
      caseId: id,
      seq: 1,
      id: itemId,
      kind: 'answers',
      authorRole: 'reporter',
      encMode: 'client',
      sealed: new Uint8Array([1, 2, 3]),
      createdAt: at,
    }
    return store.cases.createWhole(c, grants, first)
  }

  it('creates a case with its grants and first item in one call', async () => {
    await whole('new')
    const stored = await store.cases.get('new')
    expect(stored).toMatchObject({ lastSeq: 1, unreadForOfficers: true })
    expect(await store.grants.listForCase('new')).toHaveLength(2)
    expect((await store.items.list('new')).map((i) => i.id)).toEqual(['new-1'])
  })

  it('stores nothing of a new case whose item id or case id is taken', async () => {
    await whole('first')
    const itemTaken = await whole('second', 'first-1').catch((e: unknown) => e)
    expect(itemTaken).toBeInstanceOf(DuplicateError)
    expect(await store.cases.get('second')).toBeNull()
    expect(await store.cases.getByReceiptLookup('lookup-second')).toBeNull()
    expect(await store.grants.listForCase('second')).toEqual([])
    // The case id taken by a whole case: refused as a case, and that case keeps everything.
    const caseTaken = await whole('first', 'other-1').catch((e: unknown) => e)
    expect(caseTaken).toBeInstanceOf(DuplicateError)
    expect((caseTaken as DuplicateError).entity).toBe('case')
    expect(await store.grants.listForCase('first')).toHaveLength(2)
    expect((await store.items.list('first')).map((i) => i.id)).toEqual(['first-1'])
    // And the refused one's id and receipt are free.
    await whole('second', 'second-1')
  })
}

describe('discardIncomplete and createWhole (sqlite)', () => contract(sqliteHarness))
describeMongo('discardIncomplete and createWhole (mongo)', () => contract(mongoHarness))
