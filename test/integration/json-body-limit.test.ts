// One body-size policy for the JSON routes (src/http/json-body.ts): over a route's limit, the
// staff scripts' routes, the reporter API and the upload routes all answer the same 413.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { TOO_LARGE } from '../../src/http/json-body'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { submitClientReport } from '../helpers/reporter-api'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.close()
})

const post = (path: string, bytes: number, headers: Record<string, string> = {}) =>
  t.app.request(path, {
    method: 'POST',
    body: JSON.stringify({ pad: 'x'.repeat(bytes) }),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN, ...headers },
  })

it('answers 413 with the same body on every JSON route over its limit', async () => {
  await addOfficer(t.store)
  const { token } = await submitClientReport(t, 'a report')
  const auth = { Authorization: `Bearer ${token}` }
  const answers = [
    await post('/staff/login/params', 17 * 1024),
    await post('/api/report', 5 * 1024 * 1024),
    await post('/api/r/items', 5 * 1024 * 1024, auth),
    await post('/api/r/blobs', 65 * 1024, auth),
  ]
  for (const res of answers) {
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual(TOO_LARGE)
  }
  // Under the limit the same routes read the body as usual.
  expect((await post('/staff/login/params', 100)).status).toBe(400)
})
