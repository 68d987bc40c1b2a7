// The management dashboard: counts for a year, small numbers hidden, quarters at the finest.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { makeTestApp, type TestApp } from '../helpers/app'
import { addStaff, loginAs } from '../helpers/staff'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp({ now: new Date('2026-06-15T09:00:00Z') })
})
afterEach(async () => {
  await t.close()
})

async function addCase(id: string, receivedAt: string, anonymity: 'anonymous' | 'confidential') {
  await t.store.cases.create({
    id,
    channel: 'web',
    anonymity,
    encMode: 'client',
    state: 'received',
    tags: [],
    planItemIds: [],
    casePublicKey: 'AAAA',
    receivedAt: new Date(receivedAt),
    createdAt: new Date(receivedAt),
    clocks: [],
  })
}

it('shows the year in quarters, with counts under 5 hidden', async () => {
  for (let i = 0; i < 6; i++)
    await addCase(`q1-case-${i}`, `2026-02-0${i + 1}T10:00:00Z`, 'anonymous')
  await addCase('q2-case', '2026-04-10T10:00:00Z', 'confidential')
  await addCase('last-year', '2025-12-31T10:00:00Z', 'anonymous')
  const boss = await addStaff(t.store, { roles: ['management'] })
  const res = await t.app.request('/management?year=2026', {
    headers: { Cookie: await loginAs(t, boss.account) },
  })
  expect(res.status).toBe(200)
  const html = await res.text()
  const figure = (name: string) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1]
  expect(figure('received')).toBe('7')
  expect(figure('q1')).toBe('6')
  expect(figure('q2')).toBe('&lt; 5')
  expect(figure('anonymous')).toBe('6')
  expect(figure('confidential')).toBe('&lt; 5')
  expect(figure('state-received')).toBe('7')
  expect(html).not.toContain('q1-case-')
  expect(html).not.toMatch(/\b(0?[1-9]|[12]\d|3[01])\.0[1-6]\.2026\b/) // no dates finer than a quarter

  const en = await (
    await t.app.request('/management?year=2025&lang=en', {
      headers: { Cookie: await loginAs(t, boss.account) },
    })
  ).text()
  expect(en).toContain('Reports received')
  expect(/data-figure="received">([^<]*)</.exec(en)?.[1]).toBe('&lt; 5')
})
