// Figures for the annual plan-implementation report, from plain case records.
//
// Every figure is about the cases RECEIVED in the year (Kyiv local date): what became of that
// year's reports. Records carry no closing date, and a cohort keeps the figures of a year stable
// apart from cases still open when the report is drawn up.

import { daysBetween, localDate } from './calendar'
import { clockStatus, type Clock } from './deadlines'
import {
  CHANNELS,
  OUTCOMES,
  type Anonymity,
  type CaseState,
  type Channel,
  type Outcome,
} from './vocab'

/** What the statistics read of a case; a CaseRecord fits. */
export interface StatsCase {
  channel: Channel
  anonymity: Anonymity
  state: CaseState
  outcome?: Outcome | undefined
  receivedAt: Date
  clocks: readonly Clock[]
}

export interface AnnualFigures {
  year: number
  received: number
  receivedByChannel: Record<Channel, number>
  anonymous: number
  confidential: number
  preliminaryReviewsDone: number
  preliminaryReviewsOnTime: number
  /** Sent on to a competent body: referred after review, or forwarded because it concerns the head. */
  referred: number
  investigationsOpened: number
  closedByOutcome: Record<Outcome, number>
  stillOpen: number
  /** Clocks that have come due or were met by `asOf`; met on time of those; null % when none. */
  deadlines: { counted: number; metOnTime: number; percentMetOnTime: number | null }
  /** Median Kyiv calendar days from receipt to acknowledgement (0 = same day); null when none. */
  medianDaysToAcknowledge: number | null
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

/** The annual figures for the cases received in `year`, with clock outcomes as of `asOf`. */
export function annualFigures(
  cases: readonly StatsCase[],
  year: number,
  asOf: Date
): AnnualFigures {
  const f: AnnualFigures = {
    year,
    received: 0,
    receivedByChannel: zeroes(CHANNELS),
    anonymous: 0,
    confidential: 0,
    preliminaryReviewsDone: 0,
    preliminaryReviewsOnTime: 0,
    referred: 0,
    investigationsOpened: 0,
    closedByOutcome: zeroes(OUTCOMES),
    stillOpen: 0,
    deadlines: { counted: 0, metOnTime: 0, percentMetOnTime: null },
    medianDaysToAcknowledge: null,
  }
  const daysToAcknowledge: number[] = []
  const prefix = `${String(year).padStart(4, '0')}-`
  for (const c of cases) {
    if (!localDate(c.receivedAt).startsWith(prefix)) continue
    f.received++
    f.receivedByChannel[c.channel]++
    f[c.anonymity]++
    if (c.state === 'closed' && c.outcome) f.closedByOutcome[c.outcome]++
    else f.stillOpen++
    if (c.state === 'referred' || c.outcome === 'referred') f.referred++

    const kinds = new Set(c.clocks.map((k) => k.kind))
    if (kinds.has('investigation')) f.investigationsOpened++
    // A spam report is not reviewed; its review clock is dropped (or closed late if already breached).
    const review =
      c.outcome === 'spam' ? undefined : c.clocks.find((k) => k.kind === 'preliminary-review')
    if (review?.metAt) {
      f.preliminaryReviewsDone++
      if (clockStatus(review, asOf) === 'met') f.preliminaryReviewsOnTime++
    }
    const ack = c.clocks.find((k) => k.kind === 'acknowledge')
    if (ack?.metAt) {
      daysToAcknowledge.push(daysBetween(localDate(ack.startedAt), localDate(ack.metAt)))
    }

    for (const clock of c.clocks) {
      const status = clockStatus(clock, asOf)
      if (status === 'due') continue
      f.deadlines.counted++
      if (status === 'met') f.deadlines.metOnTime++
    }
  }
  if (f.deadlines.counted > 0) {
    f.deadlines.percentMetOnTime =
      Math.round((f.deadlines.metOnTime / f.deadlines.counted) * 1000) / 10
  }
  f.medianDaysToAcknowledge = median(daysToAcknowledge)
  return f
}

/**
 * A count as shown outside the officers' own view: below the threshold it becomes '< 5', so a
 * small number cannot point at a person. Zero is suppressed too, as DOMAIN.md specifies, so
 * "none" and "a few" look alike.
 */
export function suppressSmallCounts(n: number, threshold = 5): number | `< ${number}` {
  return n < threshold ? `< ${threshold}` : n
}
