// A submission that fails between the case record and its first item (issue 10, point 3). SQLite
// writes the case, its grants and its item in one transaction (CaseStore.createWhole); MongoDB
// writes them in order and the intake discards what was written (src/report/new-case.ts). Shown
// here on the embedded store with three causes: the database going away mid-write (on MongoDB's
// way of writing, src/store/mongo/whole-case.ts, over this store), a duplicate item id (one
// transaction: nothing stored), and a leftover a retry with the same receipt finds.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nacl from 'tweetnacl'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { receiptLookup, type ReceiptKeys } from '../../crypto/receipt'
import { buildReportRequest } from '../../src/browser/report-send'
import { wholeCase } from '../../src/store/mongo/whole-case'
import { openSqliteStore } from '../../src/store/sqlite'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { flaky, type FlakyStore } from '../helpers/flaky-store'
import { addOfficer, officerReadCase, type TestOfficer } from '../helpers/officer'
import { reporterPageConfig } from '../helpers/reporter-api'

let t: TestApp
let db: FlakyStore
let dir: string
let officer: TestOfficer
/** When set, the database goes down right after the next case record is written. */
let downAfterCreate = false

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portal-half-'))
  db = flaky(await openSqliteStore({ file: join(dir, 'portal.sqlite') }))
  // Record by record, as on an engine without multi-record transactions.
  const byRecord = wholeCase({
    async insertCase(c) {
      await db.store.cases.create(c)
      if (downAfterCreate) db.down = true
    },
    putGrant: (g) => db.store.grants.put(g),
    insertItem: (item) => db.store.items.insertAt(item),
    discardIncomplete: (id) => db.store.cases.discardIncomplete(id),
  })
  const cases = new Proxy(db.store.cases, {
    get(target, prop, receiver): unknown {
      if (prop === 'createWhole' && downAfterCreate) return byRecord
      return Reflect.get(target, prop, receiver)
    },
  })
  const store = new Proxy(db.store, {
    get: (target, prop, receiver): unknown =>
      prop === 'cases' ? cases : Reflect.get(target, prop, receiver),
  })
  t = await makeTestApp({ store })
  officer = await addOfficer(t.store)
  downAfterCreate = false
})
afterEach(async () => {
  db.down = false
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

const receiptKeys = (): ReceiptKeys => ({
  authKey: nacl.randomBytes(32),
  box: nacl.box.keyPair(),
  sign: nacl.sign.keyPair(),
})
const attempt = async (keys: ReceiptKeys, text: string) =>
  buildReportRequest(await reporterPageConfig(t), keys, {
    answers: { what: text, how_known: 'work' },
    anonymity: 'anonymous',
    attachments: 0,
  }).request
const send = (body: unknown) =>
  t.app.request('/api/report', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
const allCases = async () => (await t.store.cases.list({}, 1, 100)).items

it('the database lost after the case record: a clear error, then the retry stores one whole case', async () => {
  const keys = receiptKeys()
  downAfterCreate = true
  const failed = await send(await attempt(keys, 'written while the disk went away'))
  expect(failed.status).toBe(503)
  expect(await failed.json()).toMatchObject({ error: 'unavailable' })

  db.down = false
  downAfterCreate = false
  // Whether or not the background discard got there first, the same receipt goes through.
  const retry = await attempt(keys, 'written while the disk went away')
  const ok = await send(retry)
  expect(ok.status).toBe(201)
  expect((await allCases()).map((c) => c.id)).toEqual([retry.caseId])
  const read = await officerReadCase(t.store, retry.caseId, officer)
  expect(read.envelopes[0]!.body).toMatchObject({
    answers: { what: 'written while the disk went away' },
  })
})

it('a duplicate item id is refused with 409 and leaves no case; the receipt still works', async () => {
  const first = await attempt(receiptKeys(), 'first')
  expect((await send(first)).status).toBe(201)
  const keys = receiptKeys()
  const clash = await attempt(keys, 'second')
  const res = await send({ ...clash, answers: { ...clash.answers, itemId: first.answers.itemId } })
  expect(res.status).toBe(409)
  expect(await res.json()).toMatchObject({ error: 'duplicate' })
  expect((await allCases()).map((c) => c.id)).toEqual([first.caseId])
  expect(await t.store.grants.listForCase(clash.caseId)).toEqual([])

  const again = await attempt(keys, 'second')
  expect((await send(again)).status).toBe(201)
  expect((await allCases()).map((c) => c.id).sort()).toEqual([first.caseId, again.caseId].sort())
})

it('a leftover case of the same receipt (no item) is replaced by the retry, a whole case is not', async () => {
  const keys = receiptKeys()
  const lookup = receiptLookup(t.secrets.RECEIPT_PEPPER, keys.authKey)
  const at = t.clock.now()
  await t.store.cases.create({
    id: 'leftover-case-000000',
    channel: 'web',
    anonymity: 'anonymous',
    encMode: 'client',
    state: 'received',
    tags: [],
    planItemIds: [],
    casePublicKey: 'AAAA',
    receiptLookup: lookup,
    receivedAt: at,
    createdAt: at,
    clocks: [],
  })
  const retry = await attempt(keys, 'after the leftover')
  expect((await send(retry)).status).toBe(201)
  expect((await allCases()).map((c) => c.id)).toEqual([retry.caseId])

  // Now the receipt belongs to a whole case: a second report with it is refused, nothing replaced.
  const dup = await send(await attempt(keys, 'a second report, same receipt'))
  expect(dup.status).toBe(409)
  expect((await allCases()).map((c) => c.id)).toEqual([retry.caseId])
  expect(await t.store.cases.discardIncomplete(retry.caseId)).toBe(false)
})
