// The registration journal through the app and the CLI: the officer's year with filters (page and
// fragment), bad filters answered clearly, CSV and DOCX with the same lines (the DOCX read back
// from its XML), only cases the officer holds a grant for, no content, and officers only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync, strFromU8 } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJournal } from '../../src/officer/journal'
import type { NewCase } from '../../src/store/types'
import { openSqliteStore } from '../../src/store/sqlite'
import { makeTestApp, type TestApp } from '../helpers/app'
import { run, CLI_JS } from '../helpers/proc'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'

let t: TestApp
let officer: TestStaff
let cookie: string

function newCase(id: string, receivedAt: string, extra: Partial<NewCase> = {}): NewCase {
  return {
    id,
    channel: 'web',
    anonymity: 'anonymous',
    encMode: 'client',
    state: 'received',
    tags: [],
    planItemIds: [],
    casePublicKey: `pk-${id}`,
    receivedAt: new Date(receivedAt),
    createdAt: new Date(receivedAt),
    clocks: [],
    ...extra,
  }
}

async function seed(store: TestApp['store'], grantee?: string) {
  const cases = [
    newCase('case-1', '2026-01-05T10:00:00Z', {
      registrationNo: '2026/0001',
      assigneeId: grantee,
      clocks: [
        {
          kind: 'acknowledge',
          startedAt: new Date('2026-01-05T10:00:00Z'),
          dueAt: new Date('2026-01-06T10:00:00Z'),
          metAt: new Date('2026-01-05T12:00:00Z'),
        },
        {
          kind: 'preliminary-review',
          startedAt: new Date('2026-01-05T12:00:00Z'),
          dueAt: new Date('2026-01-19T22:00:00Z'),
        },
      ],
    }),
    newCase('case-2', '2026-02-10T08:00:00Z', {
      channel: 'phone',
      anonymity: 'confidential',
      state: 'closed',
      outcome: 'not-confirmed',
      referral: {
        body: 'other',
        name: 'Державне бюро розслідувань',
        at: new Date('2026-02-12T08:00:00Z'),
      },
    }),
    newCase('case-2025', '2025-11-10T08:00:00Z'),
    newCase('not-mine', '2026-02-11T08:00:00Z'),
  ]
  for (const c of cases) {
    await store.cases.create(c)
    if (grantee && c.id !== 'not-mine') {
      await store.grants.put({
        caseId: c.id,
        granteeKind: 'officer',
        granteeId: grantee,
        sealedKey: new Uint8Array(80),
        createdAt: c.createdAt,
      })
    }
  }
}

beforeEach(async () => {
  t = await makeTestApp()
  officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Олена Коваль' })
  await seed(t.store, officer.account.id)
  cookie = await loginAs(t, officer.account)
})
afterEach(async () => {
  await t.close()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  t.app.request(path, { headers: { Cookie: cookie, ...headers } })
const lines = (html: string) => [...html.matchAll(/data-case="([^"]+)"/g)].map((m) => m[1])

/** The text of every table cell of a DOCX, row by row (w:tc → w:t runs). */
function docxTable(bytes: Uint8Array): string[][] {
  const xml = strFromU8(unzipSync(bytes)['word/document.xml']!)
  return [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
    [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) =>
      [...cell[0].matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
        .map((p) => [...p[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
        .join('\n')
    )
  )
}

describe('registration journal page', () => {
  it('shows the year of the officer’s cases in order of receipt, with deadlines and outcome', async () => {
    const res = await get('/officer/journal?year=2026')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(lines(html)).toEqual(['case-1', 'case-2'])
    expect(html).toContain('2026/0001')
    expect(html).toContain('Олена Коваль')
    expect(html).toContain('Підтвердити отримання викривачу: до')
    expect(html).toContain('виконано вчасно')
    expect(html).toContain('факти не підтвердилися')
    expect(html).toContain('aria-current="page"')
    // Years from the first report this officer can see to now.
    expect(html).toMatch(/<option value="2025"/)
  })

  it('filters (the fragment for htmx), and refuses values outside the lists', async () => {
    const frag = await get('/officer/journal?year=2026&state=closed&channel=&overdue=', {
      'HX-Request': 'true',
    })
    const part = await frag.text()
    expect(part.trimStart()).toMatch(/^(<% .* %>\s*)?<section id="journal-rows"/)
    expect(lines(part)).toEqual(['case-2'])
    expect(lines(await (await get('/officer/journal?year=2025')).text())).toEqual(['case-2025'])

    for (const q of ['state=open', 'channel=pigeon', 'year=abc', 'overdue=yes']) {
      const res = await get(`/officer/journal?${q}`)
      expect(res.status, q).toBe(400)
      expect(await res.text()).toContain('Фільтр не застосовано')
    }
  })

  it('exports the same lines as CSV and DOCX, in English on request', async () => {
    const csv = await get('/officer/journal/export.csv?year=2026')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('Content-Disposition')).toContain('journal-2026.csv')
    const rows = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(rows).toHaveLength(3)
    expect(rows[0]).toMatch(/^№ з\/п,Реєстраційний номер,Дата й час надходження,/)
    expect(rows[1]).toContain('2026/0001,2026-01-05 12:00,веб-форма,анонімне')
    expect(rows[1]).toContain('2026-01-06 12:00,2026-01-05 14:00,виконано вчасно')

    const docx = await get('/officer/journal/export.docx?year=2026&lang=en')
    expect(docx.headers.get('Content-Type')).toContain('wordprocessingml')
    const table = docxTable(new Uint8Array(await docx.arrayBuffer()))
    expect(table[0]).toEqual([
      'No.',
      'Registration number',
      'Received (date and time)',
      'Channel',
      'Anonymous or confidential',
      'State',
      'Deadlines and whether they were met',
      'Outcome',
      'Referred to',
      'Responsible officer',
      'Protection measures',
    ])
    expect(table.slice(1).map((r) => [r[0], r[1], r[3], r[7], r[8]])).toEqual([
      ['1', '2026/0001', 'web form', '—', '—'],
      ['2', 'not registered', 'phone', 'not confirmed', 'Державне бюро розслідувань'],
    ])
    expect(table[1]![6]).toContain('\n')
  })

  it('is the officers’ own: 403 for management, login for visitors', async () => {
    const boss = await addStaff(t.store, { roles: ['management'] })
    const as = await loginAs(t, boss.account)
    for (const path of ['/officer/journal', '/officer/journal/export.docx']) {
      expect((await t.app.request(path, { headers: { Cookie: as } })).status, path).toBe(403)
      expect((await t.app.request(path)).status, path).toBe(303)
    }
  })
})

describe('journal files', () => {
  it('refuses a DOCX longer than its limit with a clear error; CSV has none', async () => {
    const journal = createJournal({ store: t.store, clock: t.clock, docxMaxLines: 1 })
    const docx = await journal.file('docx', { year: 2026 }, {}, 'uk')
    expect(docx.ok).toBe(false)
    if (!docx.ok) expect(docx.error.message).toContain('3 lines are more than')
    expect((await journal.file('csv', { year: 2026 }, {}, 'uk')).ok).toBe(true)
    expect((await journal.file('docx', { year: 2025 }, {}, 'uk')).ok).toBe(true)
  })
})

describe('portal journal:export', () => {
  it('writes the whole organisation’s journal of a year, and explains bad flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-journal-'))
    try {
      const store = await openSqliteStore({ file: join(dir, 'portal.sqlite') })
      await seed(store)
      await store.close()
      const portal = async (...args: string[]) => {
        const p = run([CLI_JS, ...args], { DATA_DIR: dir })
        const { code } = await p.exited
        return { code, out: p.stdout(), err: p.stderr() }
      }
      const out = join(dir, 'j.docx')
      const ok = await portal('journal:export', '--year', '2026', '--format', 'docx', '--out', out)
      expect(ok.err).toBe('')
      expect(ok.code).toBe(0)
      expect(ok.out).toContain('3 line(s)')
      const table = docxTable(readFileSync(out))
      expect(table).toHaveLength(4)
      expect(table[0]![0]).toBe('№ з/п')

      const bad = await portal('journal:export', '--year', 'twenty', '--format', 'pdf')
      expect(bad.code).toBe(2)
      expect(bad.err).toContain('check year, format, out')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
