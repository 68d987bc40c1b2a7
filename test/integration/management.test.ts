// The management dashboard: the year's totals exact, zero as 0, breakdowns finer than the year
// (quarters, channel × anonymity, category) with small counts hidden, the previous year beside.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Anonymity, Channel } from '../../src/domain/vocab'
import { planSample } from '../../src/plan/samples'
import { makeTestApp, type TestApp } from '../helpers/app'
import { addStaff, loginAs } from '../helpers/staff'

let t: TestApp
afterEach(async () => {
  await t.close()
})

async function addCase(
  id: string,
  receivedAt: string,
  anonymity: Anonymity,
  more: { channel?: Channel; category?: string } = {}
) {
  await t.store.cases.create({
    id,
    channel: more.channel ?? 'web',
    anonymity,
    encMode: 'client',
    state: 'received',
    category: more.category,
    tags: [],
    planItemIds: [],
    casePublicKey: 'AAAA',
    receivedAt: new Date(receivedAt),
    createdAt: new Date(receivedAt),
    clocks: [],
  })
}

async function dashboard(query: string, roles: ('management' | 'admin')[] = ['management']) {
  const boss = await addStaff(t.store, { roles })
  const res = await t.app.request(`/management${query}`, {
    headers: { Cookie: await loginAs(t, boss.account) },
  })
  expect(res.status).toBe(200)
  const html = await res.text()
  return {
    html,
    figure: (name: string) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1],
  }
}

describe('with the default threshold of 5', () => {
  beforeEach(async () => {
    t = await makeTestApp({ now: new Date('2026-06-15T09:00:00Z') })
  })

  it('shows the year exact and hides small counts only in finer breakdowns', async () => {
    for (let i = 0; i < 6; i++)
      await addCase(`q1-case-${i}`, `2026-02-0${i + 1}T10:00:00Z`, 'anonymous', {
        category: 'procurement',
      })
    await addCase('q2-case', '2026-04-10T10:00:00Z', 'confidential', { channel: 'phone' })
    await addCase('last-year', '2025-12-31T10:00:00Z', 'anonymous')
    const { html, figure } = await dashboard('?year=2026')
    // The year's totals: exact, even when small.
    expect(figure('received')).toBe('7')
    expect(figure('anonymous')).toBe('6')
    expect(figure('confidential')).toBe('1')
    expect(figure('channel-phone')).toBe('1')
    expect(figure('still-open')).toBe('7')
    expect(figure('prev-received')).toBe('1')
    // Zero is 0, not "< 5".
    expect(figure('channel-email')).toBe('0')
    expect(figure('referred')).toBe('0')
    expect(figure('q3')).toBe('0')
    // Finer than the year: small counts hidden.
    expect(figure('q1')).toBe('6')
    expect(figure('q2')).toBe('&lt; 5')
    expect(figure('q1-anonymous')).toBe('6')
    expect(figure('q2-confidential')).toBe('&lt; 5')
    expect(figure('ca-web-anonymous')).toBe('6')
    expect(figure('ca-phone-confidential')).toBe('&lt; 5')
    expect(figure('category-procurement')).toBe('6')
    expect(figure('category-none')).toBe('&lt; 5')
    expect(figure('category-gifts')).toBe('0')
    // Nothing identifies a case, and no date is finer than a quarter.
    expect(html).not.toContain('q1-case-')
    expect(html).not.toMatch(/\b(0?[1-9]|[12]\d|3[01])\.0[1-6]\.2026\b/)
    // Charts come with a title, and the report is a link away.
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*><title>За каналами<\/title>/)
    // A hidden quarter draws no bar of its true height and says "< 5", as the table does.
    const quarterChart = /<svg[^>]*><title>За кварталами<\/title>([\s\S]*?)<\/svg>/.exec(html)?.[1]
    expect(quarterChart).toContain('>&#60; 5</text>')
    expect(html).toContain('href="/management/report/2026"')
  })

  it('gives a council with three reports a year real numbers in the totals', async () => {
    await addCase('a', '2025-03-10T10:00:00Z', 'anonymous')
    await addCase('b', '2025-03-11T10:00:00Z', 'anonymous')
    await addCase('c', '2025-08-01T10:00:00Z', 'confidential', { channel: 'mailbox' })
    const { figure } = await dashboard('?year=2025&lang=en', ['admin'])
    expect(figure('received')).toBe('3')
    expect(figure('anonymous')).toBe('2')
    expect(figure('channel-mailbox')).toBe('1')
    expect(figure('q1')).toBe('&lt; 5')
    expect(figure('q2')).toBe('0')
  })

  it('offers every year with cases or a plan, the plan’s 2020 among them', async () => {
    for (const item of planSample(2020)!.items) await t.store.plan.put(item)
    await addCase('old', '2022-05-05T10:00:00Z', 'anonymous')
    const { html } = await dashboard('?year=2020')
    const years = [...html.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]))
    // This year, the year of the case, the plan's year: no empty years in between.
    expect(years).toEqual([2026, 2022, 2020])
    expect(html).toMatch(/<option value="2020" selected>/)
    expect(/data-figure="received">([^<]*)</.exec(html)?.[1]).toBe('0')
  })
})

describe('with suppression switched off', () => {
  beforeEach(async () => {
    t = await makeTestApp({
      now: new Date('2026-06-15T09:00:00Z'),
      env: { STATS_SMALL_COUNT: '0' },
    })
  })

  it('shows every count as it is', async () => {
    await addCase('one', '2026-04-10T10:00:00Z', 'confidential')
    const { figure } = await dashboard('')
    expect(figure('q2')).toBe('1')
    expect(figure('ca-web-confidential')).toBe('1')
  })
})
