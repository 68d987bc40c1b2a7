// Deadline clocks: the rules that start them, their due times, their status and reminders.
//
// Due time, precisely:
// - day-based clocks (calendar days, working days, months) are due at the END of the due day,
//   23:59:59.999 Kyiv local time; the day of the starting event never counts (art. 253 ЦК), so a
//   7-calendar-day clock started on Monday at any hour is due next Monday 23:59:59.999;
// - hour-based clocks are due at the exact instant: start + n × 3,600,000 ms.
// A clock is on time when it is met at or before dueAt (dueAt itself is still on time).
//
// The figures and their sources: docs/domain.md "Deadline clocks"; all are configurable.

import {
  addCalendarDays,
  addHours,
  addMonths,
  addWorkingDays,
  daysBetween,
  endOfLocalDay,
  KYIV_TIME_ZONE,
  localDate,
  rollToWorkingDay,
  type WorkingCalendar,
} from './calendar'
import type { Channel, ClockKind } from './vocab'

export type DurationUnit = 'calendar-days' | 'working-days' | 'months' | 'hours'

export interface ClockRule {
  /** Off for clocks a council does not track (e.g. the EU pair where only Ukrainian law applies). */
  enabled: boolean
  amount: number
  unit: DurationUnit
  /**
   * Calendar-day and month clocks: a due day that is not a working day moves to the next working
   * day (art. 254 part 5 ЦК). Off by default: the earlier due day is compliant under either reading.
   */
  rollToWorkingDay: boolean
}

export interface DeadlineRules {
  clocks: Record<ClockKind, ClockRule>
  investigationExtension: {
    /**
     * Most calendar days all approved extensions of one investigation may add together. Sources
     * disagree (30 → 45 days per the State Tax Service procedure, → 60 per RFE/RL's summary of the
     * law); 15 keeps to the stricter reading until verified against the consolidated statute.
     */
    maxTotalDays: number
  }
  /** Clocks not started for reports from a channel, e.g. `{ mailbox: ['acknowledge'] }` when paper
   *  reports carry no way to reply. Empty by default: every channel gets every clock. */
  channelExemptions: Partial<Record<Channel, readonly ClockKind[]>>
}

const days = (amount: number, unit: DurationUnit = 'calendar-days'): ClockRule => ({
  enabled: true,
  amount,
  unit,
  rollToWorkingDay: false,
})

export const DEFAULT_DEADLINE_RULES: DeadlineRules = {
  clocks: {
    // EU 2019/1937 art. 9(1)(b): acknowledge receipt within 7 days.
    acknowledge: days(7),
    // UA: preliminary review within 10 working days of receipt (for NAZK-portal reports the
    // receipt time is the entry into the portal).
    'preliminary-review': days(10, 'working-days'),
    // UA: tell the reporter the result of the preliminary review within 3 days.
    'inform-preliminary-result': days(3),
    // UA: signs of an offence → notify NAZK / NABU / police within 24 hours.
    refer: days(24, 'hours'),
    // UA: a report about the head goes, without preliminary review, to the competent body in 3 days.
    'forward-head': days(3),
    // UA: investigation within 30 days, extendable by an approved extension.
    investigation: days(30),
    // EU art. 9(1)(f): feedback within 3 months of acknowledgement, or of day 7 if none was sent.
    feedback: days(3, 'months'),
  },
  investigationExtension: { maxTotalDays: 15 },
  channelExemptions: {},
}

/** A deadline clock as plain data; structurally the store's StoredClock. */
export interface Clock {
  /** A ClockKind; kept a string so clocks of kinds a later version dropped still load. */
  kind: string
  startedAt: Date
  dueAt: Date
  metAt?: Date | undefined
  /** Calendar days added by approved extensions (investigation clock). */
  extendedDays?: number | undefined
}

// ---------------------------------------------------------------- computing due times

/** The due instant of a clock of `rule` started at `startedAt`, with `extraDays` of extension. */
export function computeDueAt(
  rule: ClockRule,
  startedAt: Date,
  cal: WorkingCalendar,
  extraDays = 0
): Date {
  if (rule.unit === 'hours') return addHours(startedAt, rule.amount + extraDays * 24)
  const startDay = localDate(startedAt, KYIV_TIME_ZONE)
  let dueDay: string
  if (rule.unit === 'working-days') {
    dueDay = addWorkingDays(startDay, rule.amount + extraDays, cal)
  } else {
    dueDay =
      rule.unit === 'months'
        ? addCalendarDays(addMonths(startDay, rule.amount), extraDays)
        : addCalendarDays(startDay, rule.amount + extraDays)
    if (rule.rollToWorkingDay) dueDay = rollToWorkingDay(dueDay, cal)
  }
  return endOfLocalDay(dueDay, KYIV_TIME_ZONE)
}

/** A new clock of `kind`, or null when the rules switch that clock off. */
export function startClock(
  kind: ClockKind,
  startedAt: Date,
  rules: DeadlineRules,
  cal: WorkingCalendar
): Clock | null {
  const rule = rules.clocks[kind]
  if (!rule.enabled) return null
  return { kind, startedAt, dueAt: computeDueAt(rule, startedAt, cal) }
}

/**
 * Clocks that start when a report is received: acknowledge, preliminary review, and feedback,
 * which runs from the end of the acknowledgement period until an acknowledgement restarts it.
 */
export function startClocks(
  receivedAt: Date,
  channel: Channel,
  rules: DeadlineRules,
  cal: WorkingCalendar
): Clock[] {
  const exempt = new Set<ClockKind>(rules.channelExemptions[channel] ?? [])
  const acknowledgeDue = computeDueAt(rules.clocks.acknowledge, receivedAt, cal)
  const starts: [ClockKind, Date][] = [
    ['acknowledge', receivedAt],
    ['preliminary-review', receivedAt],
    ['feedback', acknowledgeDue],
  ]
  const clocks: Clock[] = []
  for (const [kind, startedAt] of starts) {
    if (exempt.has(kind)) continue
    const clock = startClock(kind, startedAt, rules, cal)
    if (clock) clocks.push(clock)
  }
  return clocks
}

// ---------------------------------------------------------------- updating clocks (pure)

function isOpen(clock: Clock): boolean {
  return clock.metAt === undefined
}

/** Marks the open clocks of these kinds met at `at`. */
export function meetClocks(clocks: readonly Clock[], kinds: readonly string[], at: Date): Clock[] {
  return clocks.map((c) => (isOpen(c) && kinds.includes(c.kind) ? { ...c, metAt: at } : c))
}

/**
 * Ends open clocks of these kinds that no longer apply (a spam report needs no acknowledgement).
 * One still on time is removed; one already breached is closed at `at`, so the breach stays on
 * record (as met late) and its reminders stop.
 */
export function stopClocks(clocks: readonly Clock[], kinds: readonly string[], at: Date): Clock[] {
  const kept: Clock[] = []
  for (const c of clocks) {
    if (!isOpen(c) || !kinds.includes(c.kind)) kept.push(c)
    else if (at.getTime() > c.dueAt.getTime()) kept.push({ ...c, metAt: at })
  }
  return kept
}

/** Adds a clock, replacing an open clock of the same kind (a restart). */
export function putClock(clocks: readonly Clock[], clock: Clock): Clock[] {
  const index = clocks.findIndex((c) => c.kind === clock.kind && isOpen(c))
  if (index < 0) return [...clocks, clock]
  return clocks.map((c, i) => (i === index ? clock : c))
}

/** Restarts the open clocks of these kinds from `at` (feedback after an acknowledgement). */
export function restartClocks(
  clocks: readonly Clock[],
  kinds: readonly ClockKind[],
  at: Date,
  rules: DeadlineRules,
  cal: WorkingCalendar
): Clock[] {
  let result = [...clocks]
  for (const kind of kinds) {
    if (!result.some((c) => c.kind === kind && isOpen(c))) continue
    const clock = startClock(kind, at, rules, cal)
    if (clock) result = putClock(result, clock)
  }
  return result
}

/** The open clock of a kind, if any. */
export function openClock(clocks: readonly Clock[], kind: ClockKind): Clock | undefined {
  return clocks.find((c) => c.kind === kind && isOpen(c))
}

/** The clock with `days` more calendar days of extension, due recomputed from its start. */
export function extendClock(
  clock: Clock,
  days: number,
  rules: DeadlineRules,
  cal: WorkingCalendar
): Clock {
  const extendedDays = (clock.extendedDays ?? 0) + days
  const rule = rules.clocks[clock.kind as ClockKind]
  return { ...clock, extendedDays, dueAt: computeDueAt(rule, clock.startedAt, cal, extendedDays) }
}

// ---------------------------------------------------------------- status

export type ClockStatus = 'due' | 'met' | 'met-late' | 'breached'

export function clockStatus(clock: Clock, now: Date): ClockStatus {
  const due = clock.dueAt.getTime()
  if (clock.metAt !== undefined) return clock.metAt.getTime() <= due ? 'met' : 'met-late'
  return now.getTime() <= due ? 'due' : 'breached'
}

export interface DueSummary {
  kind: string
  dueAt: Date
  status: 'due' | 'breached'
  /** Kyiv calendar days from today to the due day: 0 = due today, negative = overdue. */
  daysLeft: number
  /** Exact time left in ms (negative once breached), for sorting. */
  msLeft: number
}

/** The open clock due soonest (a breached one first), for the inbox; null when none is open. */
export function nearestDue(clocks: readonly Clock[], now: Date): DueSummary | null {
  let nearest: Clock | undefined
  for (const c of clocks) {
    if (isOpen(c) && (!nearest || c.dueAt.getTime() < nearest.dueAt.getTime())) nearest = c
  }
  if (!nearest) return null
  return {
    kind: nearest.kind,
    dueAt: nearest.dueAt,
    status: clockStatus(nearest, now) === 'breached' ? 'breached' : 'due',
    daysLeft: daysBetween(localDate(now), localDate(nearest.dueAt)),
    msLeft: nearest.dueAt.getTime() - now.getTime(),
  }
}

// ---------------------------------------------------------------- reminders

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

export interface ReminderSchedule {
  /** Reminders before the due time, each with the name that goes into its key. */
  before: readonly { name: string; msBefore: number }[]
  /** Interval of repeated reminders once breached (null: none). */
  whileBreachedEveryMs: number | null
}

export const DEFAULT_REMINDER_SCHEDULE: ReminderSchedule = {
  before: [
    { name: 'before-3d', msBefore: 3 * DAY_MS },
    { name: 'before-1d', msBefore: 1 * DAY_MS },
  ],
  whileBreachedEveryMs: DAY_MS,
}

export interface Reminder {
  /** `${caseId}:${kind}:${dueAt ISO}:${stage}`: the outbox's dedupe key. A new due time (an
   *  extension) gives new keys, so the reminders run again for it. */
  key: string
  caseId: string
  kind: string
  dueAt: Date
  /** 'before-3d', 'before-1d', 'overdue-1', 'overdue-2'… */
  stage: string
}

/**
 * Reminders the case's officers should have by `now`: at most one per open clock, its latest stage
 * reached, so a job that was down sends one reminder rather than a burst. Stages that would fall
 * at or before the clock's start (e.g. "3 days before" a 24-hour clock) are skipped.
 */
export function remindersDue(
  c: { id: string; clocks: readonly Clock[] },
  now: Date,
  schedule: ReminderSchedule = DEFAULT_REMINDER_SCHEDULE
): Reminder[] {
  const reminders: Reminder[] = []
  const t = now.getTime()
  for (const clock of c.clocks) {
    if (!isOpen(clock)) continue
    const due = clock.dueAt.getTime()
    let stage: string | undefined
    if (t > due) {
      if (schedule.whileBreachedEveryMs !== null) {
        stage = `overdue-${Math.floor((t - due - 1) / schedule.whileBreachedEveryMs) + 1}`
      }
    } else {
      let latestTrigger = -Infinity
      for (const step of schedule.before) {
        const trigger = due - step.msBefore
        if (trigger <= clock.startedAt.getTime() || trigger > t) continue
        if (trigger > latestTrigger) {
          latestTrigger = trigger
          stage = step.name
        }
      }
    }
    if (stage === undefined) continue
    const dueIso = clock.dueAt.toISOString()
    reminders.push({
      key: `${c.id}:${clock.kind}:${dueIso}:${stage}`,
      caseId: c.id,
      kind: clock.kind,
      dueAt: clock.dueAt,
      stage,
    })
  }
  return reminders
}
