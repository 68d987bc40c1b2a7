// The MongoDB connection cut in the middle of a submission (issue 10, point 3a): a TCP proxy
// between the app and FerretDB drops every connection right after the case record is written,
// before its grants and sealed answers. The reporter gets a clear error; the half-written case
// is discarded as soon as the database answers again (src/report/new-case.ts); when the proxy lets connections through again the same app (no restart) takes the
// reporter's retry and stores exactly one case, which the officer opens.
import nacl from 'tweetnacl'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ReceiptKeys } from '../../crypto/receipt'
import { buildReportRequest } from '../../src/browser/report-send'
import { openMongoStore } from '../../src/store/mongo'
import type { Store } from '../../src/store/types'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer, officerReadCase, type TestOfficer } from '../helpers/officer'
import { reporterPageConfig } from '../helpers/reporter-api'
import { startTcpProxy, viaProxy, type TcpProxy } from '../helpers/tcp-proxy'
import { describeMongo, freshMongoUri } from '../setup/env'

let proxy: TcpProxy
let store: Store
let t: TestApp
let officer: TestOfficer

describeMongo('the database connection cut mid-submission (mongo)', () => {
  beforeEach(async () => {
    const uri = freshMongoUri('cut')
    const u = new URL(uri)
    proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port) })
    // A short server-selection timeout: a dead connection fails in 1.5 s, not the default 10 s.
    store = await openMongoStore({
      uri: viaProxy(uri, proxy),
      serverSelectionTimeoutMS: 1500,
      dropOnClose: true,
    })
    t = await makeTestApp({ store })
    officer = await addOfficer(store)
  })
  afterEach(async () => {
    proxy.restore()
    await t.close()
    await proxy.close()
  })

  const keys = (): ReceiptKeys => ({
    authKey: nacl.randomBytes(32),
    box: nacl.box.keyPair(),
    sign: nacl.sign.keyPair(),
  })
  const send = (body: unknown) =>
    t.app.request('/api/report', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
    })
  /** What the page does on a new attempt: a fresh form token, a new case id, the same receipt. */
  const attempt = async (receipt: ReceiptKeys, text: string) =>
    buildReportRequest(await reporterPageConfig(t), receipt, {
      answers: { what: text, how_known: 'work' },
      anonymity: 'anonymous',
      attachments: 0,
    }).request

  /** Every case is whole: its sealed answers are stored and the officer opens them. */
  async function everyCaseWhole() {
    const { items } = await store.cases.list({}, 1, 100)
    for (const c of items) {
      const read = await officerReadCase(store, c.id, officer)
      expect(read.envelopes.map((e) => e.type)).toEqual(['answers'])
    }
    return items
  }

  it('leaves no half-written case, and the retry after recovery stores exactly one', async () => {
    const receipt = keys()
    const first = await attempt(receipt, 'Закупівля за завищеними цінами')
    const cutDone = proxy.cutAfterReply(['cases', first.caseId])
    const failed = await send(first)
    await cutDone
    // A clear answer: the database is unavailable, try again later (not a 500, not a success).
    expect(failed.status).toBe(503)
    expect(await failed.json()).toMatchObject({ error: 'unavailable' })
    expect(failed.headers.get('Retry-After')).toBeTruthy()

    proxy.restore()
    const acceptedBefore = proxy.accepted
    // The same app, no restart: health comes back by itself once connections go through.
    await expect
      .poll(async () => (await t.app.request('/healthz')).status, { timeout: 15_000 })
      .toBe(200)
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore)
    // The case record written before the cut is discarded once the database answers again.
    await expect
      .poll(async () => (await store.cases.list({}, 1, 10)).total, { timeout: 15_000 })
      .toBe(0)
    expect(await store.grants.listForCase(first.caseId)).toEqual([])

    const retry = await attempt(receipt, 'Закупівля за завищеними цінами')
    const ok = await send(retry)
    expect(ok.status, await ok.clone().text()).toBe(201)
    const stored = await everyCaseWhole()
    expect(stored.map((c) => c.id)).toEqual([retry.caseId])
    expect((await officerReadCase(store, retry.caseId, officer)).envelopes[0]!.body).toMatchObject({
      answers: { what: 'Закупівля за завищеними цінами' },
    })
  }, 60_000)

  it('reports sent while the connection is down get a clear error; nothing half-written', async () => {
    proxy.cut()
    const res = await send(await attempt(keys(), 'sent while down').catch(() => ({})))
    expect([400, 503]).toContain(res.status)
    proxy.restore()
    await expect
      .poll(async () => (await t.app.request('/healthz')).status, { timeout: 15_000 })
      .toBe(200)
    expect(await everyCaseWhole()).toHaveLength(0)
    const ok = await send(await attempt(keys(), 'sent after recovery'))
    expect(ok.status).toBe(201)
    expect(await everyCaseWhole()).toHaveLength(1)
  }, 60_000)
})
