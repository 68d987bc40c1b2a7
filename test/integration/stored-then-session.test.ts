// A report whose case is stored but whose reporter session fails to store at first (the database
// away for a moment): the reporter still gets the receipt's session (201), not an error that says
// nothing was saved about a case that was (issue 10, load: "stored but the sender got an error").
import { rmSync } from 'node:fs'
import nacl from 'tweetnacl'
import { afterEach, expect, it } from 'vitest'
import { buildReportRequest } from '../../src/browser/report-send'
import type { Store } from '../../src/store/types'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { reporterPageConfig } from '../helpers/reporter-api'

let t: TestApp | undefined
/** The app over the wrapped store: closing it closes the shared store; `t` leaves its folder. */
let wrapped: TestApp | undefined
afterEach(async () => {
  await wrapped?.close()
  if (t) rmSync(t.dir, { recursive: true, force: true })
  t = wrapped = undefined
})

const post = (app: TestApp['app'], body: unknown) =>
  app.request('/api/report', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })

async function withSessionFailures(failures: number) {
  t = await makeTestApp()
  await addOfficer(t.store)
  const real = t.store
  let left = failures
  const store: Store = {
    ...real,
    sessions: {
      ...real.sessions,
      create: (s) =>
        left-- > 0 ? Promise.reject(new Error('connection lost (test)')) : real.sessions.create(s),
    },
  }
  wrapped = await makeTestApp({ store })
  const app = wrapped.app
  const { request } = buildReportRequest(
    await reporterPageConfig({ app }),
    { authKey: nacl.randomBytes(32), box: nacl.box.keyPair(), sign: nacl.sign.keyPair() },
    { answers: { what: 'Тендер', how_known: 'work' }, anonymity: 'anonymous', attachments: 0 }
  )
  return { res: await post(app, request), caseId: request.caseId, real }
}

it('a session that fails twice after the case is stored: the reporter still gets 201', async () => {
  const { res, caseId, real } = await withSessionFailures(2)
  expect(res.status).toBe(201)
  const body = (await res.json()) as { caseId: string; token: string }
  expect(body.caseId).toBe(caseId)
  expect(body.token).toBeTruthy()
  expect((await real.cases.list({}, 1, 10)).items.map((c) => c.id)).toEqual([caseId])
})

it('a database that stays away: an error, and the case is whole for the receipt', async () => {
  const { res, caseId, real } = await withSessionFailures(99)
  expect(res.status).toBeGreaterThanOrEqual(500)
  // Stored whole: the reporter signs in with the receipt later (nothing half-written).
  expect(await real.items.list(caseId)).toHaveLength(1)
}, 20_000)
