// MongoDB writes a new case record by record (src/store/mongo/whole-case.ts): a crash between the
// case and its first item leaves a case marked unfinished with no item. Opening the store sweeps
// such cases once they are older than a minute; a case made item-less on purpose (a test helper's
// cases.create, no mark) and a whole case stay.
import mongoose from 'mongoose'
import { expect, it } from 'vitest'
import { openMongoStore } from '../../src/store/mongo'
import { UNFINISHED_GRACE_MS } from '../../src/store/mongo/whole-case'
import type { CaseItem, NewCase, Store } from '../../src/store/types'
import { describeMongo, freshMongoUri } from '../setup/env'

const t0 = new Date(Date.UTC(2026, 2, 10, 9))
const newCase = (id: string): NewCase => ({
  id,
  channel: 'web',
  anonymity: 'anonymous',
  encMode: 'client',
  state: 'received',
  tags: [],
  planItemIds: [],
  casePublicKey: 'cpk',
  receivedAt: t0,
  createdAt: t0,
  clocks: [],
})
const firstItem = (caseId: string): CaseItem => ({
  caseId,
  id: `${caseId}-item`,
  seq: 1,
  kind: 'answers',
  authorRole: 'reporter',
  encMode: 'client',
  sealed: new Uint8Array([1, 2, 3]),
  createdAt: t0,
})
const grant = (caseId: string) => ({
  caseId,
  granteeKind: 'officer' as const,
  granteeId: 'off-1',
  sealedKey: new Uint8Array([9]),
  createdAt: t0,
})
const whole = (store: Store, id: string) =>
  store.cases.createWhole(newCase(id), [grant(id)], firstItem(id))

describeMongo('unfinished cases swept at open (mongo)', () => {
  it('discards a crashed submission, keeps whole cases and unmarked item-less ones', async () => {
    const uri = freshMongoUri('unfinished')
    const first = await openMongoStore({ uri })
    const conn = await mongoose.createConnection(uri).asPromise()
    const raw = conn.db!.collection<{ _id: string; unfinishedSince?: Date }>('cases')
    const old = new Date(Date.now() - UNFINISHED_GRACE_MS - 5_000)
    let second: Store | undefined
    try {
      // A whole case: item stored, carries its seq and the officers' unread flag from the start.
      await whole(first, 'whole')
      expect(await first.cases.get('whole')).toMatchObject({ lastSeq: 1, unreadForOfficers: true })
      // A crash after the case and its grant, before the item: what is left is the marked case.
      await whole(first, 'crashed')
      await conn.db!.collection('items').deleteMany({ caseId: 'crashed' })
      // The same, but recent: its writer may still be at work.
      await whole(first, 'recent')
      await conn.db!.collection('items').deleteMany({ caseId: 'recent' })
      // A test helper's item-less case, never marked.
      await first.cases.create(newCase('helper'))
      await raw.updateMany(
        { _id: { $in: ['whole', 'crashed'] } },
        { $set: { unfinishedSince: old } }
      )
      await raw.updateOne({ _id: 'helper' }, { $set: { createdAt: old } })
      await first.close()

      second = await openMongoStore({ uri, dropOnClose: true })
      const s = second
      await expect.poll(async () => s.cases.get('crashed'), { timeout: 10_000 }).toBeNull()
      expect(await s.grants.listForCase('crashed')).toEqual([])
      expect(await s.cases.get('whole')).toMatchObject({ lastSeq: 1 })
      expect((await s.items.list('whole')).map((i) => i.id)).toEqual(['whole-item'])
      await expect
        .poll(async () => (await raw.findOne({ _id: 'whole' }))?.unfinishedSince, {
          timeout: 10_000,
        })
        .toBeUndefined()
      expect(await s.cases.get('recent')).not.toBeNull()
      expect(await s.cases.get('helper')).not.toBeNull()
    } finally {
      await conn.close()
      await second?.close()
    }
  })
})
