// Figures for the annual plan-implementation report and the management dashboard, from plain
// case metadata (never content).
//
// Every figure is about the cases RECEIVED in the period (Kyiv local date): what became of that
// period's reports. A cohort keeps the figures of a year stable apart from cases still open when
// the report is drawn up. Records carry no closing date: a case is taken as closed when the clock
// its closing decision met was met (investigation, referral, forwarding, preliminary review).

import { localDate, type IsoDate } from './calendar'
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

/** A Kyiv local date as text and as a day count (days since 1970-01-01). */
interface LocalDay {
  iso: IsoDate
  n: number
}

// A zone's offset is a whole number of quarter hours (calendar.ts), so one lookup per quarter hour
// serves every instant in it. One fold over a year of 100,000 cases asks for ~400,000 dates.
const QUARTER_HOUR_MS = 15 * 60 * 1000
const DAY_MS = 86_400_000

/** Kyiv local days of instants, memoised for one fold. */
function localDays(): (at: Date) => LocalDay {
  const memo = new Map<number, LocalDay>()
  return (at) => {
    const q = Math.floor(at.getTime() / QUARTER_HOUR_MS)
    let day = memo.get(q)
    if (day === undefined) {
      const iso = localDate(at)
      // 'YYYY-MM-DD' parses as UTC midnight: day counts subtract like calendar.daysBetween.
      day = { iso, n: Date.parse(iso) / DAY_MS }
      memo.set(q, day)
    }
    return day
  }
}

/** Figures being counted: cases go in one by one, the figures come out once. */
interface FiguresFold {
  add(c: StatsCase, receivedDay: LocalDay): void
  result(): AnnualFigures
}

/** The figures of a period's cohort, clock outcomes as of `asOf`. */
function figuresFold(year: number, asOf: Date, dayOf: (at: Date) => LocalDay): FiguresFold {
  const f = emptyFigures(year)
  const toAcknowledge: number[] = []
  const toClose: number[] = []
  const add = (c: StatsCase, receivedDay: LocalDay) => {
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
      toAcknowledge.push(dayOf(ack.metAt).n - dayOf(ack.startedAt).n)
    }
    if (closed) {
      // Days to the latest met clock among those the closing decision meets.
      const closing = CLOSING_CLOCKS[c.outcome!]
      let decided = -Infinity
      for (const k of c.clocks) {
        if (k.metAt && closing.includes(k.kind)) decided = Math.max(decided, k.metAt.getTime())
      }
      if (decided > -Infinity) toClose.push(dayOf(new Date(decided)).n - receivedDay.n)
    }
    const measures = c.protectionMeasures ?? []
    if (measures.length > 0) f.protection.cases++
    f.protection.requested += measures.length
    for (const m of measures) {
      if (m.outcome !== 'pending' && m.outcome !== 'not-needed') f.protection.applied++
    }

    for (const clock of c.clocks) {
      const status = clockStatus(clock, asOf)
      if (status === 'due') continue
      f.deadlines.counted++
      if (status === 'met') f.deadlines.metOnTime++
      else if (isKnown(CLOCK_KINDS, clock.kind)) f.breachesByClock[clock.kind]++
    }
  }
  return {
    add,
    result() {
      f.referred = f.referredBy['after-review'] + f.referredBy['concerns-head']
      if (f.deadlines.counted > 0) {
        f.deadlines.percentMetOnTime =
          Math.round((f.deadlines.metOnTime / f.deadlines.counted) * 1000) / 10
      }
      f.daysToAcknowledge = spread(toAcknowledge)
      f.daysToClose = spread(toClose)
      f.medianDaysToAcknowledge = f.daysToAcknowledge.median
      return f
    },
  }
}

/** 1–4: the quarter of a Kyiv local date 'YYYY-MM-DD'. */
export function quarterOf(day: string): number {
  return Math.ceil(Number(day.slice(5, 7)) / 3)
}

/** A year's statistics, the previous year's figures, and cases per plan item. */
export interface YearAndPrevious {
  current: YearStatistics
  previous: AnnualFigures
  /** Cases received in the year linked to each plan item, by item id. */
  linked: Record<string, number>
}

/**
 * Counts a year (with its quarters) and the year before as cases stream past, in any order and
 * from any period: each case's Kyiv day of receipt is found once, cases of other years are
 * skipped, and no case is kept, so a store can hand over 100,000 cases one by one.
 */
export function yearFold(
  year: number,
  asOf: Date
): { add: (c: StatsCase) => void; result: () => YearAndPrevious } {
  const dayOf = localDays()
  const current = `${String(year).padStart(4, '0')}-`
  const before = `${String(year - 1).padStart(4, '0')}-`
  const whole = figuresFold(year, asOf, dayOf)
  const quarters = [1, 2, 3, 4].map(() => figuresFold(year, asOf, dayOf))
  const previous = figuresFold(year - 1, asOf, dayOf)
  const linked: Record<string, number> = {}
  return {
    add(c) {
      const day = dayOf(c.receivedAt)
      if (day.iso.startsWith(current)) {
        whole.add(c, day)
        quarters[quarterOf(day.iso) - 1]!.add(c, day)
        for (const id of c.planItemIds ?? []) linked[id] = (linked[id] ?? 0) + 1
      } else if (day.iso.startsWith(before)) previous.add(c, day)
    },
    result: () => ({
      current: { year: whole.result(), quarters: quarters.map((q) => q.result()) },
      previous: previous.result(),
      linked,
    }),
  }
}

/** The year's statistics and the previous year's figures from cases at hand. */
export function yearAndPrevious(
  cases: readonly StatsCase[],
  year: number,
  asOf: Date
): YearAndPrevious {
  const fold = yearFold(year, asOf)
  for (const c of cases) fold.add(c)
  return fold.result()
}

/** The annual figures for the cases received in `year`, with clock outcomes as of `asOf`. */
export function annualFigures(
  cases: readonly StatsCase[],
  year: number,
  asOf: Date
): AnnualFigures {
  return yearAndPrevious(cases, year, asOf).current.year
}

/** The year's figures and its quarters'. */
export function yearStatistics(
  cases: readonly StatsCase[],
  year: number,
  asOf: Date
): YearStatistics {
  return yearAndPrevious(cases, year, asOf).current
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
