// A year's plan downloaded as JSON or CSV and imported back unchanged, and imported from DOCX
// tables as the `docx` package and LibreOffice write them (test/fixtures/plan-2020-*.docx, made
// by tools/scripts/plan-docx-fixtures.ts).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { planSample } from '../../src/plan/samples'
import type { PlanItem } from '../../src/store/types'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { planDocx, planRows } from '../helpers/plan-docx'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs } from '../helpers/staff'

const sample = planSample(2020)!
const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures', name))

let t: TestApp
let admin = ''
beforeEach(async () => {
  t = await makeTestApp()
  admin = await loginAs(t, (await addStaff(t.store, { roles: ['admin'] })).account)
})
afterEach(async () => {
  await t.close()
})

function upload(
  format: string,
  file: Uint8Array | string,
  name: string,
  fields: Record<string, string> = {}
) {
  const form = new FormData()
  form.set('format', format)
  form.set('year', '')
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  form.set('file', new File([typeof file === 'string' ? file : Buffer.from(file)], name))
  return t.app.request('/officer/plan/import', {
    method: 'POST',
    body: form,
    headers: { Origin: TEST_ORIGIN, Cookie: admin },
  })
}

async function download(format: 'json' | 'csv', year = 2020) {
  const res = await t.app.request(`/officer/plan/export?year=${year}&format=${format}`, {
    headers: { Cookie: admin },
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Disposition')).toBe(
    `attachment; filename="plan-${year}.${format}"`
  )
  const bytes = new Uint8Array(await res.arrayBuffer())
  // CSV starts with a byte order mark, so spreadsheets read it as UTF-8.
  expect(Array.from(bytes.slice(0, 3))).toEqual(
    format === 'csv' ? [0xef, 0xbb, 0xbf] : [0x7b, 0x0a, 0x20]
  )
  return new TextDecoder().decode(bytes)
}

/** The sample with cells a CSV must quote or guard: commas, quotes, line breaks, formulas. */
const awkward: PlanItem[] = sample.items.map((it, i) =>
  i === 0
    ? {
        ...it,
        measure: '=SUM(A1:A2), "лапки"\nі рядок',
        deadlineText: '-1',
        responsible: "'=",
        doneText: '',
      }
    : i === 1
      ? { ...it, covers: ['receiving-reports', 'protection'] }
      : it
)

describe('plan files', () => {
  for (const format of ['json', 'csv'] as const) {
    it(`should import a ${format.toUpperCase()} download back exactly`, async () => {
      for (const item of awkward) await t.store.plan.put(item)
      const file = await download(format)
      if (format === 'csv') {
        expect(
          file.startsWith('year,id,number,measure,deadlineText,responsible,doneText,covers\r\n')
        ).toBe(true)
        // A formula-like cell is guarded for spreadsheets.
        expect(file).toContain(`"'=SUM(A1:A2), ""лапки""\nі рядок"`)
      } else {
        expect(JSON.parse(file)).toMatchObject({ year: 2020, items: { length: 19 } })
      }
      for (const item of awkward) await t.store.plan.delete(item.id)
      await t.store.plan.put({ ...awkward[3]!, id: 'plan-2020-stray', position: 99 })

      const res = await upload(format, file, `plan-2020.${format}`)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('Імпортовано пунктів: 19.')
      expect(await t.store.plan.listYear(2020)).toEqual(awkward)
      const entry = (await t.store.audit.range(1, 10)).at(-1)
      expect(entry).toMatchObject({
        action: 'plan.import',
        details: { year: 2020, items: 19, format },
      })
    })
  }

  it('should import a file as another year only once confirmed, with that year’s ids', async () => {
    for (const item of sample.items) await t.store.plan.put(item)
    const file = await download('csv')
    const asked = await upload('csv', file, 'plan.csv', { year: '2021' })
    expect(asked.status).toBe(422)
    const html = await asked.text()
    expect(html).toContain('data-detected-year="2020"')
    // The CSV comes back in the text box, so confirming needs no new upload.
    expect(html).toContain('year,id,number')
    expect(await t.store.plan.years()).toEqual([2020])
    expect(
      (await upload('csv', file, 'plan.csv', { year: '2021', confirmYear: '2021' })).status
    ).toBe(200)
    const copied = await t.store.plan.listYear(2021)
    expect(copied.map((i) => i.id)).toEqual(sample.items.map((i) => i.id.replace('2020', '2021')))
  })

  for (const name of ['plan-2020-docx.docx', 'plan-2020-libreoffice.docx']) {
    it(`should import the 19 items of the 2020 plan from ${name}, in order`, async () => {
      const res = await upload('docx', fixture(name), name)
      expect(res.status).toBe(200)
      // The year came from the title above the table.
      expect(await res.text()).toContain('Рік плану: 2020.')
      expect(await t.store.plan.listYear(2020)).toEqual(sample.items)
    })
  }

  it('should not import a plan that drops an item a case links to', async () => {
    for (const item of sample.items) await t.store.plan.put(item)
    await t.store.plan.put({ ...sample.items[0]!, id: 'plan-2020-extra', position: 20 })
    // A report needs a certified officer to be sealed to.
    await addStaff(t.store, { roles: ['officer'] })
    const report = await submitClientReport(t, 'linked to the extra item')
    const c = await t.store.cases.get(report.caseId)
    await t.store.cases.update(
      report.caseId,
      c!.version,
      { planItemIds: ['plan-2020-extra'] },
      new Date()
    )
    const res = await upload('docx', fixture('plan-2020-docx.docx'), 'plan.docx')
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('пов’язані справи (plan-2020-extra)')
    expect(await t.store.plan.listYear(2020)).toHaveLength(20)
  })

  it('should read merged and multi-paragraph cells of a DOCX table', async () => {
    const [header] = planRows([])
    const doc = await planDocx('План заходів на 2022 рік', [
      header!,
      [{ text: 'Розділ 1. Організаційні заходи', columnSpan: 5 }],
      [
        { text: '1.' },
        { text: 'Перший захід,\nу двох абзацах' },
        { text: 'Протягом року', rowSpan: 2 },
        { text: 'Уповноважена особа' },
        { text: 'Виконано' },
      ],
      [{ text: '1.1' }, { text: 'Другий захід' }, { text: 'Відділ кадрів' }, { text: '' }],
      [{ text: '' }, { text: 'Без номера' }, { text: 'Грудень' }, { text: '' }, { text: '' }],
    ])
    const res = await upload('docx', doc, 'plan.docx')
    expect(res.status).toBe(200)
    const items = await t.store.plan.listYear(2022)
    expect(items.map((i) => [i.id, i.number, i.measure, i.deadlineText, i.responsible])).toEqual([
      ['plan-2022-1', '1', 'Перший захід,\nу двох абзацах', 'Протягом року', 'Уповноважена особа'],
      ['plan-2022-1.1', '1.1', 'Другий захід', 'Протягом року', 'Відділ кадрів'],
      ['plan-2022-2', '', 'Без номера', 'Грудень', ''],
    ])
  })

  it('should refuse a file that is not a plan in the chosen format', async () => {
    const txt = fixture('plan-2020-report.txt')
    for (const format of ['docx', 'json', 'csv']) {
      const res = await upload(format, txt, 'report.txt')
      expect(res.status, format).toBe(422)
      expect(await res.text()).toContain('Файл не вдалося прочитати у вибраному форматі.')
    }
    // The report's text is still read as text, from a file as from the text box.
    expect((await upload('text', txt, 'report.txt')).status).toBe(200)
    expect(await t.store.plan.listYear(2020)).toEqual(sample.items)
  })
})
