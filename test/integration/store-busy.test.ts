// A store record held by other writers for longer than the store waits (a lock of the MongoDB
// engine on FerretDB, src/store/mongo/lock.ts) is a StoreBusyError: the app answers 503 with
// Retry-After, as for a database away, never a 500; and the held-up write changes nothing.
import mongoose from 'mongoose'
import { rmSync } from 'node:fs'
import nacl from 'tweetnacl'
import { afterEach, expect, it } from 'vitest'
import { buildReportRequest } from '../../src/browser/report-send'
import { openMongoStore } from '../../src/store/mongo'
import { ConflictError, StoreBusyError, type NewCase, type Store } from '../../src/store/types'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { reporterPageConfig } from '../helpers/reporter-api'
import { describeMongo, freshMongoUri } from '../setup/env'

let t: TestApp | undefined
/** The app over the wrapped store: closing it closes the shared store; `t` leaves its folder. */
let wrapped: TestApp | undefined
afterEach(async () => {
  await wrapped?.close()
  if (t) rmSync(t.dir, { recursive: true, force: true })
  t = wrapped = undefined
})

it('a busy store answers 503 with Retry-After and the JSON of a database away', async () => {
  t = await makeTestApp()
  await addOfficer(t.store)
  const real = t.store
  // Same store, except that writing a new case finds its record held too long.
  const busy: Store = {
    ...real,
    cases: {
      ...real.cases,
      createWhole: () => Promise.reject(new StoreBusyError('case:test')),
    },
  }
  wrapped = await makeTestApp({ store: busy })
  const app = wrapped.app
  const { request } = buildReportRequest(
    await reporterPageConfig({ app }),
    { authKey: nacl.randomBytes(32), box: nacl.box.keyPair(), sign: nacl.sign.keyPair() },
    { answers: { what: 'Тендер', how_known: 'work' }, anonymity: 'anonymous', attachments: 0 }
  )
  const res = await app.request('/api/report', {
    method: 'POST',
    body: JSON.stringify(request),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
  expect(res.status).toBe(503)
  expect(await res.json()).toEqual({ error: 'unavailable', message: 'Database unavailable' })
  expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
  expect((await real.cases.list({}, 1, 10)).total).toBe(0)
})

describeMongo('a lock held too long (mongo)', () => {
  it('throws StoreBusyError after the wait and leaves the record as it was', async () => {
    const uri = freshMongoUri('busy')
    const store = await openMongoStore({
      uri,
      dropOnClose: true,
      lockUpdates: true,
      lockWaitMs: 300,
    })
    const conn = await mongoose.createConnection(uri).asPromise()
    try {
      const t0 = new Date(Date.UTC(2026, 2, 10, 9))
      const c: NewCase = {
        id: 'busy-case',
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
      }
      const before = await store.cases.create(c)
      // Another instance holds the case's lock, alive (its expiry ahead).
      const locks = conn.db!.collection<{ _id: string; owner: string; until: Date }>('store_locks')
      await locks.insertOne({
        _id: `case:${c.id}`,
        owner: 'other',
        until: new Date(Date.now() + 60_000),
      })
      const started = Date.now()
      const err = await store.cases
        .update(c.id, before.version, { tags: ['x'] }, t0)
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StoreBusyError)
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(await store.cases.get(c.id)).toEqual(before)
      // Once the holder is done, the same write goes through, exactly once.
      await locks.deleteOne({ _id: `case:${c.id}` })
      await store.cases.update(c.id, before.version, { tags: ['x'] }, t0)
      await expect(store.cases.update(c.id, before.version, { tags: ['y'] }, t0)).rejects.toThrow(
        ConflictError
      )
      expect((await store.cases.get(c.id))?.tags).toEqual(['x'])
    } finally {
      await conn.close()
      await store.close()
    }
  })
})
