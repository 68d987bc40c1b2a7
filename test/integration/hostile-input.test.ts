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

it('names what the boundary schemas refuse: a key outside the contract, at any depth, is a plaintext field; a wrong or missing value is a bad request', async () => {
  const officer = { Origin: TEST_ORIGIN, Cookie: await loginAs(t, staff.officer.account) }
  // A session of its own: the test above signs its reporter out (POST /api/r/logout).
  const { token } = await submitClientReport(t, 'schema cases')
  const reporter = { Origin: TEST_ORIGIN, Authorization: `Bearer ${token}` }
  const send = async (path: string, body: unknown, headers: Record<string, string>) => {
    const res = await t.app.request(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { ...headers, 'Content-Type': 'application/json' },
    })
    return { status: res.status, body: (await res.json()) as { error?: string } }
  }
  const key = Buffer.alloc(32, 1).toString('base64')
  const intake = {
    v: 1,
    caseId: 'AAAAAAAAAAAAAAAAAAAAAA',
    channel: 'phone',
    anonymity: 'anonymous',
    receivedAt: '2026-01-01T10:00:00Z',
    casePublicKey: key,
    grants: [
      { granteeKind: 'officer', granteeId: 'x', sealedKey: Buffer.alloc(80).toString('base64') },
    ],
    answers: { itemId: 'BBBBBBBBBBBBBBBBBBBBBB', sealed: 'AAAA' },
  }
  // Nested unknown keys: in an object inside the body, inside an array element.
  for (const leak of [
    { ...intake, answers: { ...intake.answers, text: 'plain' } },
    { ...intake, grants: [{ ...intake.grants[0], note: 'plain' }] },
  ]) {
    expect(await send('/officer/api/intake', leak, officer)).toMatchObject({
      status: 400,
      body: { error: 'plaintext-field' },
    })
  }
  // Missing or wrong values: malformed, not a leak.
  const { channel: _, ...noChannel } = intake
  for (const bad of [noChannel, { ...intake, channel: 'web' }, { ...intake, v: 2 }]) {
    expect(await send('/officer/api/intake', bad, officer)).toMatchObject({
      status: 400,
      body: { error: 'bad-request' },
    })
  }
  const item = { itemId: 'CCCCCCCCCCCCCCCCCCCCCC', seq: 2, kind: 'message', sealed: 'AAAA' }
  expect(await send('/api/r/items', { ...item, blobIds: ['../x'] }, reporter)).toMatchObject({
    status: 400,
    body: { error: 'bad-request' },
  })
  expect(await send('/api/r/items', { ...item, seq: 1.5 }, reporter)).toMatchObject({
    status: 400,
    body: { error: 'bad-request' },
  })
  expect(await send('/api/r/items', { ...item, kind: 'note' }, reporter)).toMatchObject({
    status: 400,
    body: { error: 'bad-request' },
  })
  // Staff JSON: the same { error: 'bad-request' } for any field off.
  for (const body of [{ email: '' }, { email: 'x'.repeat(300) }, { email: 5 }]) {
    expect(await send('/staff/login/params', body, { Origin: TEST_ORIGIN })).toEqual({
      status: 400,
      body: { error: 'bad-request' },
    })
  }
  // Queries: an unknown purpose, a hand-over between accounts that are not account ids.
  expect((await t.app.request('/api/work?purpose=mine')).status).toBe(400)
  const handover = await t.app.request('/officer/api/handover?from=a%20b&to=c', {
    headers: officer,
  })
  expect(handover.status).toBe(400)
  expect((await t.app.request('/management/report/20x0', { headers: officer })).status).toBe(403)
})
