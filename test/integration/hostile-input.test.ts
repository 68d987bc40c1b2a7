// Hostile input on every route that takes a body: broken JSON, wrong types, deep nesting,
// oversized fields, odd encodings. Each must get a clear 4xx, never a 500 or a crash, and the
// app must still work afterwards.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Role } from '../../src/domain/vocab'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'

let t: TestApp
const staff = {} as Record<Role, TestStaff>
let caseId = ''
let reporterToken = ''

beforeAll(async () => {
  t = await makeTestApp()
  for (const role of ['officer', 'admin', 'management'] as Role[]) {
    staff[role] = await addStaff(t.store, { roles: [role], email: `${role}@council.example` })
  }
  const report = await submitClientReport(t, 'hostile input target')
  caseId = report.caseId
  reporterToken = report.token
})
afterAll(async () => {
  await t?.close()
})

const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) })
const JSON_BODIES: [string, string][] = [
  ['broken', '{"caseId": '],
  ['array', '[1,2,3]'],
  ['null', 'null'],
  ['string', '"hello"'],
  ['wrong types', JSON.stringify({ caseId: 1, seq: 'two', authKey: [], grants: 'x', items: {} })],
  ['nested', JSON.stringify(deep(500))],
  ['proto', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'],
  ['big field', JSON.stringify({ authKey: 'A'.repeat(3_000_000) })],
  ['bad unicode', '{"text": "\\ud800"}'],
]
const FORM_BODIES: [string, string][] = [
  ['empty', ''],
  ['garbage', '%%%&&&==='],
  ['long', `reason=${'x'.repeat(300_000)}&text=${'y'.repeat(300_000)}`],
  ['repeated', Array.from({ length: 2000 }, (_, i) => `tags=${i}`).join('&')],
  ['odd names', '__proto__=1&constructor=2&q_what[]=3&files=notafile'],
]

it('answers every hostile body with a 4xx (or a re-shown form), never a 5xx', async () => {
  const routes = new Map<string, { method: string; path: string }>()
  for (const r of t.app.routes) {
    if ((r.method === 'POST' || r.method === 'PUT') && !r.path.includes('*')) {
      routes.set(`${r.method} ${r.path}`, { method: r.method, path: r.path })
    }
  }
  expect(routes.size).toBeGreaterThan(30)
  const problems: string[] = []
  for (const { method, path } of routes.values()) {
    const url = path
      .replace(':caseId', caseId)
      .replace(':blobId', 'AAAAAAAAAAAAAAAAAAAAAA')
      .replace(':measureId', 'm1')
      .replace(':index', '0')
      .replace(':id', staff.officer.account.id)
      .replace(':action', 'certify')
    const who: Role =
      path.startsWith('/staff/admin') || path.includes('/plan/import')
        ? 'admin'
        : path.startsWith('/management')
          ? 'management'
          : 'officer'
    const headers: Record<string, string> = {
      Origin: TEST_ORIGIN,
      Cookie: await loginAs(t, staff[who].account),
      Authorization: `Bearer ${reporterToken}`,
    }
    const bodies = [
      ...JSON_BODIES.map(([name, body]) => ({ name, body, type: 'application/json' })),
      ...FORM_BODIES.map(([name, body]) => ({
        name,
        body,
        type: 'application/x-www-form-urlencoded',
      })),
      { name: 'octets', body: '\u0000\u0001\u0002', type: 'application/octet-stream' },
    ]
    for (const b of bodies) {
      const res = await t.app.request(url, {
        method,
        body: b.body,
        headers: { ...headers, 'Content-Type': b.type },
        redirect: 'manual',
      })
      await res.arrayBuffer()
      if (res.status >= 500) problems.push(`${method} ${path} with ${b.name}: ${res.status}`)
    }
  }
  expect(problems.join('\n')).toBe('')
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  // Still serving, and the case is intact.
  expect((await t.app.request('/healthz')).status).toBe(200)
  expect((await t.store.items.list(caseId)).length).toBeGreaterThanOrEqual(1)
}, 120_000)
