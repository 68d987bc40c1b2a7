// Managing the plan as an admin, without JavaScript: item form, reorder, delete (refused while a
// case links to the item), copy to the next year, and who may do it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { planSample } from '../../src/plan/samples'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs } from '../helpers/staff'

let t: TestApp
let admin = ''
let officer = ''
beforeEach(async () => {
  t = await makeTestApp()
  admin = await loginAs(t, (await addStaff(t.store, { roles: ['admin'] })).account)
  officer = await loginAs(t, (await addStaff(t.store, { roles: ['officer'] })).account)
  for (const item of planSample(2020)?.items ?? []) await t.store.plan.put(item)
})
afterEach(async () => {
  await t.close()
})

function post(path: string, fields: Record<string, string | string[]>, cookie = admin) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
  }
  return t.app.request(path, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: TEST_ORIGIN,
      Cookie: cookie,
    },
  })
}
async function linkCase(planItemId: string) {
  const report = await submitClientReport(t, `linked to ${planItemId}`)
  const c = await t.store.cases.get(report.caseId)
  await t.store.cases.update(report.caseId, c!.version, { planItemIds: [planItemId] }, new Date())
}
const get = (path: string, cookie = admin) => t.app.request(path, { headers: { Cookie: cookie } })
const numbers = async (year = 2020) => (await t.store.plan.listYear(year)).map((i) => i.number)
const actions = async () => (await t.store.audit.range(1, 1000)).map((e) => e.action)

describe('managing the plan', () => {
  it('should list the year with edit, move and delete forms, and link it from the staff menu', async () => {
    const res = await get('/officer/plan/edit?year=2020')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/<nav class="officer-menu"[\s\S]*href="\/officer\/plan\/edit"/)
    expect(html).toContain('action="/officer/plan/items/plan-2020-16/move"')
    expect(html).toContain('action="/officer/plan/items/plan-2020-16/delete"')
    expect(html).toContain('href="/officer/plan/export?year=2020&amp;format=csv"')
    // The first item cannot move up, the last cannot move down.
    expect(html.match(/name="direction" value="up"/g)).toHaveLength(18)
    expect(html.match(/name="direction" value="down"/g)).toHaveLength(18)
    // The htmx year form gets the list alone, from the same partial.
    const frag = await t.app.request('/officer/plan/edit?year=2020', {
      headers: { Cookie: admin, 'HX-Request': 'true' },
    })
    const part = await frag.text()
    expect(part).toMatch(/^\s*<section id="plan-edit-items"/)
    expect(part).not.toContain('<nav')
    // The copy form is in the fragment too, so it copies the year shown.
    expect(part).toContain('name="from" value="2020"')
  })

  it('should create an item from a plain form post, at the end of the year', async () => {
    const res = await post('/officer/plan/items', {
      year: '2020',
      number: '20',
      measure: 'Навчання нових працівників',
      deadlineText: 'Протягом\r\nроку',
      responsible: 'Уповноважена особа',
      doneText: '',
      covers: ['protection', 'investigations'],
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/officer/plan/edit?year=2020&done=saved#plan-2020-20')
    expect(await (await get('/officer/plan/edit?year=2020&done=saved')).text()).toContain(
      'Пункт збережено.'
    )
    const item = await t.store.plan.get('plan-2020-20')
    expect(item).toMatchObject({
      year: 2020,
      number: '20',
      deadlineText: 'Протягом\nроку',
      covers: ['protection', 'investigations'],
      position: 20,
    })
    // Without a number, and a number taken already: new ids, never an old item overwritten.
    await post('/officer/plan/items', {
      year: '2020',
      number: '',
      measure: 'Без номера',
      deadlineText: '',
      responsible: '',
      doneText: '',
    })
    await post('/officer/plan/items', {
      year: '2020',
      number: '1',
      measure: 'Ще один перший',
      deadlineText: '',
      responsible: '',
      doneText: '',
    })
    expect((await t.store.plan.get('plan-2020-1'))?.measure).not.toBe('Ще один перший')
    expect((await t.store.plan.get('plan-2020-1-2'))?.measure).toBe('Ще один перший')
    expect((await t.store.plan.get('plan-2020-u'))?.number).toBe('')
    expect(await actions()).toEqual(['plan.item.create', 'plan.item.create', 'plan.item.create'])

    const bad = await post('/officer/plan/items', {
      year: '2020',
      number: 'x',
      measure: '',
      deadlineText: '',
      responsible: '',
      doneText: '',
    })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('захід обов’язковий')
    expect(await t.store.plan.listYear(2020)).toHaveLength(22)
  })

  it('should edit an item, the account of what was done included, keeping its id and links', async () => {
    const form = await (await get('/officer/plan/items/plan-2020-16')).text()
    expect(form).toContain('name="covers" value="protection" checked')
    const res = await post('/officer/plan/items/plan-2020-16', {
      number: '16',
      measure: 'Захист викривачів',
      deadlineText: 'Протягом року',
      responsible: 'Відділ',
      doneText: 'Проведено 3 заходи.',
      covers: 'protection',
    })
    expect(res.status).toBe(303)
    expect(await t.store.plan.get('plan-2020-16')).toMatchObject({
      measure: 'Захист викривачів',
      doneText: 'Проведено 3 заходи.',
      covers: ['protection'],
      position: 16,
    })
    const audit = (await t.store.audit.range(1, 10)).at(-1)
    expect(audit).toMatchObject({ action: 'plan.item.update', subjectId: 'plan-2020-16' })
    expect(
      (
        await post('/officer/plan/items/plan-2020-99', {
          number: '',
          measure: 'x',
          deadlineText: '',
          responsible: '',
          doneText: '',
        })
      ).status
    ).toBe(404)
  })

  it('should print the edited account of what was done in the annual report', async () => {
    const before = (await t.store.plan.get('plan-2020-3'))!
    const report = async () =>
      (await get('/management/report/2020.json')).json() as Promise<{
        rows: { doneText?: string; figures: string[] }[]
      }>
    expect(JSON.stringify(await report())).toContain(JSON.stringify(before.doneText).slice(1, 40))
    await post('/officer/plan/items/plan-2020-3', {
      number: before.number,
      measure: before.measure,
      deadlineText: before.deadlineText,
      responsible: before.responsible,
      doneText: 'Проведено нове навчання для 40 працівників.',
    })
    const after = JSON.stringify(await report())
    expect(after).toContain('Проведено нове навчання для 40 працівників.')
    expect(after).not.toContain(JSON.stringify(before.doneText).slice(1, 40))
  })

  it('should refuse a save over a change made after the form was opened, and say so', async () => {
    const stampOf = async (res: Response) =>
      /name="stamp" value="([0-9a-f]{32})"/.exec(await res.text())?.[1] ?? ''
    const opened = await stampOf(await get('/officer/plan/items/plan-2020-5'))
    expect(opened).toHaveLength(32)
    const fields = (doneText: string, stamp: string) => ({
      number: '5',
      measure: 'Захід п’ятий',
      deadlineText: '',
      responsible: '',
      doneText,
      stamp,
    })
    // Someone else saves first, from the same form…
    expect(
      (await post('/officer/plan/items/plan-2020-5', fields('Перший варіант', opened))).status
    ).toBe(303)
    // …and the second save, from the older form, is stopped with both texts shown.
    const refused = await post('/officer/plan/items/plan-2020-5', fields('Другий варіант', opened))
    expect(refused.status).toBe(409)
    const html = await refused.text()
    expect(html).toContain('цей пункт змінив хтось інший')
    expect(html).toContain('Перший варіант')
    expect(html).toContain('Другий варіант')
    expect((await t.store.plan.get('plan-2020-5'))?.doneText).toBe('Перший варіант')
    const again = /name="stamp" value="([0-9a-f]{32})"/.exec(html)?.[1] ?? ''
    expect(again).not.toBe(opened)
    expect(
      (await post('/officer/plan/items/plan-2020-5', fields('Другий варіант', again))).status
    ).toBe(303)
    expect((await t.store.plan.get('plan-2020-5'))?.doneText).toBe('Другий варіант')
  })

  it('should move items up and down with plain posts', async () => {
    expect((await post('/officer/plan/items/plan-2020-3/move', { direction: 'up' })).status).toBe(
      303
    )
    expect((await numbers()).slice(0, 4)).toEqual(['1', '3', '2', '4'])
    await post('/officer/plan/items/plan-2020-1/move', { direction: 'down' })
    expect((await numbers()).slice(0, 4)).toEqual(['3', '1', '2', '4'])
    // The ends stay put.
    await post('/officer/plan/items/plan-2020-3/move', { direction: 'up' })
    await post('/officer/plan/items/plan-2020-19/move', { direction: 'down' })
    expect((await numbers()).slice(0, 2)).toEqual(['3', '1'])
    expect((await t.store.plan.listYear(2020)).map((i) => i.position)).toEqual(
      Array.from({ length: 19 }, (_, i) => i + 1)
    )
    expect((await post('/officer/plan/items/plan-2020-3/move', { direction: 'left' })).status).toBe(
      422
    )
  })

  it('should delete an item no case links to, and refuse naming how many cases do', async () => {
    await linkCase('plan-2020-10')
    const refused = await post('/officer/plan/items/plan-2020-10/delete', {})
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('пов’язано справ — 1')
    expect(await t.store.plan.get('plan-2020-10')).not.toBeNull()

    const res = await post('/officer/plan/items/plan-2020-2/delete', {})
    expect(res.status).toBe(303)
    expect(await t.store.plan.get('plan-2020-2')).toBeNull()
    const items = await t.store.plan.listYear(2020)
    expect(items.map((i) => i.position)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1))
    expect(await actions()).toContain('plan.item.delete')
  })

  it('should copy the plan to the next year with accounts emptied, asking before replacing', async () => {
    const res = await post('/officer/plan/copy', { from: '2020', to: '2021' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Скопійовано пунктів: 19 до плану 2021 року.')
    const copied = await t.store.plan.listYear(2021)
    const original = await t.store.plan.listYear(2020)
    expect(copied.map((i) => i.id)).toEqual(original.map((i) => i.id.replace('2020', '2021')))
    expect(copied.map((i) => i.measure)).toEqual(original.map((i) => i.measure))
    expect(copied.every((i) => i.doneText === '' && i.year === 2021)).toBe(true)
    expect(original.every((i) => i.doneText !== '')).toBe(true)

    await t.store.plan.put({ ...copied[0]!, doneText: 'вже почали' })
    const asked = await post('/officer/plan/copy', { from: '2020', to: '2021' })
    expect(asked.status).toBe(409)
    const html = await asked.text()
    expect(html).toContain('План 2021 року вже має пунктів: 19.')
    expect(html).toContain('name="confirm" value="2021"')
    expect((await t.store.plan.get('plan-2021-1'))?.doneText).toBe('вже почали')
    // An item of 2021 that a case links to, and the copy lacks, stops the replacement.
    await t.store.plan.put({ ...copied[0]!, id: 'plan-2021-extra', number: '', position: 20 })
    await linkCase('plan-2021-extra')
    const kept = await post('/officer/plan/copy', { from: '2020', to: '2021', confirm: '2021' })
    expect(kept.status).toBe(409)
    expect(await kept.text()).toContain('пов’язані справи (plan-2021-extra)')
    expect((await t.store.plan.get('plan-2021-1'))?.doneText).toBe('вже почали')
    await t.store.plan.put({ ...copied[0]!, id: 'plan-2021-extra', year: 2020, position: 20 })
    await post('/officer/plan/copy', { from: '2020', to: '2021', confirm: '2021' })
    expect((await t.store.plan.get('plan-2021-1'))?.doneText).toBe('')
    expect((await t.store.audit.range(1, 10)).filter((e) => e.action === 'plan.copy')).toHaveLength(
      2
    )
  })

  it('should let officers read the plan but not change it, and keep management out', async () => {
    const manager = await loginAs(t, (await addStaff(t.store, { roles: ['management'] })).account)
    expect((await get('/officer/plan', officer)).status).toBe(200)
    expect(await (await get('/officer/plan', officer)).text()).not.toContain('/officer/plan/edit')
    for (const cookie of [officer, manager]) {
      expect((await get('/officer/plan/edit', cookie)).status).toBe(403)
      expect((await get('/officer/plan/items/plan-2020-1', cookie)).status).toBe(403)
      expect((await get('/officer/plan/export?year=2020&format=json', cookie)).status).toBe(403)
      expect((await post('/officer/plan/items/plan-2020-1/delete', {}, cookie)).status).toBe(403)
      expect(
        (await post('/officer/plan/items/plan-2020-1/move', { direction: 'down' }, cookie)).status
      ).toBe(403)
      expect((await post('/officer/plan/copy', { from: '2020', to: '2021' }, cookie)).status).toBe(
        403
      )
    }
    expect(await numbers()).toHaveLength(19)
    expect(await t.store.plan.years()).toEqual([2020])
  })
})
