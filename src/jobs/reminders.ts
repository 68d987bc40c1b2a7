// Deadline reminders and the daily digest: content-free mail to the officers of a case.
//
// Both jobs only enqueue; the outbox worker sends. Every message has a dedupe key that names
// what it is about (`${reminderKey}:${officerId}`, `digest:${officerId}:${day}`), and the store
// keeps at most one message per key, so running a job twice, or on several instances at once,
// queues each reminder exactly once.
import type { Config } from '../config'
import type { Clock, Random } from '../deps'
import { addCalendarDays, KYIV_TIME_ZONE, localDate, startOfLocalDay } from '../domain/calendar'
import {
  DEFAULT_REMINDER_SCHEDULE,
  nearestDue,
  remindersDue,
  type ReminderSchedule,
} from '../domain/deadlines'
import { CASE_STATES, type CaseState } from '../domain/vocab'
import { clockGroupOf } from '../mail/messages'
import { enqueueMail } from '../mail/outbox'
import type { Account, CaseRecord, Store } from '../store/types'

/** Cases whose clocks still matter. */
export const OPEN_STATES: readonly CaseState[] = CASE_STATES.filter((s) => s !== 'closed')

export interface ReminderJobDeps {
  store: Pick<Store, 'cases' | 'grants' | 'accounts' | 'outbox'>
  clock: Clock
  random: Random
  config: Pick<Config, 'publicUrl' | 'defaultLanguage'>
}

export interface JobResult {
  /** Messages this run queued (duplicates of earlier runs are not counted). */
  enqueued: number
}

/** Officers who receive case mail: active accounts that still hold the officer role. */
function isActiveOfficer(a: Account | null): a is Account {
  return a !== null && a.status === 'active' && a.roles.includes('officer')
}

/**
 * Every open case with an open clock due before `dueBefore`, page by page (a case skipped by
 * paging is picked up by the next run). Between pages the event loop gets a turn: the embedded
 * store answers synchronously, and a walk over many cases must not stall the requests meanwhile.
 */
async function* openCases(
  store: Pick<Store, 'cases'>,
  dueBefore: Date,
  pageSize = 200
): AsyncGenerator<CaseRecord> {
  const filter = { states: [...OPEN_STATES], openClockDueBefore: dueBefore }
  for (let page = 1; ; page++) {
    const { items } = await store.cases.list(filter, page, pageSize)
    yield* items
    if (items.length < pageSize) return
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

export async function runDeadlineReminders(
  deps: ReminderJobDeps & { schedule?: ReminderSchedule }
): Promise<JobResult & { cases: number }> {
  const { store, clock, random, config, schedule = DEFAULT_REMINDER_SCHEDULE } = deps
  const now = clock.now()
  const accounts = new Map<string, Promise<Account | null>>()
  const account = (id: string) => {
    let a = accounts.get(id)
    if (!a) accounts.set(id, (a = store.accounts.get(id)))
    return a
  }

  let cases = 0
  let enqueued = 0
  // A reminder is due only for an open clock due within the earliest "before" step from now (or
  // past due): cases whose clocks are all further away have nothing to send yet.
  const lead = Math.max(0, ...schedule.before.map((step) => step.msBefore))
  for await (const c of openCases(store, new Date(now.getTime() + lead + 1))) {
    cases++
    const reminders = remindersDue(c, now, schedule)
    if (reminders.length === 0) continue
    const grants = await store.grants.listForCase(c.id)
    for (const grant of grants) {
      if (grant.granteeKind !== 'officer') continue
      const officer = await account(grant.granteeId)
      // Digest readers get their counts once a day instead (runDailyDigest).
      if (!isActiveOfficer(officer) || officer.notifyDigest) continue
      for (const reminder of reminders) {
        const clockGroup = clockGroupOf(reminder.kind)
        const queued = await enqueueMail(store, clock, random, {
          to: officer.email,
          template: 'deadline-reminder',
          params: {
            publicUrl: config.publicUrl,
            status: reminder.stage.startsWith('overdue') ? 'overdue' : 'due-soon',
            ...(clockGroup ? { clockGroup } : {}),
          },
          lang: config.defaultLanguage,
          dedupeKey: `${reminder.key}:${officer.id}`,
        })
        if (queued) enqueued++
      }
    }
  }
  return { cases, enqueued }
}

export interface DigestOptions {
  /** Kyiv local hour from which the day's digest goes out (so it arrives in the morning). */
  sendFromHour?: number
  /** A case counts as "due soon" when its nearest open clock is due within this time. */
  dueSoonMs?: number
}

export interface DigestCounts {
  newCases: number
  dueSoon: number
  breached: number
}

/** Counts for one officer's digest: cases created on the previous Kyiv day, and open cases by nearest deadline. */
export async function digestCounts(
  store: Pick<Store, 'cases'>,
  officerId: string,
  now: Date,
  dueSoonMs: number
): Promise<DigestCounts> {
  const today = localDate(now, KYIV_TIME_ZONE)
  const from = startOfLocalDay(addCalendarDays(today, -1), KYIV_TIME_ZONE).getTime()
  const to = startOfLocalDay(today, KYIV_TIME_ZONE).getTime()
  const counts: DigestCounts = { newCases: 0, dueSoon: 0, breached: 0 }
  for (const c of await store.cases.all({ grantedTo: officerId })) {
    const created = c.createdAt.getTime()
    if (created >= from && created < to) counts.newCases++
    if (c.state === 'closed') continue
    const nearest = nearestDue(c.clocks, now)
    if (nearest?.status === 'breached') counts.breached++
    else if (nearest && nearest.msLeft <= dueSoonMs) counts.dueSoon++
  }
  return counts
}

/**
 * One `daily-digest` per Kyiv day to every active officer who chose the digest, from
 * `sendFromHour` on. A digest with nothing to count is not sent (a later run the same day
 * sends it if something comes up).
 */
export async function runDailyDigest(deps: ReminderJobDeps & DigestOptions): Promise<JobResult> {
  const { store, clock, random, config, sendFromHour = 7, dueSoonMs = 3 * 24 * 3_600_000 } = deps
  const now = clock.now()
  const day = localDate(now, KYIV_TIME_ZONE)
  if (now.getTime() - startOfLocalDay(day, KYIV_TIME_ZONE).getTime() < sendFromHour * 3_600_000) {
    return { enqueued: 0 }
  }
  let enqueued = 0
  for (const officer of await store.accounts.list()) {
    if (!isActiveOfficer(officer) || !officer.notifyDigest) continue
    const counts = await digestCounts(store, officer.id, now, dueSoonMs)
    if (counts.newCases + counts.dueSoon + counts.breached === 0) continue
    const queued = await enqueueMail(store, clock, random, {
      to: officer.email,
      template: 'daily-digest',
      params: {
        publicUrl: config.publicUrl,
        newCases: String(counts.newCases),
        dueSoon: String(counts.dueSoon),
        breached: String(counts.breached),
      },
      lang: config.defaultLanguage,
      dedupeKey: `digest:${officer.id}:${day}`,
    })
    if (queued) enqueued++
  }
  return { enqueued }
}
