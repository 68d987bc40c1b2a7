// The seed plan (../shared/seed, next to the repository in CI) imported through the admin page,
// and the plan list officers see.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importPlan, parsePlan } from '../../src/plan/import'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addStaff, loginAs } from '../helpers/staff'

const SEED = resolve(import.meta.dirname, '../../../shared/seed/000_3928285d8d08c1f9.txt')
const seed = existsSync(SEED) ? readFileSync(SEED, 'utf8') : undefined
// The seed lives outside the repository; without it there is nothing to import.
const describeSeed = describe.skipIf(seed === undefined)

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.close()
})

function postImport(fields: Record<string, string>, cookie: string) {
  return t.app.request('/officer/plan/import', {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: TEST_ORIGIN,
      Cookie: cookie,
    },
  })
}

describeSeed('plan import from the seed report', () => {
  it('should parse all 19 items of 2020, items 10, 15 and 16 among them', () => {
    const items = parsePlan(seed!, 2020)
    expect(items).toHaveLength(19)
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 19 }, (_, i) => String(i + 1)))
    const byNumber = new Map(items.map((i) => [i.number, i]))
    expect(byNumber.get('10')?.measure).toMatch(/^Проведення службових розслідувань/)
    expect(byNumber.get('15')?.measure).toMatch(/повідомлень/)
    expect(byNumber.get('15')?.deadlineText).toBe('І півріччя 2020')
    expect(byNumber.get('16')?.measure).toMatch(/^Забезпечення захисту працівників/)
    expect(byNumber.get('16')?.deadlineText).toBe('Протягом року')
    for (const item of items) {
      expect(item.measure, item.number).not.toBe('')
      expect(item.responsible, item.number).not.toBe('')
    }
  })

  it('should replace a year’s plan on re-import and keep ids stable', async () => {
    const first = await importPlan(t.store, seed!, 2020)
    await t.store.plan.put({ ...first[0]!, id: 'plan-2020-99', number: '99' })
    const second = await importPlan(t.store, seed!, 2020)
    expect(second.map((i) => i.id)).toEqual(first.map((i) => i.id))
    const stored = await t.store.plan.listYear(2020)
    expect(stored).toHaveLength(19)
    expect(stored.find((i) => i.number === '16')?.id).toBe('plan-2020-16')
  })

  it('should let an admin import it on /officer/plan/import, and officers read it on /officer/plan', async () => {
    const admin = await addStaff(t.store, { roles: ['admin'] })
    const officer = await addStaff(t.store, { roles: ['officer'] })
    const adminCookie = await loginAs(t, admin.account)
    const officerCookie = await loginAs(t, officer.account)

    expect(
      (await t.app.request('/officer/plan/import', { headers: { Cookie: officerCookie } })).status
    ).toBe(403)
    expect((await postImport({ text: seed!, year: '2020' }, officerCookie)).status).toBe(403)
    expect((await t.app.request('/officer/plan/import')).status).toBe(303)

    const form = await t.app.request('/officer/plan/import', { headers: { Cookie: adminCookie } })
    expect(form.status).toBe(200)
    // The year comes from the title when the form leaves it empty.
    const res = await postImport({ text: seed!, year: '' }, adminCookie)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Імпортовано пунктів: 19.')
    expect(await t.store.plan.listYear(2020)).toHaveLength(19)
    const audit = await t.store.audit.range(1, 100)
    expect(audit.find((e) => e.action === 'plan.import')?.details).toEqual({
      year: 2020,
      items: 19,
    })

    const list = await (
      await t.app.request('/officer/plan', { headers: { Cookie: officerCookie } })
    ).text()
    expect(list).toContain('id="plan-2020-15"')
    expect(list).toContain('Забезпечення захисту працівників')
    expect(
      (await t.app.request('/officer/plan', { headers: { Cookie: adminCookie } })).status
    ).toBe(403)

    const empty = await postImport({ text: 'nothing here', year: '2020' }, adminCookie)
    expect(empty.status).toBe(422)
    expect(await t.store.plan.listYear(2020)).toHaveLength(19)
  })
})
