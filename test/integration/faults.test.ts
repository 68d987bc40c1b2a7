// A dead database: clear answers, nothing typed is lost, and the app recovers by itself.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openSqliteStore } from '../../src/store/sqlite'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { flaky, type FlakyStore } from '../helpers/flaky-store'
import { addOfficer } from '../helpers/officer'

let t: TestApp
let db: FlakyStore
let dir: string
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portal-faults-'))
  db = flaky(await openSqliteStore({ file: join(dir, 'portal.sqlite') }))
  t = await makeTestApp({ store: db.store })
  await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

function reportForm(token: string, what: string) {
  const fd = new FormData()
  fd.append('formToken', token)
  fd.append('q_what', what)
  fd.append('q_how_known', 'work')
  return { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } }
}

const tokenOf = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)![1]!

it("keeps the reporter's text while the database is down, then takes the report", async () => {
  const page = await (await t.app.request('/report')).text()
  db.down = true

  expect((await t.app.request('/healthz')).status).toBe(503)
  expect((await t.app.request('/')).status).toBe(200)
  // The form still shows (from the last officer list seen), and a post keeps every word typed.
  const form = await t.app.request('/report')
  expect(form.status).toBe(200)
  const failed = await t.app.request(
    '/report',
    reportForm(tokenOf(page), 'Text typed while the database was down')
  )
  expect(failed.status).toBe(503)
  const html = await failed.text()
  expect(html).toContain('Text typed while the database was down')
  expect(html).toContain('Повідомлення не збережено')

  const api = await t.app.request('/api/status/login', {
    method: 'POST',
    body: JSON.stringify({ authKey: Buffer.alloc(32).toString('base64') }),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
  expect(api.status).toBe(503)
  expect(await api.json()).toMatchObject({ error: 'unavailable' })

  db.down = false
  expect((await t.app.request('/healthz')).status).toBe(200)
  const ok = await t.app.request(
    '/report',
    reportForm(tokenOf(html), 'Text typed while the database was down')
  )
  expect(ok.status).toBe(200)
  expect(await ok.text()).toContain('receipt-word')
  expect((await t.store.cases.list({}, 1, 10)).total).toBe(1)
})
