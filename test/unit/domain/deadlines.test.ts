import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  buildCalendar,
  parseCalendarData,
  WEEKENDS_ONLY,
  type CalendarData,
} from '../../../src/domain/calendar'
import {
  clockStatus,
  computeDueAt,
  DEFAULT_DEADLINE_RULES,
  extendClock,
  nearestDue,
  remindersDue,
  startClock,
  startClocks,
  stopClocks,
  type Clock,
  type ClockRule,
  type DeadlineRules,
} from '../../../src/domain/deadlines'
import type { ClockKind } from '../../../src/domain/vocab'

const parsed = parseCalendarData(
  JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../../../src/domain/holidays-ua.json'), 'utf8')
  )
)
if (!parsed.ok) throw new Error(parsed.error.message)
const peacetime = buildCalendar(parsed.value, { observeHolidays: true })
const martialLaw = buildCalendar(parsed.value)
const decreeData: CalendarData = {
  holidays: ['2021-01-01', '2021-01-07'],
  movedDaysOff: ['2021-01-08'],
  extraWorkingDays: ['2021-01-16'],
}
const decree = buildCalendar(decreeData, { observeHolidays: true })
const calendars = { weekends: WEEKENDS_ONLY, peacetime, martial: martialLaw, decree }

const rule = (kind: ClockKind): ClockRule => DEFAULT_DEADLINE_RULES.clocks[kind]
const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('due times (deadline table)', () => {
  // prettier-ignore
  const table = [
    // [case, kind, started (with Kyiv offset), calendar, due (UTC)]
    ['acknowledge: 7 calendar days, end of day', 'acknowledge', '2025-01-10T15:00:00+02:00', 'weekends', '2025-01-17T21:59:59.999Z'],
    ['acknowledge: started one ms before midnight', 'acknowledge', '2025-01-10T23:59:59.999+02:00', 'weekends', '2025-01-17T21:59:59.999Z'],
    ['acknowledge: started at midnight', 'acknowledge', '2025-01-11T00:00:00+02:00', 'weekends', '2025-01-18T21:59:59.999Z'],
    ['acknowledge: due on a Saturday stays there', 'acknowledge', '2025-01-04T10:00:00+02:00', 'weekends', '2025-01-11T21:59:59.999Z'],
    ['preliminary review: Monday + 10 working days', 'preliminary-review', '2025-01-06T10:00:00+02:00', 'weekends', '2025-01-20T21:59:59.999Z'],
    ['preliminary review: received on a Sunday', 'preliminary-review', '2025-01-12T18:00:00+02:00', 'weekends', '2025-01-24T21:59:59.999Z'],
    ['preliminary review: over Christmas and New Year, holidays observed', 'preliminary-review', '2025-12-24T09:00:00+02:00', 'peacetime', '2026-01-09T21:59:59.999Z'],
    ['preliminary review: same, martial law', 'preliminary-review', '2025-12-24T09:00:00+02:00', 'martial', '2026-01-07T21:59:59.999Z'],
    ['preliminary review: Sunday holiday moves to Monday', 'preliminary-review', '2025-08-20T09:00:00+03:00', 'peacetime', '2025-09-04T20:59:59.999Z'],
    ['preliminary review: decree moves a day off and a working Saturday', 'preliminary-review', '2021-01-12T09:00:00+02:00', 'decree', '2021-01-25T21:59:59.999Z'],
    ['preliminary review: across the spring DST weekend', 'preliminary-review', '2025-03-28T12:00:00+02:00', 'weekends', '2025-04-11T20:59:59.999Z'],
    ['preliminary review: across the autumn DST weekend', 'preliminary-review', '2025-10-24T12:00:00+03:00', 'weekends', '2025-11-07T21:59:59.999Z'],
    ['acknowledge: started 00:30 on the spring-forward Sunday', 'acknowledge', '2025-03-29T22:30:00.000Z', 'weekends', '2025-04-06T20:59:59.999Z'],
    ['acknowledge: started 23:30 the night before it', 'acknowledge', '2025-03-29T23:30:00+02:00', 'weekends', '2025-04-05T20:59:59.999Z'],
    ['acknowledge: started 00:30 on the fall-back Sunday', 'acknowledge', '2025-10-25T21:30:00.000Z', 'weekends', '2025-11-02T21:59:59.999Z'],
    ['acknowledge: started 03:30 in the repeated hour', 'acknowledge', '2025-10-26T01:30:00.000Z', 'weekends', '2025-11-02T21:59:59.999Z'],
    ['refer: exactly 24 hours', 'refer', '2025-06-10T16:45:12.345+03:00', 'weekends', '2025-06-11T13:45:12.345Z'],
    ['refer: 24 elapsed hours across spring DST', 'refer', '2025-03-30T00:30:00+02:00', 'weekends', '2025-03-30T22:30:00.000Z'],
    ['refer: 24 elapsed hours across autumn DST', 'refer', '2025-10-26T00:30:00+03:00', 'weekends', '2025-10-26T21:30:00.000Z'],
    ['forward head: 3 calendar days', 'forward-head', '2025-01-10T15:00:00+02:00', 'weekends', '2025-01-13T21:59:59.999Z'],
    ['inform preliminary result: 3 calendar days', 'inform-preliminary-result', '2025-12-30T15:00:00+02:00', 'peacetime', '2026-01-02T21:59:59.999Z'],
    ['investigation: 30 calendar days', 'investigation', '2025-06-02T10:00:00+03:00', 'weekends', '2025-07-02T20:59:59.999Z'],
    ['feedback: 3 months from Jan 31 ends Apr 30', 'feedback', '2025-01-31T10:00:00+02:00', 'weekends', '2025-04-30T20:59:59.999Z'],
    ['feedback: 3 months from Nov 30 ends Feb 28', 'feedback', '2025-11-30T10:00:00+02:00', 'weekends', '2026-02-28T21:59:59.999Z'],
    ['feedback: 3 months from Nov 30 in a leap year', 'feedback', '2023-11-30T10:00:00+02:00', 'weekends', '2024-02-29T21:59:59.999Z'],
  ] as const

  it.each(table)('%s', (_name, kind, started, which, due) => {
    expect(computeDueAt(rule(kind), new Date(started), calendars[which]).toISOString()).toBe(due)
  })

  it('ends a one-month clock from Jan 31 on Feb 28 (Feb 29 in a leap year)', () => {
    const oneMonth: ClockRule = {
      enabled: true,
      amount: 1,
      unit: 'months',
      rollToWorkingDay: false,
    }
    const start2025 = new Date('2025-01-31T12:00:00+02:00')
    const start2024 = new Date('2024-01-31T12:00:00+02:00')
    expect(computeDueAt(oneMonth, start2025, WEEKENDS_ONLY).toISOString()).toBe(
      '2025-02-28T21:59:59.999Z'
    )
    expect(computeDueAt(oneMonth, start2024, WEEKENDS_ONLY).toISOString()).toBe(
      '2024-02-29T21:59:59.999Z'
    )
  })

  it('can roll a calendar-day due day off to the next working day when configured', () => {
    const rolling: ClockRule = { ...rule('acknowledge'), rollToWorkingDay: true }
    const started = new Date('2025-01-04T10:00:00+02:00') // Saturday; due Saturday 11th
    expect(computeDueAt(rolling, started, WEEKENDS_ONLY).toISOString()).toBe(
      '2025-01-13T21:59:59.999Z'
    )
    // Peacetime: 7 days from 18 Dec is Christmas (Thursday) → Friday 26th.
    const christmas = new Date('2025-12-18T10:00:00+02:00')
    expect(computeDueAt(rolling, christmas, peacetime).toISOString()).toBe(
      '2025-12-26T21:59:59.999Z'
    )
  })

  it('extends the investigation by approved calendar days, recomputed from its start', () => {
    const opened = startClock(
      'investigation',
      new Date('2025-06-02T10:00:00+03:00'),
      DEFAULT_DEADLINE_RULES,
      WEEKENDS_ONLY
    )!
    const once = extendClock(opened, 10, DEFAULT_DEADLINE_RULES, WEEKENDS_ONLY)
    const twice = extendClock(once, 5, DEFAULT_DEADLINE_RULES, WEEKENDS_ONLY)
    expect(once.extendedDays).toBe(10)
    expect(once.dueAt.toISOString()).toBe('2025-07-12T20:59:59.999Z')
    expect(twice.extendedDays).toBe(15)
    expect(twice.dueAt.toISOString()).toBe('2025-07-17T20:59:59.999Z')
    expect(twice.startedAt).toBe(opened.startedAt)
  })
})

describe('startClocks', () => {
  const receivedAt = new Date('2025-01-10T15:00:00+02:00') // Friday

  it('starts acknowledge, preliminary review and feedback (from the end of day 7)', () => {
    const clocks = startClocks(receivedAt, 'web', DEFAULT_DEADLINE_RULES, WEEKENDS_ONLY)
    expect(clocks.map((c) => [c.kind, c.startedAt.toISOString(), c.dueAt.toISOString()])).toEqual([
      ['acknowledge', '2025-01-10T13:00:00.000Z', '2025-01-17T21:59:59.999Z'],
      ['preliminary-review', '2025-01-10T13:00:00.000Z', '2025-01-24T21:59:59.999Z'],
      ['feedback', '2025-01-17T21:59:59.999Z', '2025-04-17T20:59:59.999Z'],
    ])
    expect(clocks.every((c) => c.metAt === undefined)).toBe(true)
  })

  it('leaves out disabled clocks and clocks a channel is exempt from', () => {
    const rules: DeadlineRules = {
      ...DEFAULT_DEADLINE_RULES,
      clocks: {
        ...DEFAULT_DEADLINE_RULES.clocks,
        feedback: { ...rule('feedback'), enabled: false },
      },
      channelExemptions: { mailbox: ['acknowledge'] },
    }
    expect(startClocks(receivedAt, 'mailbox', rules, WEEKENDS_ONLY).map((c) => c.kind)).toEqual([
      'preliminary-review',
    ])
    expect(startClocks(receivedAt, 'web', rules, WEEKENDS_ONLY).map((c) => c.kind)).toEqual([
      'acknowledge',
      'preliminary-review',
    ])
  })
})

describe('clockStatus', () => {
  const clock: Clock = {
    kind: 'acknowledge',
    startedAt: new Date('2025-01-10T13:00:00Z'),
    dueAt: new Date('2025-01-17T21:59:59.999Z'),
  }
  const due = clock.dueAt.getTime()

  it.each([
    ['long before', due - 5 * DAY, 'due'],
    ['1 ms before', due - 1, 'due'],
    ['at the due instant', due, 'due'],
    ['1 ms after', due + 1, 'breached'],
    ['days after', due + 3 * DAY, 'breached'],
  ])('an open clock %s is %s', (_when, now, status) => {
    expect(clockStatus(clock, new Date(now))).toBe(status)
  })

  it.each([
    ['early', due - DAY, 'met'],
    ['at the due instant', due, 'met'],
    ['1 ms late', due + 1, 'met-late'],
  ])('a clock met %s is %s, whatever the time now', (_when, metAt, status) => {
    const met = { ...clock, metAt: new Date(metAt) }
    expect(clockStatus(met, new Date(due - 10 * DAY))).toBe(status)
    expect(clockStatus(met, new Date(due + 10 * DAY))).toBe(status)
  })
})

describe('stopClocks', () => {
  const open: Clock = {
    kind: 'preliminary-review',
    startedAt: new Date('2025-01-06T08:00:00Z'),
    dueAt: new Date('2025-01-20T21:59:59.999Z'),
  }

  it('drops a clock that no longer applies while still on time', () => {
    expect(stopClocks([open], ['preliminary-review'], new Date('2025-01-10T08:00:00Z'))).toEqual([])
  })

  it('keeps a breached clock on record, closed late, so its reminders stop', () => {
    const at = new Date('2025-01-25T08:00:00Z')
    const [stopped] = stopClocks([open], ['preliminary-review'], at)
    expect(stopped?.metAt).toBe(at)
    expect(clockStatus(stopped!, at)).toBe('met-late')
  })

  it('leaves met clocks and other kinds alone', () => {
    const met = { ...open, metAt: new Date('2025-01-09T08:00:00Z') }
    const other = { ...open, kind: 'acknowledge' }
    expect(
      stopClocks([met, other], ['preliminary-review'], new Date('2025-01-10T08:00:00Z'))
    ).toEqual([met, other])
  })
})

describe('nearestDue', () => {
  const clocks: Clock[] = [
    {
      kind: 'feedback',
      startedAt: new Date('2025-01-17T21:59:59.999Z'),
      dueAt: new Date('2025-04-17T20:59:59.999Z'),
    },
    {
      kind: 'preliminary-review',
      startedAt: new Date('2025-01-10T13:00:00Z'),
      dueAt: new Date('2025-01-24T21:59:59.999Z'),
    },
    {
      kind: 'acknowledge',
      startedAt: new Date('2025-01-10T13:00:00Z'),
      dueAt: new Date('2025-01-17T21:59:59.999Z'),
      metAt: new Date('2025-01-11T09:00:00Z'),
    },
  ]

  it('picks the open clock due soonest and counts Kyiv days left', () => {
    const now = new Date('2025-01-20T23:30:00Z') // already 21 Jan in Kyiv
    expect(nearestDue(clocks, now)).toEqual({
      kind: 'preliminary-review',
      dueAt: new Date('2025-01-24T21:59:59.999Z'),
      status: 'due',
      daysLeft: 3,
      msLeft: new Date('2025-01-24T21:59:59.999Z').getTime() - now.getTime(),
    })
  })

  it('says 0 days left on the due day and negative days once breached', () => {
    expect(nearestDue(clocks, new Date('2025-01-24T08:00:00Z'))?.daysLeft).toBe(0)
    const late = nearestDue(clocks, new Date('2025-01-26T08:00:00Z'))
    expect(late?.status).toBe('breached')
    expect(late?.daysLeft).toBe(-2)
  })

  it('returns null when every clock is met', () => {
    const allMet = clocks.map((c) => ({ ...c, metAt: new Date('2025-01-12T08:00:00Z') }))
    expect(nearestDue(allMet, new Date('2025-01-20T08:00:00Z'))).toBeNull()
    expect(nearestDue([], new Date('2025-01-20T08:00:00Z'))).toBeNull()
  })
})

describe('remindersDue', () => {
  const dueAt = new Date('2025-01-24T21:59:59.999Z')
  const review: Clock = {
    kind: 'preliminary-review',
    startedAt: new Date('2025-01-10T13:00:00Z'),
    dueAt,
  }
  const c = { id: 'c1', clocks: [review] }
  const base = `c1:preliminary-review:2025-01-24T21:59:59.999Z`
  const stagesAt = (ms: number) => remindersDue(c, new Date(dueAt.getTime() + ms)).map((r) => r.key)

  it.each([
    ['10 days before', -10 * DAY, []],
    ['just before 3 days', -3 * DAY - 1, []],
    ['exactly 3 days before', -3 * DAY, [`${base}:before-3d`]],
    ['2.5 days before', -2.5 * DAY, [`${base}:before-3d`]],
    ['1 day before: only the latest stage', -DAY, [`${base}:before-1d`]],
    ['at the due instant', 0, [`${base}:before-1d`]],
    ['1 ms after', 1, [`${base}:overdue-1`]],
    ['1 day after', DAY, [`${base}:overdue-1`]],
    ['1 day and 1 ms after', DAY + 1, [`${base}:overdue-2`]],
    ['10 days after', 10 * DAY, [`${base}:overdue-10`]],
  ])('%s', (_when, offset, keys) => {
    expect(stagesAt(offset)).toEqual(keys)
  })

  it('describes each reminder for the outbox', () => {
    expect(remindersDue(c, new Date(dueAt.getTime() - 2 * DAY))).toEqual([
      {
        key: `${base}:before-3d`,
        caseId: 'c1',
        kind: 'preliminary-review',
        dueAt,
        stage: 'before-3d',
      },
    ])
  })

  it('sends nothing for met clocks', () => {
    const met = { id: 'c1', clocks: [{ ...review, metAt: new Date('2025-01-20T08:00:00Z') }] }
    expect(remindersDue(met, new Date(dueAt.getTime() + 5 * DAY))).toEqual([])
  })

  it('skips stages that would fall at or before the start of a short clock', () => {
    const decided = new Date('2025-06-10T12:00:00Z')
    const refer = startClock('refer', decided, DEFAULT_DEADLINE_RULES, WEEKENDS_ONLY)!
    const r = { id: 'c2', clocks: [refer] }
    expect(remindersDue(r, decided)).toEqual([])
    expect(remindersDue(r, new Date(decided.getTime() + 23 * HOUR))).toEqual([])
    expect(remindersDue(r, new Date(decided.getTime() + 25 * HOUR)).map((x) => x.stage)).toEqual([
      'overdue-1',
    ])
  })

  it('gives new keys once an extension moves the due time', () => {
    const opened = startClock(
      'investigation',
      new Date('2025-06-02T10:00:00+03:00'),
      DEFAULT_DEADLINE_RULES,
      WEEKENDS_ONLY
    )!
    const extended = extendClock(opened, 15, DEFAULT_DEADLINE_RULES, WEEKENDS_ONLY)
    const now = new Date(opened.dueAt.getTime() - DAY / 2)
    const [before] = remindersDue({ id: 'c3', clocks: [opened] }, now)
    expect(before?.key).toBe('c3:investigation:2025-07-02T20:59:59.999Z:before-1d')
    expect(remindersDue({ id: 'c3', clocks: [extended] }, now)).toEqual([])
    const [later] = remindersDue(
      { id: 'c3', clocks: [extended] },
      new Date(extended.dueAt.getTime() - DAY / 2)
    )
    expect(later?.key).toBe('c3:investigation:2025-07-17T20:59:59.999Z:before-1d')
  })

  it('follows a custom schedule, and none while breached when switched off', () => {
    const schedule = {
      before: [{ name: 'before-7d', msBefore: 7 * DAY }],
      whileBreachedEveryMs: null,
    }
    expect(
      remindersDue(c, new Date(dueAt.getTime() - 5 * DAY), schedule).map((r) => r.stage)
    ).toEqual(['before-7d'])
    expect(remindersDue(c, new Date(dueAt.getTime() + DAY), schedule)).toEqual([])
  })

  it('lists one reminder per open clock', () => {
    const two = { id: 'c1', clocks: [review, { ...review, kind: 'acknowledge' }] }
    expect(remindersDue(two, new Date(dueAt.getTime() + 1)).map((r) => r.kind)).toEqual([
      'preliminary-review',
      'acknowledge',
    ])
  })
})
