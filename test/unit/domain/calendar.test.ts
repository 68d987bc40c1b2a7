import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  addCalendarDays,
  addHours,
  addMonths,
  addWorkingDays,
  buildCalendar,
  endOfLocalDay,
  isIsoDate,
  isWorkingDay,
  localDate,
  parseCalendarData,
  rollToWorkingDay,
  startOfLocalDay,
  WEEKENDS_ONLY,
  type CalendarData,
} from '../../../src/domain/calendar'

const shippedFile = resolve(import.meta.dirname, '../../../src/domain/holidays-ua.json')

function shippedData(): CalendarData {
  const parsed = parseCalendarData(JSON.parse(readFileSync(shippedFile, 'utf8')))
  if (!parsed.ok) throw new Error(parsed.error.message)
  return parsed.value
}

/** Orthodox (Julian paschalion) Easter as a Gregorian date, Meeus' algorithm. */
function julianEaster(year: number): string {
  const a = year % 4
  const b = year % 7
  const c = year % 19
  const d = (19 * c + 15) % 30
  const e = (2 * a + 4 * b - d + 34) % 7
  const month = Math.floor((d + e + 114) / 31)
  const day = ((d + e + 114) % 31) + 1
  return addCalendarDays(
    `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    13
  )
}

// Shaped like a Cabinet order moving a working day: Friday 8 Jan off, Saturday 16 Jan worked.
const decreeData: CalendarData = {
  holidays: ['2021-01-01', '2021-01-07'],
  movedDaysOff: ['2021-01-08'],
  extraWorkingDays: ['2021-01-16'],
}

describe('Kyiv local dates', () => {
  it.each([
    ['2025-01-10T21:59:59.999Z', '2025-01-10'], // 23:59:59.999 in winter (UTC+2)
    ['2025-01-10T22:00:00.000Z', '2025-01-11'],
    ['2025-07-10T20:59:59.999Z', '2025-07-10'], // summer (UTC+3)
    ['2025-07-10T21:00:00.000Z', '2025-07-11'],
    ['2025-03-29T22:30:00.000Z', '2025-03-30'], // 00:30 on the spring-forward Sunday
    ['2025-03-30T00:59:59.000Z', '2025-03-30'], // 02:59:59, one second before the jump
    ['2025-03-30T01:00:00.000Z', '2025-03-30'], // 04:00 after the jump
    ['2025-10-25T21:30:00.000Z', '2025-10-26'], // 00:30 on the fall-back Sunday (still UTC+3)
    ['2025-10-26T00:30:00.000Z', '2025-10-26'], // 03:30, first pass
    ['2025-10-26T01:30:00.000Z', '2025-10-26'], // 03:30, second pass
    ['2025-10-26T21:59:59.999Z', '2025-10-26'], // the 25-hour day ends at 22:00Z
  ])('%s is %s in Kyiv', (instant, day) => {
    expect(localDate(new Date(instant))).toBe(day)
  })

  it.each([
    ['2025-01-10', '2025-01-09T22:00:00.000Z', '2025-01-10T21:59:59.999Z'],
    ['2025-07-10', '2025-07-09T21:00:00.000Z', '2025-07-10T20:59:59.999Z'],
    ['2025-03-30', '2025-03-29T22:00:00.000Z', '2025-03-30T20:59:59.999Z'], // 23-hour day
    ['2025-10-26', '2025-10-25T21:00:00.000Z', '2025-10-26T21:59:59.999Z'], // 25-hour day
    ['2026-03-29', '2026-03-28T22:00:00.000Z', '2026-03-29T20:59:59.999Z'],
    ['2026-10-25', '2026-10-24T21:00:00.000Z', '2026-10-25T21:59:59.999Z'],
  ])('%s starts at %s and ends at %s', (day, start, end) => {
    expect(startOfLocalDay(day).toISOString()).toBe(start)
    expect(endOfLocalDay(day).toISOString()).toBe(end)
  })

  it('validates YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2025-02-29')).toBe(false)
    expect(isIsoDate('2025-13-01')).toBe(false)
    expect(isIsoDate('2025-1-01')).toBe(false)
    expect(isIsoDate(20250101)).toBe(false)
  })
})

describe('date arithmetic', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-01-31', 3, '2025-04-30'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2025-12-31', 2, '2026-02-28'],
    ['2025-05-15', 12, '2026-05-15'],
    ['2025-03-31', -1, '2025-02-28'],
  ])('%s plus %i months is %s', (day, n, expected) => {
    expect(addMonths(day, n)).toBe(expected)
  })

  it('adds calendar days across month, year and DST boundaries', () => {
    expect(addCalendarDays('2025-12-29', 7)).toBe('2026-01-05')
    expect(addCalendarDays('2025-03-29', 1)).toBe('2025-03-30')
    expect(addCalendarDays('2025-03-30', 1)).toBe('2025-03-31')
    expect(addCalendarDays('2025-10-26', -1)).toBe('2025-10-25')
  })

  it('adds exact hours, so 24 hours across the spring DST change reads 01:30 the next day', () => {
    const decided = new Date('2025-03-30T00:30:00+02:00')
    const due = addHours(decided, 24)
    expect(due.toISOString()).toBe('2025-03-30T22:30:00.000Z')
    expect(due.getTime() - decided.getTime()).toBe(24 * 3_600_000)
  })
})

describe('working days', () => {
  const peacetime = buildCalendar(shippedData(), { observeHolidays: true })
  const martialLaw = buildCalendar(shippedData())

  it('treats Saturday and Sunday as days off', () => {
    expect(isWorkingDay('2025-01-10', WEEKENDS_ONLY)).toBe(true) // Friday
    expect(isWorkingDay('2025-01-11', WEEKENDS_ONLY)).toBe(false)
    expect(isWorkingDay('2025-01-12', WEEKENDS_ONLY)).toBe(false)
    expect(isWorkingDay('2025-01-13', WEEKENDS_ONLY)).toBe(true)
  })

  it('takes the day of an instant in Kyiv, not in UTC', () => {
    // Friday 23:30 UTC is already Saturday 01:30 in Kyiv.
    expect(isWorkingDay(new Date('2025-01-10T23:30:00Z'), WEEKENDS_ONLY)).toBe(false)
    expect(isWorkingDay(new Date('2025-01-10T23:30:00Z'), WEEKENDS_ONLY, 'UTC')).toBe(true)
  })

  it('keeps holidays as working days by default (martial law)', () => {
    expect(martialLaw.observeHolidays).toBe(false)
    expect(isWorkingDay('2025-12-25', martialLaw)).toBe(true) // Thursday, Christmas
    expect(isWorkingDay('2025-08-25', martialLaw)).toBe(true) // Monday after a Sunday holiday
  })

  it('observes holidays and moves weekend holidays to the next weekday when switched on', () => {
    expect(isWorkingDay('2025-12-25', peacetime)).toBe(false)
    expect(isWorkingDay('2025-12-26', peacetime)).toBe(true)
    // Independence Day 2025 is a Sunday: Monday 25 August is off (КЗпП art. 67).
    expect(isWorkingDay('2025-08-25', peacetime)).toBe(false)
    // Easter Sunday 2025 → Monday 21 April off.
    expect(isWorkingDay('2025-04-21', peacetime)).toBe(false)
    // 2027: 1 May (Saturday) and Easter (Sunday 2 May) → Monday 3 and Tuesday 4 May off.
    expect(isWorkingDay('2027-05-03', peacetime)).toBe(false)
    expect(isWorkingDay('2027-05-04', peacetime)).toBe(false)
    expect(isWorkingDay('2027-05-05', peacetime)).toBe(true)
  })

  it('applies moved days from a decree: a weekday off and a Saturday worked', () => {
    const cal = buildCalendar(decreeData, { observeHolidays: true })
    expect(isWorkingDay('2021-01-07', cal)).toBe(false) // holiday
    expect(isWorkingDay('2021-01-08', cal)).toBe(false) // moved day off
    expect(isWorkingDay('2021-01-16', cal)).toBe(true) // working Saturday
    expect(isWorkingDay('2021-01-09', cal)).toBe(false) // ordinary Saturday
    // Decreed moves apply even when holidays are not observed.
    const martial = buildCalendar(decreeData)
    expect(isWorkingDay('2021-01-07', martial)).toBe(true)
    expect(isWorkingDay('2021-01-08', martial)).toBe(false)
    expect(isWorkingDay('2021-01-16', martial)).toBe(true)
  })

  it.each([
    // [start, n, calendar, expected]
    ['2025-01-06', 10, 'weekends', '2025-01-20'], // Monday + 10 → Monday two weeks on
    ['2025-01-10', 10, 'weekends', '2025-01-24'], // Friday start: the weekend does not count
    ['2025-01-11', 1, 'weekends', '2025-01-13'], // Saturday start → Monday
    ['2025-01-10', 0, 'weekends', '2025-01-10'],
    ['2025-12-24', 10, 'peacetime', '2026-01-09'], // skips 25 Dec and 1 Jan
    ['2025-12-24', 10, 'martial', '2026-01-07'],
    ['2025-08-20', 10, 'peacetime', '2025-09-04'], // skips substitute Monday 25 Aug
    ['2025-08-20', 10, 'martial', '2025-09-03'],
    ['2021-01-06', 1, 'decree', '2021-01-11'], // 7th holiday, 8th moved off
    ['2021-01-12', 10, 'decree', '2021-01-25'], // counts the working Saturday 16th
    ['2021-01-12', 10, 'weekends', '2021-01-26'],
  ] as const)('%s + %i working days (%s) is %s', (start, n, which, expected) => {
    const cal = {
      weekends: WEEKENDS_ONLY,
      peacetime,
      martial: martialLaw,
      decree: buildCalendar(decreeData, { observeHolidays: true }),
    }[which]
    expect(addWorkingDays(start, n, cal)).toBe(expected)
  })

  it('rolls a day off forward to the next working day', () => {
    expect(rollToWorkingDay('2025-01-11', WEEKENDS_ONLY)).toBe('2025-01-13')
    expect(rollToWorkingDay('2025-01-13', WEEKENDS_ONLY)).toBe('2025-01-13')
    expect(rollToWorkingDay('2025-12-25', peacetime)).toBe('2025-12-26')
  })

  it('refuses a negative or fractional number of working days', () => {
    expect(() => addWorkingDays('2025-01-06', -1, WEEKENDS_ONLY)).toThrow(RangeError)
    expect(() => addWorkingDays('2025-01-06', 1.5, WEEKENDS_ONLY)).toThrow(RangeError)
  })
})

describe('calendar data', () => {
  it('ships 11 holidays a year for 2024–2027 with Easter and Trinity on the Julian paschalion', () => {
    const data = shippedData()
    for (const year of [2024, 2025, 2026, 2027]) {
      const days = data.holidays.filter((d) => d.startsWith(`${year}-`))
      expect(days).toHaveLength(11)
      const easter = julianEaster(year)
      expect(days).toContain(easter)
      expect(days).toContain(addCalendarDays(easter, 49))
      for (const fixed of [
        '01-01',
        '03-08',
        '05-01',
        '05-08',
        '06-28',
        '07-15',
        '08-24',
        '10-01',
        '12-25',
      ]) {
        expect(days).toContain(`${year}-${fixed}`)
      }
    }
    expect(data.movedDaysOff).toEqual([])
    expect(data.extraWorkingDays).toEqual([])
  })

  it.each([
    [null, 'must be an object'],
    [{ holidays: 'x' }, 'holidays must be an array'],
    [{ holidays: ['2025-02-30'] }, 'not a YYYY-MM-DD date'],
    [{ movedDaysOff: ['2025-01-11'] }, 'already a weekend'],
    [{ extraWorkingDays: ['2025-01-13'] }, 'not a weekend'],
  ])('rejects %j', (input, message) => {
    const result = parseCalendarData(input)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-calendar')
      expect(result.error.message).toContain(message)
    }
  })

  it('treats missing lists as empty and sorts the days', () => {
    const result = parseCalendarData({ holidays: ['2025-12-25', '2025-01-01'] })
    expect(result).toEqual({
      ok: true,
      value: { holidays: ['2025-01-01', '2025-12-25'], movedDaysOff: [], extraWorkingDays: [] },
    })
  })
})
