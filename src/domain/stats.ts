// Figures for the annual plan-implementation report and the management dashboard, from plain
// case metadata (never content).
//
// Every figure is about the cases RECEIVED in the period (Kyiv local date): what became of that
// period's reports. A cohort keeps the figures of a year stable apart from cases still open when
// the report is drawn up. Records carry no closing date: a case is taken as closed when the clock
// its closing decision met was met (investigation, referral, forwarding, preliminary review).

import { daysBetween, localDate } from './calendar'
import { clockStatus, type Clock } from './deadlines'
import {
  ANONYMITY,
  CATEGORIES,
  CHANNELS,
  CLOCK_KINDS,
  OUTCOMES,
  type Anonymity,
  type CaseState,
  type Channel,
  REFERRAL_BODIES,
  type ClockKind,
  type Outcome,
  type ReferralBody,
} from './vocab'

/** What the statistics read of a case; a CaseRecord fits. */
export interface StatsCase {
  channel: Channel
  anonymity: Anonymity
  state: CaseState
  outcome?: Outcome | undefined
  category?: string | undefined
  receivedAt: Date
  clocks: readonly Clock[]
  protectionMeasures?: readonly { outcome: string }[] | undefined
  planItemIds?: readonly string[] | undefined
  referral?: { body: ReferralBody } | undefined
}

/** How a case was sent on: after a preliminary review, or at once because it concerns the head. */
export const REFERRAL_ROUTES = ['after-review', 'concerns-head'] as const
export type ReferralRoute = (typeof REFERRAL_ROUTES)[number]

/** Category keys as counted: the officers' categories and 'none' for a case not yet categorised. */
export const CATEGORY_KEYS = [...CATEGORIES, 'none'] as const
export type CategoryKey = (typeof CATEGORY_KEYS)[number]

export interface Spread {
  median: number | null
  /** 90th percentile (nearest rank). */
  p90: number | null
}

export interface AnnualFigures {
  year: number
  received: number
  receivedByChannel: Record<Channel, number>
  anonymous: number
  confidential: number
  byChannelAnonymity: Record<Channel, Record<Anonymity, number>>
  byCategory: Record<CategoryKey, number>
  acknowledged: number
  acknowledgedOnTime: number
  preliminaryReviewsDone: number
  preliminaryReviewsOnTime: number
  /** Sent on to a competent body: referred after review, or forwarded because it concerns the head. */
  referred: number
  referredBy: Record<ReferralRoute, number>
  /** Referred cases by the body they went to, as the officer recorded it with "refer". */
  referredTo: Record<ReferralBody, number>
  investigationsOpened: number
  /** Investigations whose term was extended (an approved extension added days). */
  investigationsExtended: number
  investigationsClosed: { confirmed: number; 'not-confirmed': number }
  closedByOutcome: Record<Outcome, number>
  stillOpen: number
  /** Protection measures recorded for whistleblowers, and those actually taken (an outcome other
   * than pending or not needed); `cases` is how many cases have any. */
  protection: { cases: number; requested: number; applied: number }
  /** Clocks that have come due or were met by `asOf`; met on time of those; null % when none. */
  deadlines: { counted: number; metOnTime: number; percentMetOnTime: number | null }
  /** Clocks missed (met late, or past due and unmet) by kind. */
  breachesByClock: Record<ClockKind, number>
  /** Kyiv calendar days from receipt to acknowledgement (0 = same day). */
  daysToAcknowledge: Spread
  /** Kyiv calendar days from receipt to the decision that closed the case. */
  daysToClose: Spread
  /** Same as daysToAcknowledge.median; kept for the dashboard. */
  medianDaysToAcknowledge: number | null
}

export interface YearStatistics {
  year: AnnualFigures
  /** Quarters 1–4 of the year, by Kyiv date of receipt. */
  quarters: AnnualFigures[]
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const upper = sorted[mid] ?? 0
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2
}

/** The nearest-rank percentile (p in 0–100): a value that occurs, no interpolation. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? null
}

function spread(values: readonly number[]): Spread {
  return { median: median(values), p90: percentile(values, 90) }
}

function emptyFigures(year: number): AnnualFigures {
  return {
    year,
    received: 0,
    receivedByChannel: zeroes(CHANNELS),
    anonymous: 0,
    confidential: 0,
    byChannelAnonymity: Object.fromEntries(CHANNELS.map((ch) => [ch, zeroes(ANONYMITY)])) as Record<
      Channel,
      Record<Anonymity, number>
    >,
    byCategory: zeroes(CATEGORY_KEYS),
    acknowledged: 0,
    acknowledgedOnTime: 0,
    preliminaryReviewsDone: 0,
    preliminaryReviewsOnTime: 0,
    referred: 0,
    referredBy: zeroes(REFERRAL_ROUTES),
    referredTo: zeroes(REFERRAL_BODIES),
    investigationsOpened: 0,
    investigationsExtended: 0,
    investigationsClosed: { confirmed: 0, 'not-confirmed': 0 },
    closedByOutcome: zeroes(OUTCOMES),
    stillOpen: 0,
    protection: { cases: 0, requested: 0, applied: 0 },
    deadlines: { counted: 0, metOnTime: 0, percentMetOnTime: null },
    breachesByClock: zeroes(CLOCK_KINDS),
    daysToAcknowledge: { median: null, p90: null },
    daysToClose: { median: null, p90: null },
    medianDaysToAcknowledge: null,
  }
}

/** The clock a closing decision meets, by outcome; spam closes without a decision clock. */
const CLOSING_CLOCKS: Record<Outcome, readonly string[]> = {
  confirmed: ['investigation'],
  'not-confirmed': ['investigation'],
  'left-without-consideration': ['preliminary-review'],
  'not-competent': ['preliminary-review'],
  referred: ['refer', 'forward-head'],
  spam: [],
}

function isKnown<K extends string>(keys: readonly K[], key: string): key is K {
  return (keys as readonly string[]).includes(key)
}

/** The figures of `cases` (already the period's cohort), clock outcomes as of `asOf`. */
function figuresOf(cases: readonly StatsCase[], year: number, asOf: Date): AnnualFigures {
  const f = emptyFigures(year)
  const toAcknowledge: number[] = []
  const toClose: number[] = []
  for (const c of cases) {
    const receivedDay = localDate(c.receivedAt)
    f.received++
    f.receivedByChannel[c.channel]++
    f[c.anonymity]++
    f.byChannelAnonymity[c.channel][c.anonymity]++
    f.byCategory[c.category && isKnown(CATEGORIES, c.category) ? c.category : 'none']++
    const closed = c.state === 'closed' && c.outcome !== undefined
    if (closed) f.closedByOutcome[c.outcome!]++
    else f.stillOpen++

    const byKind = (kind: string) => c.clocks.find((k) => k.kind === kind)
    if (byKind('forward-head')) f.referredBy['concerns-head']++
    else if (byKind('refer') || c.state === 'referred' || c.outcome === 'referred') {
      f.referredBy['after-review']++
    }
    if (c.referral) f.referredTo[c.referral.body]++
    const investigation = byKind('investigation')
    if (investigation) {
      f.investigationsOpened++
      if ((investigation.extendedDays ?? 0) > 0) f.investigationsExtended++
      if (closed && (c.outcome === 'confirmed' || c.outcome === 'not-confirmed')) {
        f.investigationsClosed[c.outcome]++
      }
    }
    // A spam report is not reviewed; its review clock is dropped (or closed late if already breached).
    const review = c.outcome === 'spam' ? undefined : byKind('preliminary-review')
    if (review?.metAt) {
      f.preliminaryReviewsDone++
      if (clockStatus(review, asOf) === 'met') f.preliminaryReviewsOnTime++
    }
    const ack = c.outcome === 'spam' ? undefined : byKind('acknowledge')
    if (ack?.metAt) {
      f.acknowledged++
      if (clockStatus(ack, asOf) === 'met') f.acknowledgedOnTime++
      toAcknowledge.push(daysBetween(localDate(ack.startedAt), localDate(ack.metAt)))
    }
    if (closed) {
      const decided = c.clocks
        .filter((k) => CLOSING_CLOCKS[c.outcome!].includes(k.kind) && k.metAt)
        .map((k) => k.metAt!.getTime())
      if (decided.length > 0) {
        toClose.push(daysBetween(receivedDay, localDate(new Date(Math.max(...decided)))))
      }
    }
    const measures = c.protectionMeasures ?? []
    if (measures.length > 0) f.protection.cases++
    f.protection.requested += measures.length
    f.protection.applied += measures.filter(
      (m) => m.outcome !== 'pending' && m.outcome !== 'not-needed'
    ).length

    for (const clock of c.clocks) {
      const status = clockStatus(clock, asOf)
      if (status === 'due') continue
      f.deadlines.counted++
      if (status === 'met') f.deadlines.metOnTime++
      else if (isKnown(CLOCK_KINDS, clock.kind)) f.breachesByClock[clock.kind]++
    }
  }
  f.referred = f.referredBy['after-review'] + f.referredBy['concerns-head']
  if (f.deadlines.counted > 0) {
    f.deadlines.percentMetOnTime =
      Math.round((f.deadlines.metOnTime / f.deadlines.counted) * 1000) / 10
  }
  f.daysToAcknowledge = spread(toAcknowledge)
  f.daysToClose = spread(toClose)
  f.medianDaysToAcknowledge = f.daysToAcknowledge.median
  return f
}

/** 1–4: the quarter of a Kyiv local date 'YYYY-MM-DD'. */
export function quarterOf(day: string): number {
  return Math.ceil(Number(day.slice(5, 7)) / 3)
}

/** The cases of `cases` received in `year` (Kyiv date). */
export function receivedIn<C extends StatsCase>(cases: readonly C[], year: number): C[] {
  const prefix = `${String(year).padStart(4, '0')}-`
  return cases.filter((c) => localDate(c.receivedAt).startsWith(prefix))
}

/** The annual figures for the cases received in `year`, with clock outcomes as of `asOf`. */
export function annualFigures(
  cases: readonly StatsCase[],
  year: number,
  asOf: Date
): AnnualFigures {
  return figuresOf(receivedIn(cases, year), year, asOf)
}

/** The year's figures and its quarters'. */
export function yearStatistics(
  cases: readonly StatsCase[],
  year: number,
  asOf: Date
): YearStatistics {
  const inYear = receivedIn(cases, year)
  return {
    year: figuresOf(inYear, year, asOf),
    quarters: [1, 2, 3, 4].map((q) =>
      figuresOf(
        inYear.filter((c) => quarterOf(localDate(c.receivedAt)) === q),
        year,
        asOf
      )
    ),
  }
}

/** A count as shown where small numbers could point at a person. */
export type Shown = number | `< ${number}`

/**
 * A count as shown in a breakdown finer than the year outside the officers' own view: below the
 * threshold it becomes "< 5", so a small number cannot point at a person. Zero stays 0 (nothing
 * to point at), and a threshold of 0 switches suppression off.
 */
export function suppressSmallCounts(n: number, threshold = 5): Shown {
  return n > 0 && n < threshold ? `< ${threshold}` : n
}
