// The seed, reproduced: the 2020 report generated from the shipped plan (and a few cases linked
// to its measures) carries the plan table item by item — number, measure, deadline, responsible,
// account — in every format, and the system's figures after the accounts of the measures that
// cover case work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run'
import type { AnnualReportModel } from '../../src/reports/annual/model'
import { planSample } from '../../src/plan/samples'
import type { Anonymity, CaseState, Channel, Outcome } from '../../src/domain/vocab'
import type { StoredClock } from '../../src/store/types'
import { makeTestApp, type TestApp } from '../helpers/app'
import { docxFirstTable, docxTables, docxText, htmlTable, parseCsv } from '../helpers/report-tables'
import { addStaff, loginAs } from '../helpers/staff'

const sample = planSample(2020)!
const plan = sample.items

let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await makeTestApp({
    now: new Date('2021-01-20T09:00:00Z'),
    env: { ORG_NAME: 'Покровська міська рада' },
  })
  for (const item of plan) await t.store.plan.put(item)
  const day = (iso: string) => new Date(`${iso}T08:00:00Z`)
  const met = (kind: string, from: string, due: string, at: string): StoredClock => ({
    kind,
    startedAt: day(from),
    dueAt: day(due),
    metAt: day(at),
  })
  const cases: [
    string,
    Channel,
    Anonymity,
    CaseState,
    Outcome | undefined,
    string[],
    StoredClock[],
  ][] = [
    // Three website reports (two anonymous), one by phone; one reviewed late, one investigated.
    [
      'c1',
      'web',
      'anonymous',
      'closed',
      'confirmed',
      ['plan-2020-15', 'plan-2020-10'],
      [
        met('acknowledge', '2020-03-02', '2020-03-09', '2020-03-03'),
        met('preliminary-review', '2020-03-02', '2020-03-16', '2020-03-10'),
        met('investigation', '2020-03-10', '2020-04-09', '2020-04-01'),
      ],
    ],
    [
      'c2',
      'web-nojs',
      'anonymous',
      'closed',
      'left-without-consideration',
      ['plan-2020-15'],
      [
        met('acknowledge', '2020-05-04', '2020-05-11', '2020-05-05'),
        met('preliminary-review', '2020-05-04', '2020-05-18', '2020-05-25'),
      ],
    ],
    [
      'c3',
      'web',
      'confidential',
      'referred',
      undefined,
      ['plan-2020-15'],
      [
        met('acknowledge', '2020-09-01', '2020-09-08', '2020-09-01'),
        met('preliminary-review', '2020-09-01', '2020-09-15', '2020-09-10'),
        met('refer', '2020-09-10', '2020-09-11', '2020-09-10'),
      ],
    ],
    ['c4', 'phone', 'confidential', 'received', undefined, [], []],
  ]
  for (const [id, channel, anonymity, state, outcome, planItemIds, clocks] of cases) {
    const receivedAt = clocks[0]?.startedAt ?? day('2020-11-02')
    await t.store.cases.create({
      id,
      channel,
      anonymity,
      encMode: 'client',
      state,
      outcome,
      tags: [],
      planItemIds,
      casePublicKey: 'AAAA',
      receivedAt,
      createdAt: receivedAt,
      clocks,
      ...(id === 'c3' ? { referral: { body: 'nabu' as const, at: day('2020-09-10') } } : {}),
      protectionMeasures:
        id === 'c3'
          ? [
              {
                id: 'm1',
                kind: 'confidentiality',
                takenOn: '2020-09-02',
                outcome: 'effective',
                recordedBy: 'o',
                recordedAt: receivedAt,
              },
            ]
          : [],
    })
  }
  const boss = await addStaff(t.store, { roles: ['management'] })
  cookie = await loginAs(t, boss.account)
})
afterAll(async () => {
  await t.close()
})

async function get(path: string) {
  const res = await t.app.request(path, { headers: { Cookie: cookie } })
  expect(res.status, path).toBe(200)
  return res
}

/** The imported plan as the report's five columns; the account followed by the figures. */
function expectedRows(model: AnnualReportModel): string[][] {
  return plan.map((item, i) => {
    const figures = model.rows[i]!.figures
    return [
      item.number,
      item.measure,
      item.deadlineText,
      item.responsible,
      [item.doneText, ...figures].join('\n'),
    ]
  })
}

describe('the 2020 report from the shipped plan', () => {
  let model: AnnualReportModel
  beforeAll(async () => {
    model = (await (await get('/management/report/2020.json')).json()) as AnnualReportModel
  })

  it('keeps every measure of the plan, in order, with the figures after the covered ones', () => {
    expect(model.columns).toEqual([
      '№ з/п',
      'Заплановані заходи',
      'Термін виконання',
      'Відповідальні особи',
      'Про проведений захід',
    ])
    expect(model.rows.map((r) => [r.number, r.measure, r.deadline, r.responsible, r.done])).toEqual(
      plan.map((i) => [i.number, i.measure, i.deadlineText, i.responsible, i.doneText])
    )
    const figures = (id: string) => model.rows.find((r) => r.id === id)!.figures.join(' ')
    // Item 15 (reports through the website): 4 reports, 3 of them through the website, 2 anonymous.
    expect(figures('plan-2020-15')).toContain(
      'за 2020 рік надійшло 4 повідомлення, з них через офіційний веб-сайт — 3, анонімно — 2;'
    )
    expect(figures('plan-2020-15')).toContain(
      'попередньо розглянуто 3 повідомлення, з них у встановлений строк — 2;'
    )
    expect(figures('plan-2020-15')).toContain('до компетентних органів передано 1 повідомлення;')
    expect(figures('plan-2020-15')).toContain('з них до: НАБУ — 1;')
    // Linked cases per measure are a breakdown: 3 is below the threshold.
    expect(figures('plan-2020-15')).toContain('з цим заходом пов’язано менше 5 повідомлень.')
    expect(figures('plan-2020-10')).toContain(
      'розпочато 1 службове розслідування, строк продовжено — 0, завершено — 1 (факти підтвердилися — 1);'
    )
    expect(figures('plan-2020-16')).toContain(
      'записано 1 захід захисту викривачів, з них застосовано — 1.'
    )
    // Measures without case work keep only their account.
    expect(model.rows.filter((r) => r.figures.length > 0).map((r) => r.id)).toEqual([
      'plan-2020-10',
      'plan-2020-15',
      'plan-2020-16',
    ])
    // The year's totals are exact; the quarters small-count suppressed, zero as 0.
    expect(model.summary[0]).toEqual({ label: 'Надійшло повідомлень', value: '4', previous: '0' })
    expect(model.quarters.map((q) => q.received)).toEqual(['< 5', '< 5', '< 5', '< 5'])
  })

  it('has the same plan table in the HTML page, which prints on A4 landscape', async () => {
    const res = await get('/management/report/2020')
    const html = await res.text()
    expect(htmlTable(html, 'plan')).toEqual(expectedRows(model))
    expect(html).toContain('<h1>ВИКОНАННЯ ПЛАНУ')
    expect(html).toContain('href="/management/annual-report.css"')
    const css = await (await get('/management/annual-report.css')).text()
    expect(css).toContain('@page { size: A4 landscape;')
    expect(html).not.toContain('c1')
  })

  it('has the same plan table in the DOCX, on landscape A4', async () => {
    const res = await get('/management/report/2020.docx')
    expect(res.headers.get('Content-Disposition')).toBe(
      'attachment; filename="annual-report-2020.docx"'
    )
    const docx = new Uint8Array(await res.arrayBuffer())
    const [header, ...rows] = docxFirstTable(docx)
    expect(header).toEqual(model.columns)
    expect(rows).toEqual(expectedRows(model))
    const text = docxText(docx)
    expect(text).toContain('Покровська міська рада')
    expect(text).toContain('Показники системи повідомлень за 2020 рік')
    const { unzipSync, strFromU8 } = await import('fflate')
    const xml = strFromU8(unzipSync(docx)['word/document.xml']!)
    expect(xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/)
  })

  it('has the same plan table in the CSV, figures in a sixth column', async () => {
    const csv = await (await get('/management/report/2020.csv')).text()
    const [header, ...rows] = parseCsv(csv)
    expect(header).toEqual([...model.columns, 'Показники системи повідомлень'])
    expect(rows.map((r) => [...r.slice(0, 4), [r[4], r[5]].filter(Boolean).join('\n')])).toEqual(
      expectedRows(model)
    )
  })

  it('answers 404 for a year without a plan or cases, and for other files', async () => {
    for (const path of [
      '/management/report/2017',
      '/management/report/2020.pdf',
      '/management/report/x',
    ]) {
      const res = await t.app.request(path, { headers: { Cookie: cookie } })
      expect(res.status, path).toBe(404)
    }
  })

  it('records each export in the audit trail', async () => {
    // Its own downloads, so the test does not lean on the others having run first.
    for (const file of ['2020', '2020.docx', '2020.csv', '2020.json']) {
      const res = await t.app.request(`/management/report/${file}`, { headers: { Cookie: cookie } })
      expect(res.status, file).toBe(200)
    }
    const entries = (await t.store.audit.range(1, 1000)).filter((e) => e.action === 'report.annual')
    expect(entries.map((e) => e.details.format)).toEqual(
      expect.arrayContaining(['json', 'html', 'docx', 'csv'])
    )
    expect(entries.every((e) => e.actorRole === 'management')).toBe(true)
  })
})

describe('the public variant of the 2020 report', () => {
  // The fixture's 2020: 4 reports (3 through the website, 2 anonymous), 3 reviewed (2 on time),
  // 1 referred (to NABU), 1 investigation (confirmed), 1 protection measure (applied); 3 cases
  // linked to item 15. With k = 5 the public copy hides every one of those counts that is about
  // a split of the year, an investigation or a protection measure, and nothing else.
  const hiddenSentences = [
    'за 2020 рік надійшло 4 повідомлення, з них через офіційний веб-сайт — менше 5, анонімно — менше 5;',
    'попередньо розглянуто 3 повідомлення, з них у встановлений строк — 2;',
    'до компетентних органів передано 1 повідомлення;',
    'з них до: НАБУ — менше 5;',
    'з цим заходом пов’язано менше 5 повідомлень.',
  ]
  const investigations =
    'розпочато менше 5 службових розслідувань, строк продовжено — 0, завершено — менше 5 (факти підтвердилися — менше 5);'
  const protection = 'записано менше 5 заходів захисту викривачів, з них застосовано — менше 5.'
  /** label → [2020, 2019] as the summary table shows them. */
  const hiddenSummary: Record<string, [string, string]> = {
    'Надійшло повідомлень': ['4', '0'],
    'з них через офіційний веб-сайт': ['< 5', '0'],
    анонімно: ['< 5', '0'],
    'конфіденційно (з іменем)': ['< 5', '0'],
    'Попередніх перевірок завершено': ['3', '0'],
    'Передано до компетентних органів': ['1', '0'],
  }
  let pub: AnnualReportModel
  let internal: AnnualReportModel
  beforeAll(async () => {
    pub = (await (
      await get('/management/report/2020.json?variant=public')
    ).json()) as AnnualReportModel
    internal = (await (await get('/management/report/2020.json')).json()) as AnnualReportModel
  })
  const sentences = (m: AnnualReportModel, id: string) =>
    m.rows.find((r) => r.id === id)!.figures.join('\n')

  it('hides exactly the counts that could point at a person, in words in the sentences', () => {
    expect(pub.variant).toBe('public')
    expect(pub.variantLabel).toBe('ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ')
    for (const line of hiddenSentences) expect(sentences(pub, 'plan-2020-15')).toContain(line)
    expect(sentences(pub, 'plan-2020-10')).toContain(investigations)
    expect(sentences(pub, 'plan-2020-16')).toContain(protection)
    const summary = Object.fromEntries(pub.summary.map((l) => [l.label, [l.value, l.previous]]))
    expect(summary).toMatchObject(hiddenSummary)
    expect(summary['Розпочато службових розслідувань']).toEqual(['< 5', '0'])
    expect(summary['Заходів захисту викривачів записано']).toEqual(['< 5', '0'])
    expect(summary['з них застосовано']).toEqual(['< 5', '0'])
    // What the council did, and how fast, is exact in both variants.
    for (const exact of ['Строків дотримано', 'Отримання підтверджено вчасно', 'з них вчасно']) {
      const own = internal.summary.find((l) => l.label === exact)!
      expect(summary[exact], exact).toEqual([own.value, own.previous])
      expect(own.value, exact).toMatch(/^\d+ з \d+/)
    }
    expect(pub.quarters.map((q) => q.received)).toEqual(['< 5', '< 5', '< 5', '< 5'])
    expect(pub.notes[0]).toMatch(/^Версія для оприлюднення: числа від 1 до 4 показано як «менше 5»/)
    // The plan's own text is the same in both; only the system's figures differ.
    expect(pub.rows.map((r) => r.done)).toEqual(internal.rows.map((r) => r.done))
  })

  it('leaves management’s internal copy exact', () => {
    expect(internal.variant).toBe('internal')
    expect(internal.variantLabel).toBe('ДЛЯ ВНУТРІШНЬОГО ВИКОРИСТАННЯ')
    expect(sentences(internal, 'plan-2020-15')).toContain(
      'за 2020 рік надійшло 4 повідомлення, з них через офіційний веб-сайт — 3, анонімно — 2;'
    )
    expect(sentences(internal, 'plan-2020-10')).toContain('розпочато 1 службове розслідування')
    const summary = Object.fromEntries(internal.summary.map((l) => [l.label, l.value]))
    expect(summary['анонімно']).toBe('2')
    expect(JSON.stringify(internal)).not.toContain('менше 5 службових')
  })

  it('is the same document in HTML, DOCX and CSV, labelled as the public version', async () => {
    const html = await (await get('/management/report/2020?variant=public')).text()
    expect(html).toContain('<p class="variant variant-public">ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ</p>')
    const figureCells = (rows: string[][]) => rows.map((r) => r[4]).join('\n')
    const htmlPlan = htmlTable(html, 'plan')
    for (const line of [...hiddenSentences, investigations, protection]) {
      expect(figureCells(htmlPlan)).toContain(line)
    }
    expect(htmlTable(html, 'summary').map((r) => r.slice(0, 3))).toEqual(
      pub.summary.map((l) => [l.label, l.value, l.previous])
    )
    // The page offers the other variant and this variant's files.
    expect(html).toContain('href="/management/report/2020.docx?variant=public"')
    expect(html).toContain('href="/management/report/2020"')

    const res = await get('/management/report/2020.docx?variant=public')
    expect(res.headers.get('Content-Disposition')).toBe(
      'attachment; filename="annual-report-2020-public.docx"'
    )
    const docx = new Uint8Array(await res.arrayBuffer())
    expect(docxText(docx)).toContain('ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ')
    const [plan, summary, quarters] = docxTables(docx)
    const docxPlan = plan!.slice(1)
    for (const line of [...hiddenSentences, investigations, protection]) {
      expect(figureCells(docxPlan)).toContain(line)
    }
    expect(summary!.slice(1)).toEqual(pub.summary.map((l) => [l.label, l.value, l.previous]))
    expect(quarters![1]).toEqual(['< 5', '< 5', '< 5', '< 5'])

    const rows = parseCsv(await (await get('/management/report/2020.csv?variant=public')).text())
    for (const line of [...hiddenSentences, investigations, protection]) {
      expect(rows.map((r) => r[5]).join('\n')).toContain(line)
    }
    expect(rows.at(-1)![0]).toBe('ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ')
    expect(rows.at(-1)![5]).toContain('Версія для оприлюднення')
    // The internal CSV has no such row: its last row is the plan's last measure.
    const own = parseCsv(await (await get('/management/report/2020.csv')).text())
    expect(own.at(-1)![1]).toBe(plan!.at(-1)![1])
  })

  it('is offered beside the internal copy on the dashboard, each with its files', async () => {
    const html = await (await get('/management?year=2020')).text()
    expect(html).toContain('<strong>для внутрішнього використання</strong>')
    expect(html).toContain('<strong>для оприлюднення</strong>')
    for (const f of ['', '.docx', '.csv', '.json']) {
      expect(html).toContain(`href="/management/report/2020${f}"`)
      expect(html).toContain(`href="/management/report/2020${f}?variant=public"`)
    }
  })

  it('refuses an unknown variant with a clear message', async () => {
    const res = await t.app.request('/management/report/2020.csv?variant=secret', {
      headers: { Cookie: cookie },
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('internal, public')
  })
})

describe('portal report:annual', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portal-annual-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function portal(...args: string[]) {
    const out: string[] = []
    const err: string[] = []
    const env = { DATA_DIR: dir, PUBLIC_URL: 'https://report.example.org' }
    const code = await runCli(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  it('writes the shipped 2020 plan as the report, in every format', async () => {
    expect((await portal('plan:import', '--sample', '2020')).code).toBe(0)
    for (const format of ['docx', 'html', 'csv', 'json']) {
      const file = join(dir, `r.${format}`)
      const r = await portal('report:annual', '--year', '2020', '--format', format, '--out', file)
      expect(r, format).toMatchObject({
        code: 0,
        out: `${file}: 19 plan items of 2020 (${format})`,
      })
    }
    const [, ...rows] = docxFirstTable(new Uint8Array(readFileSync(join(dir, 'r.docx'))))
    // No cases: no figures but "0" totals; the plan's columns as imported.
    expect(rows.map((r) => r.slice(0, 4))).toEqual(
      plan.map((i) => [i.number, i.measure, i.deadlineText, i.responsible])
    )
    expect(rows[14]![4]).toContain('за 2020 рік надійшло 0 повідомлень')
    // The file stands alone: its stylesheet is inline.
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('<style>')
    expect(
      (await portal('report:annual', '--year', '2020', '--format', 'pdf', '--out', 'x')).code
    ).toBe(2)
    const pub = join(dir, 'public.docx')
    expect(
      await portal(
        'report:annual',
        '--year',
        '2020',
        '--format',
        'docx',
        '--out',
        pub,
        '--variant',
        'public'
      )
    ).toMatchObject({ code: 0, out: `${pub}: 19 plan items of 2020 (docx, public version)` })
    expect(docxText(new Uint8Array(readFileSync(pub)))).toContain('ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ')
    expect(docxText(new Uint8Array(readFileSync(join(dir, 'r.docx'))))).toContain(
      'ДЛЯ ВНУТРІШНЬОГО ВИКОРИСТАННЯ'
    )
    expect(
      (
        await portal(
          'report:annual',
          '--year',
          '2020',
          '--format',
          'csv',
          '--out',
          'x',
          '--variant',
          'all'
        )
      ).code
    ).toBe(2)
  })
})
