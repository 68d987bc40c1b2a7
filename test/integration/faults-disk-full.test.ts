// A full disk under the embedded store (issue 10, point 3d), made with SQLite's max_page_count on
// the store's own connection: the database file may not grow, exactly as when the disk has no
// room left. Reporters get a clear "not saved, try again" answer, no case is half-written, the
// file passes integrity_check, and once there is room again the same app takes reports.
import type Database from 'better-sqlite3'
import nacl from 'tweetnacl'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import type * as SqliteDb from '../../src/store/sqlite/db'
import { buildReportRequest } from '../../src/browser/report-send'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer, officerReadCase, type TestOfficer } from '../helpers/officer'
import { reporterPageConfig } from '../helpers/reporter-api'

const handles = vi.hoisted(() => [] as Database.Database[])
vi.mock('../../src/store/sqlite/db', async (importOriginal) => {
  const real = await importOriginal<typeof SqliteDb>()
  return {
    ...real,
    openDatabase: (file: string) => {
      const db = real.openDatabase(file)
      handles.push(db)
      return db
    },
  }
})

let t: TestApp
let officer: TestOfficer
let db: Database.Database
beforeEach(async () => {
  handles.length = 0
  t = await makeTestApp()
  db = handles[0]!
  officer = await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

const fill = () => db.pragma('max_page_count = 1', { simple: true }) // clamps to the current size
const free = () => db.pragma('max_page_count = 1073741823')

const send = async (text: string) => {
  const { request } = buildReportRequest(
    await reporterPageConfig(t),
    { authKey: nacl.randomBytes(32), box: nacl.box.keyPair(), sign: nacl.sign.keyPair() },
    // A long report: a few pages per case, so the disk fills quickly.
    { answers: { what: text.padEnd(20_000, ' .') }, anonymity: 'anonymous', attachments: 0 }
  )
  const res = await t.app.request('/api/report', {
    method: 'POST',
    body: JSON.stringify(request),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
  return { res, caseId: request.caseId }
}

/** Every stored case opens whole for the officer; returns their ids. */
async function wholeCases(): Promise<string[]> {
  const { items } = await t.store.cases.list({}, 1, 500)
  for (const c of items) {
    const read = await officerReadCase(t.store, c.id, officer)
    expect(read.envelopes.map((e) => e.type)).toEqual(['answers'])
  }
  return items.map((c) => c.id).sort()
}

it('a full disk: a clear error, nothing half-written, no corruption, and it works again', async () => {
  const accepted: string[] = []
  const first = await send('before the disk filled up')
  expect(first.res.status).toBe(201)
  accepted.push(first.caseId)

  fill()
  let refused: Response | undefined
  let refusedCaseId = ''
  for (let i = 0; i < 200 && !refused; i++) {
    const { res, caseId } = await send(`report ${i}`)
    if (res.status === 201) accepted.push(caseId)
    else [refused, refusedCaseId] = [res, caseId]
  }
  expect(refused, 'the disk never filled').toBeDefined()
  // The small case record would still fit, its 20 KB answers do not: the case, its grants and
  // its answers are one transaction (CaseStore.createWhole), so nothing of the case is stored.
  expect(await t.store.cases.get(refusedCaseId)).toBeNull()
  expect(await t.store.grants.listForCase(refusedCaseId)).toEqual([])
  expect(refused!.status).toBe(503)
  expect(await refused!.json()).toMatchObject({ error: 'unavailable' })
  expect(refused!.headers.get('Retry-After')).toBeTruthy()
  expect(await wholeCases()).toEqual(accepted.sort())
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')

  // The no-JS form: the same clear answer, and every word typed is shown again. (The pages a
  // discarded case freed may still take a report or two first.)
  const typed = 'Тендер на дах виграла фірма родича. '.padEnd(19_000, '.')
  let nojs: Response | undefined
  let nojsAccepted = 0
  for (let i = 0; i < 20 && !nojs; i++) {
    const page = await (await t.app.request('/report')).text()
    const form = new FormData()
    form.append('formToken', /name="formToken" value="([^"]+)"/.exec(page)![1]!)
    form.append('q_what', typed)
    form.append('q_how_known', 'work')
    const res = await t.app.request('/report', {
      method: 'POST',
      body: form,
      headers: { Origin: TEST_ORIGIN },
    })
    if (res.status === 200) nojsAccepted++
    else nojs = res
  }
  expect(nojs?.status).toBe(503)
  const html = await nojs!.text()
  expect(html).toContain('Тендер на дах виграла фірма родича')
  expect(html).toContain('Повідомлення не збережено')
  const stored = await wholeCases()
  expect(stored).toHaveLength(accepted.length + nojsAccepted)
  expect(stored).toEqual(expect.arrayContaining(accepted))
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')

  // Room again: the same app (no restart) takes reports, and nothing from before is missing.
  free()
  const after = await send('after the disk was freed')
  expect(after.res.status).toBe(201)
  accepted.push(after.caseId)
  expect(await wholeCases()).toHaveLength(accepted.length + nojsAccepted)
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
}, 60_000)
