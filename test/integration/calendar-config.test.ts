// The working-day calendar is configuration: a council's own file (moved days off by decree)
// changes the preliminary-review deadline of new reports; a broken file stops the start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { buildCalendar, localDate } from '../../src/domain/calendar'
import { loadConfig } from '../../src/config'
import { makeTestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { submitClientReport } from '../helpers/reporter-api'
import { run, SERVER_JS } from '../helpers/proc'

async function reviewDueDay(calendar?: ReturnType<typeof buildCalendar>) {
  // Monday 2 March 2026, 11:00 in Kyiv.
  const t = await makeTestApp({
    now: new Date('2026-03-02T09:00:00Z'),
    ...(calendar ? { calendar } : {}),
  })
  try {
    await addOfficer(t.store)
    const { caseId } = await submitClientReport(t, 'calendar')
    const c = (await t.store.cases.get(caseId))!
    return localDate(c.clocks.find((k) => k.kind === 'preliminary-review')!.dueAt)
  } finally {
    await t.close()
  }
}

it('moves the 10-working-day deadline by a day off decreed inside it', async () => {
  expect(await reviewDueDay()).toBe('2026-03-16')
  const decree = buildCalendar({ holidays: [], movedDaysOff: ['2026-03-05'], extraWorkingDays: [] })
  expect(await reviewDueDay(decree)).toBe('2026-03-17')
})

it('reads HOLIDAYS_FILE and OBSERVE_HOLIDAYS, and refuses a broken file at start', async () => {
  expect(loadConfig({}).observeHolidays).toBe(false)
  expect(loadConfig({ OBSERVE_HOLIDAYS: 'true', HOLIDAYS_FILE: '/x.json' })).toMatchObject({
    observeHolidays: true,
    holidaysFile: '/x.json',
  })
  expect(() => loadConfig({ OBSERVE_HOLIDAYS: 'yes' })).toThrow(/OBSERVE_HOLIDAYS/)

  const dir = mkdtempSync(join(tmpdir(), 'portal-cal-'))
  try {
    writeFileSync(join(dir, 'holidays.json'), JSON.stringify({ holidays: ['not a date'] }))
    const p = run([SERVER_JS], {
      DATA_DIR: dir,
      PORT: '39999',
      HOLIDAYS_FILE: join(dir, 'holidays.json'),
    })
    expect((await p.exited).code).not.toBe(0)
    expect(p.stderr()).toMatch(/^portal: cannot start\. HOLIDAYS_FILE .* is not usable/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
