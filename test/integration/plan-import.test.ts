// The 2020 plan of the seed report (kept in test/fixtures, public record) imported through the
// admin page and the CLI, the sample shipped in src/plan/samples, and the plan list officers see.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run'
import { planToCsv, planToJson } from '../../src/plan/files'
import { importPlan, parsePlan, planTitleOf, planYearOf } from '../../src/plan/import'
import { planSample } from '../../src/plan/samples'
import { openSqliteStore } from '../../src/store/sqlite'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addStaff, loginAs } from '../helpers/staff'

const REPORT = resolve(import.meta.dirname, '../fixtures/plan-2020-report.txt')
const seed = readFileSync(REPORT, 'utf8')

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

describe('the 2020 plan of the seed report', () => {
  it('should parse 17 numbered and 2 unnumbered items, items 10, 15 and 16 among them', () => {
    const items = parsePlan(seed, 2020)
    expect(items).toHaveLength(19)
    expect(items.map((i) => i.number)).toEqual([
      ...Array.from({ length: 17 }, (_, i) => String(i + 1)),
      '',
      '',
    ])
    // The unnumbered rows still get ids of their own, so cases can link to them.
    expect(items.slice(-2).map((i) => i.id)).toEqual(['plan-2020-18', 'plan-2020-19'])
    const byId = new Map(items.map((i) => [i.id, i]))
    expect(byId.get('plan-2020-10')?.measure).toMatch(/^Проведення службових розслідувань/)
    expect(byId.get('plan-2020-15')?.measure).toMatch(/повідомлень/)
    expect(byId.get('plan-2020-15')?.deadlineText).toBe('І півріччя 2020')
    expect(byId.get('plan-2020-16')?.measure).toMatch(/^Забезпечення захисту працівників/)
    expect(byId.get('plan-2020-16')?.deadlineText).toBe('Протягом року')
    expect(byId.get('plan-2020-19')?.deadlineText).toBe('Грудень\n2020р.')
    for (const item of items) {
      expect(item.measure, item.id).not.toBe('')
      expect(item.responsible, item.id).not.toBe('')
      expect(item.doneText, item.id).not.toBe('')
    }
    // Which case work each measure covers, from its wording.
    const covering = items.filter((i) => i.covers.length > 0)
    expect(covering.map((i) => [i.number, i.covers])).toEqual([
      ['10', ['investigations']],
      ['15', ['receiving-reports']],
      ['16', ['protection']],
    ])
    expect(planYearOf(seed)).toBe(2020)
  })

  it('should ship as the 2020 sample, exactly as the importer reads the report', () => {
    // Regenerate with: npx tsx tools/scripts/plan-sample.ts test/fixtures/plan-2020-report.txt
    expect(planSample(2020)).toEqual({
      year: 2020,
      title: planTitleOf(seed),
      items: parsePlan(seed, 2020),
    })
    expect(planSample(2020)?.title).toMatch(/за 2020 рік$/)
    expect(planSample(2019)).toBeUndefined()
  })

  it('should replace a year’s plan on re-import and keep ids stable', async () => {
    const first = await importPlan(t.store, seed, 2020)
    await t.store.plan.put({ ...first[0]!, id: 'plan-2020-99', number: '99' })
    const second = await importPlan(t.store, seed, 2020)
    expect(second.map((i) => i.id)).toEqual(first.map((i) => i.id))
    const stored = await t.store.plan.listYear(2020)
    expect(stored).toEqual(second)
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
    expect((await postImport({ text: seed, year: '2020' }, officerCookie)).status).toBe(403)
    expect((await t.app.request('/officer/plan/import')).status).toBe(303)

    const form = await t.app.request('/officer/plan/import', { headers: { Cookie: adminCookie } })
    expect(form.status).toBe(200)
    // Admins find the plan's management in the staff menu, and the import there.
    expect(await form.text()).toMatch(
      /<nav class="officer-menu"[\s\S]*href="\/officer\/plan\/edit"/
    )
    // The year comes from the title when the form leaves it empty.
    const res = await postImport({ text: seed, year: '' }, adminCookie)
    expect(res.status).toBe(200)
    const done = await res.text()
    expect(done).toContain('Імпортовано пунктів: 19.')
    expect(done).toContain('Рік плану: 2020.')
    expect(await t.store.plan.listYear(2020)).toHaveLength(19)
    const audit = await t.store.audit.range(1, 100)
    expect(audit.find((e) => e.action === 'plan.import')?.details).toEqual({
      year: 2020,
      items: 19,
      format: 'text',
    })

    const list = await (
      await t.app.request('/officer/plan', { headers: { Cookie: officerCookie } })
    ).text()
    expect(list).toContain('id="plan-2020-15"')
    expect(list).toContain('Забезпечення захисту працівників')
    // The unnumbered rows show no number (nor a stray full stop).
    expect(list).toContain('<h3><span class="plan-measure">Взаємодія з міжнародними')
    expect(list).not.toContain('<span class="plan-number">.</span>')
    expect(
      (await t.app.request('/officer/plan', { headers: { Cookie: adminCookie } })).status
    ).toBe(403)

    const empty = await postImport({ text: 'nothing here', year: '2020' }, adminCookie)
    expect(empty.status).toBe(422)
    expect(await t.store.plan.listYear(2020)).toHaveLength(19)
  })

  it('should warn when the chosen year is not the title’s, and import only once confirmed', async () => {
    const admin = await addStaff(t.store, { roles: ['admin'] })
    const cookie = await loginAs(t, admin.account)
    const warned = await postImport({ text: seed, year: '2021' }, cookie)
    expect(warned.status).toBe(422)
    const html = await warned.text()
    expect(html).toContain('data-detected-year="2020"')
    expect(html).toContain('У назві звіту зазначено 2020 рік, а обрано 2021.')
    expect(html).toContain('name="confirmYear" value="2021"')
    // The text comes back, so confirming does not mean pasting it again.
    expect(html).toContain('Забезпечення захисту працівників')
    expect(await t.store.plan.years()).toEqual([])

    // A confirmation for another year does not count.
    expect(
      (await postImport({ text: seed, year: '2021', confirmYear: '2022' }, cookie)).status
    ).toBe(422)
    const confirmed = await postImport({ text: seed, year: '2021', confirmYear: '2021' }, cookie)
    expect(confirmed.status).toBe(200)
    expect(await t.store.plan.years()).toEqual([2021])
  })
})

describe('portal plan:import', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portal-plan-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  async function portal(...args: string[]) {
    const out: string[] = []
    const err: string[] = []
    const env = { DATA_DIR: dir, PUBLIC_URL: 'https://report.example.org' }
    const code = await runCli(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  it('should import the shipped sample, or a report’s text, into the store', async () => {
    const sample = await portal('plan:import', '--sample', '2020')
    expect(sample).toMatchObject({ code: 0, out: 'imported 19 plan items of 2020' })
    const fromText = await portal('plan:import', '--file', REPORT, '--year', '2021')
    expect(fromText.code).toBe(0)
    expect(fromText.err).toContain("the report's title says 2020")
    const store = await openSqliteStore({ file: join(dir, 'portal.sqlite') })
    try {
      expect(await store.plan.listYear(2020)).toEqual(planSample(2020)?.items)
      expect((await store.plan.listYear(2021)).map((i) => i.measure)).toEqual(
        parsePlan(seed, 2020).map((i) => i.measure)
      )
      expect((await store.audit.range(1, 10)).map((e) => e.action)).toEqual([
        'plan.import',
        'plan.import',
      ])
    } finally {
      await store.close()
    }
    expect((await portal('plan:import', '--sample', '1999')).code).toBe(2)
    expect((await portal('plan:import')).code).toBe(2)
  })

  it('should import DOCX, JSON and CSV files, by extension or --format', async () => {
    const docx = resolve(import.meta.dirname, '../fixtures/plan-2020-libreoffice.docx')
    expect(await portal('plan:import', '--file', docx)).toMatchObject({
      code: 0,
      out: 'imported 19 plan items of 2020',
    })
    const json = join(dir, 'plan.json')
    writeFileSync(json, planToJson(2022, planSample(2020)!.items.slice(0, 3)))
    expect((await portal('plan:import', '--file', json)).out).toBe('imported 3 plan items of 2022')
    const csv = join(dir, 'plan.txt')
    writeFileSync(csv, planToCsv(planSample(2020)!.items.slice(0, 2)))
    const asCsv = await portal('plan:import', '--file', csv, '--format', 'csv', '--year', '2023')
    expect(asCsv).toMatchObject({ code: 0, out: 'imported 2 plan items of 2023' })
    expect((await portal('plan:import', '--file', docx, '--format', 'json')).code).toBe(1)
    expect((await portal('plan:import', '--file', docx, '--format', 'pdf')).code).toBe(2)
    const store = await openSqliteStore({ file: join(dir, 'portal.sqlite') })
    try {
      expect(await store.plan.listYear(2020)).toEqual(planSample(2020)?.items)
      expect((await store.plan.listYear(2023)).map((i) => i.id)).toEqual([
        'plan-2023-1',
        'plan-2023-2',
      ])
      // The JSON's items carried 2020's ids: they became 2022's, 2020's plan kept its own.
      expect((await store.plan.listYear(2022)).map((i) => i.id)).toEqual([
        'plan-2022-1',
        'plan-2022-2',
        'plan-2022-3',
      ])
      expect(await store.plan.years()).toEqual([2020, 2022, 2023])
    } finally {
      await store.close()
    }
  })
})
