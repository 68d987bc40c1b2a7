// Working-day calendar for Ukraine, and date arithmetic in Kyiv local dates.
//
// Deadlines are counted in local calendar dates ('YYYY-MM-DD'), never by adding 24-hour blocks to
// instants, so the DST change (last Sunday of March and of October in Kyiv) cannot move a due day.
// Only hour-based clocks use exact elapsed time (see addHours).
//
// Counting follows the Civil Code of Ukraine (art. 253: a term starts the day after the event;
// art. 254: a month term ends on the same date of the last month, or that month's last day when it
// has no such date). Whether a calendar-day term that ends on a day off moves to the next working
// day (art. 254 part 5) is the caller's choice: see rollToWorkingDay.

import { fail, ok, type Result } from './result'

export const KYIV_TIME_ZONE = 'Europe/Kyiv'

/** A local calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string

/** The shape of src/domain/holidays-ua.json (and of any council's own calendar file). */
export interface CalendarData {
  /** Public holidays and religious days off of КЗпП art. 73, e.g. '2025-08-24'. */
  holidays: IsoDate[]
  /** Working weekdays made days off by a government decree (a "moved" day). */
  movedDaysOff: IsoDate[]
  /** Weekend days made working days by the same decree (usually Saturdays). */
  extraWorkingDays: IsoDate[]
}

export interface CalendarOptions {
  /**
   * Whether holidays are days off. Default false: since 24.02.2022 Ukraine is under martial law,
   * and part 6 of art. 6 of the Law «Про організацію трудових відносин в умовах воєнного стану»
   * (No. 2136-IX) suspends КЗпП art. 73 (holidays as days off) and with it the art. 67 rule that
   * moves a day off when a holiday falls on a weekend. Councils switch this on when martial law
   * ends. Moved days and extra working days from a decree apply either way, since a council only
   * lists them when a decree was actually issued.
   */
  observeHolidays?: boolean
}

export const DEFAULT_OBSERVE_HOLIDAYS = false

export interface WorkingCalendar {
  readonly observeHolidays: boolean
  readonly holidays: ReadonlySet<IsoDate>
  /** Weekdays off because a holiday fell on a weekend (КЗпП art. 67 part 3); empty unless observed. */
  readonly substituteDaysOff: ReadonlySet<IsoDate>
  readonly movedDaysOff: ReadonlySet<IsoDate>
  readonly extraWorkingDays: ReadonlySet<IsoDate>
}

// ---------------------------------------------------------------- local dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false
  const m = ISO_DATE.exec(value)
  if (!m) return false
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return formatUtcDate(ms) === value
}

function parseIsoDate(day: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(day)
  if (!m) throw new TypeError(`not a YYYY-MM-DD date: ${day}`)
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
}

/** Date-only arithmetic runs on UTC midnights, which have no DST. */
function utcMidnight(day: IsoDate): number {
  const p = parseIsoDate(day)
  return Date.UTC(p.year, p.month - 1, p.day)
}

function formatUtcDate(ms: number): IsoDate {
  const d = new Date(ms)
  const y = String(d.getUTCFullYear()).padStart(4, '0')
  const m = String(d.getUTCMonth() + 1).padStart(2, '0')
  const dd = String(d.getUTCDate()).padStart(2, '0')
  return `${y}-${m}-${dd}`
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

function wallClock(at: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {}
  for (const p of wallClockFormatter(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return parts
}

// Every zone's offset is a whole number of quarter hours, so the local date changes only at a
// UTC quarter-hour boundary: one Intl call per zone and quarter hour is enough. Statistics over
// 100,000 cases spent most of their time here (test/bench/annual-report.ts).
const QUARTER_HOUR_MS = 15 * 60 * 1000
const MAX_CACHED_DATES = 50_000
const localDates = new Map<string, IsoDate>()

/** The local date of an instant in a time zone (Kyiv by default). */
export function localDate(at: Date, timeZone: string = KYIV_TIME_ZONE): IsoDate {
  const key = `${timeZone} ${Math.floor(at.getTime() / QUARTER_HOUR_MS)}`
  const known = localDates.get(key)
  if (known !== undefined) return known
  const w = wallClock(at, timeZone)
  const day = formatUtcDate(Date.UTC(w.year ?? 0, (w.month ?? 1) - 1, w.day ?? 1))
  if (localDates.size >= MAX_CACHED_DATES) localDates.clear()
  localDates.set(key, day)
  return day
}

/** Local time minus UTC, in ms, at an instant (whole seconds; zone offsets have no ms). */
function zoneOffsetMs(at: number, timeZone: string): number {
  const w = wallClock(new Date(at), timeZone)
  const asUtc = Date.UTC(
    w.year ?? 0,
    (w.month ?? 1) - 1,
    w.day ?? 1,
    w.hour ?? 0,
    w.minute ?? 0,
    w.second ?? 0
  )
  return asUtc - Math.floor(at / 1000) * 1000
}

// A day's start depends on the day and the zone only: remembered, as the local dates above. Each
// new report starts its clocks from several of them (four Intl calls each: 5% of a submission's
// CPU under load, issue 12).
const dayStarts = new Map<string, number>()

/** The instant local midnight begins. Kyiv never skips midnight (its DST jumps are at 03:00/04:00). */
export function startOfLocalDay(day: IsoDate, timeZone: string = KYIV_TIME_ZONE): Date {
  const key = `${timeZone} ${day}`
  const known = dayStarts.get(key)
  if (known !== undefined) return new Date(known)
  const wall = utcMidnight(day)
  const first = wall - zoneOffsetMs(wall, timeZone)
  // A second pass settles guesses made on the wrong side of an offset change.
  const second = wall - zoneOffsetMs(first, timeZone)
  if (dayStarts.size >= MAX_CACHED_DATES) dayStarts.clear()
  dayStarts.set(key, second)
  return new Date(second)
}

/** The last millisecond of a local day (23:59:59.999 local time). */
export function endOfLocalDay(day: IsoDate, timeZone: string = KYIV_TIME_ZONE): Date {
  return new Date(startOfLocalDay(addCalendarDays(day, 1), timeZone).getTime() - 1)
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekday(day: IsoDate): number {
  const dow = new Date(utcMidnight(day)).getUTCDay()
  return dow === 0 ? 7 : dow
}

function isWeekend(day: IsoDate): boolean {
  return weekday(day) >= 6
}

// ---------------------------------------------------------------- calendar data

const MAX_CALENDAR_DAYS = 10_000

/** Validates untrusted calendar JSON (a council may supply its own file). */
export function parseCalendarData(input: unknown): Result<CalendarData, 'invalid-calendar'> {
  if (typeof input !== 'object' || input === null) {
    return fail('invalid-calendar', 'calendar data must be an object')
  }
  const record = input as Record<string, unknown>
  const lists: Partial<CalendarData> = {}
  for (const key of ['holidays', 'movedDaysOff', 'extraWorkingDays'] as const) {
    const value = record[key] ?? []
    if (!Array.isArray(value)) return fail('invalid-calendar', `${key} must be an array`)
    if (value.length > MAX_CALENDAR_DAYS) return fail('invalid-calendar', `${key} is too long`)
    for (const day of value) {
      if (!isIsoDate(day)) {
        return fail(
          'invalid-calendar',
          `${key} holds ${JSON.stringify(day)}, not a YYYY-MM-DD date`
        )
      }
    }
    lists[key] = [...(value as IsoDate[])].sort()
  }
  const data = lists as CalendarData
  for (const day of data.movedDaysOff) {
    if (isWeekend(day)) return fail('invalid-calendar', `moved day off ${day} is already a weekend`)
  }
  for (const day of data.extraWorkingDays) {
    if (!isWeekend(day)) {
      return fail('invalid-calendar', `extra working day ${day} is not a weekend`)
    }
  }
  return ok(data)
}

/** Weekend holidays give the next free weekday off instead (КЗпП art. 67 part 3). */
function substitutesFor(data: CalendarData): Set<IsoDate> {
  const holidays = new Set(data.holidays)
  const extra = new Set(data.extraWorkingDays)
  const substitutes = new Set<IsoDate>()
  for (const holiday of data.holidays) {
    if (!isWeekend(holiday)) continue
    let day = addCalendarDays(holiday, 1)
    while (isWeekend(day) || holidays.has(day) || substitutes.has(day) || extra.has(day)) {
      day = addCalendarDays(day, 1)
    }
    substitutes.add(day)
  }
  return substitutes
}

export function buildCalendar(data: CalendarData, options: CalendarOptions = {}): WorkingCalendar {
  const observeHolidays = options.observeHolidays ?? DEFAULT_OBSERVE_HOLIDAYS
  return {
    observeHolidays,
    holidays: new Set(data.holidays),
    substituteDaysOff: observeHolidays ? substitutesFor(data) : new Set(),
    movedDaysOff: new Set(data.movedDaysOff),
    extraWorkingDays: new Set(data.extraWorkingDays),
  }
}

/** Saturdays and Sundays off, nothing else: the martial-law calendar without decrees. */
export const WEEKENDS_ONLY: WorkingCalendar = buildCalendar({
  holidays: [],
  movedDaysOff: [],
  extraWorkingDays: [],
})

// ---------------------------------------------------------------- working days

/** Whether a local date is a working day. */
export function isWorkingDate(day: IsoDate, cal: WorkingCalendar): boolean {
  if (cal.extraWorkingDays.has(day)) return true
  if (cal.movedDaysOff.has(day)) return false
  if (cal.observeHolidays && (cal.holidays.has(day) || cal.substituteDaysOff.has(day))) return false
  return !isWeekend(day)
}

/** Whether the local day (in `timeZone`) of an instant, or a local date, is a working day. */
export function isWorkingDay(
  day: Date | IsoDate,
  cal: WorkingCalendar,
  timeZone: string = KYIV_TIME_ZONE
): boolean {
  return isWorkingDate(typeof day === 'string' ? day : localDate(day, timeZone), cal)
}

export function addCalendarDays(day: IsoDate, n: number): IsoDate {
  return formatUtcDate(utcMidnight(day) + n * DAY_MS)
}

/**
 * The n-th working day after `day` (the start day itself never counts, art. 253 ЦК), so a report
 * received on a Saturday with n = 1 is due on Monday. n = 0 returns `day` unchanged.
 */
export function addWorkingDays(day: IsoDate, n: number, cal: WorkingCalendar): IsoDate {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`working days must be a whole number ≥ 0: ${n}`)
  }
  let current = day
  for (let left = n; left > 0;) {
    current = addCalendarDays(current, 1)
    if (isWorkingDate(current, cal)) left--
  }
  return current
}

/** Same date n months later; the month's last day when it has no such date (Jan 31 + 1 → Feb 28/29). */
export function addMonths(day: IsoDate, n: number): IsoDate {
  const p = parseIsoDate(day)
  const monthIndex = p.year * 12 + (p.month - 1) + n
  const year = Math.floor(monthIndex / 12)
  const month = monthIndex - year * 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return formatUtcDate(Date.UTC(year, month, Math.min(p.day, lastDay)))
}

/** Exact elapsed time: 24 hours across a DST change reads 23:00 or 01:00 on the wall clock. */
export function addHours(at: Date, n: number): Date {
  return new Date(at.getTime() + n * 3_600_000)
}

/** The day itself if it is a working day, else the next working day (art. 254 part 5 ЦК). */
export function rollToWorkingDay(day: IsoDate, cal: WorkingCalendar): IsoDate {
  let current = day
  while (!isWorkingDate(current, cal)) current = addCalendarDays(current, 1)
  return current
}

/** Whole local days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS)
}
