// The management dashboard's figures, as shown: the year's totals exact, breakdowns finer than the
// year (quarters, channel × anonymity, category) with small counts suppressed, zero always 0.
import {
  CATEGORY_KEYS,
  suppressSmallCounts,
  type AnnualFigures,
  type CategoryKey,
  type Shown,
} from '../domain/stats'
import {
  CHANNELS,
  CLOCK_KINDS,
  OUTCOMES,
  type Anonymity,
  type Channel,
  type ClockKind,
  type Outcome,
} from '../domain/vocab'
import type { YearReport } from './statistics'

export interface Bar<K extends string = string> {
  key: K
  value: number
}

/** A share "met / counted", with the counts behind it; null percent when nothing was counted. */
export interface Share {
  part: number
  whole: number
  percent: number | null
}

function share(part: number, whole: number): Share {
  return { part, whole, percent: whole > 0 ? Math.round((part / whole) * 1000) / 10 : null }
}

export interface DashboardView {
  year: number
  totals: AnnualFigures
  previous: AnnualFigures
  /** Quarters: received, anonymous, confidential; suppressed. */
  quarters: { q: number; received: Shown; anonymous: Shown; confidential: Shown; value: number }[]
  channelAnonymity: { channel: Channel; counts: Record<Anonymity, Shown> }[]
  categories: { category: CategoryKey; count: Shown }[]
  shares: {
    acknowledgedOnTime: Share
    reviewsOnTime: Share
    deadlinesMet: Share
  }
  /** For bar charts: the year's totals, exact. */
  channelBars: Bar<Channel>[]
  outcomeBars: Bar<Outcome>[]
  breachBars: Bar<ClockKind>[]
}

/**
 * `smallCount` is the suppression threshold (0: off); officers' own views pass `exact` to see
 * every breakdown as it is.
 */
export function dashboardView(
  year: number,
  report: YearReport,
  smallCount: number,
  exact = false
): DashboardView {
  const f = report.current.year
  const fine = (n: number): Shown => (exact ? n : suppressSmallCounts(n, smallCount))
  const bar = <K extends string>(key: K, value: number): Bar<K> => ({ key, value })
  return {
    year,
    totals: f,
    previous: report.previous,
    quarters: report.current.quarters.map((q, i) => ({
      q: i + 1,
      received: fine(q.received),
      anonymous: fine(q.anonymous),
      confidential: fine(q.confidential),
      // A suppressed quarter draws no bar of its true height either.
      value: typeof fine(q.received) === 'number' ? q.received : 0,
    })),
    channelAnonymity: CHANNELS.map((channel) => ({
      channel,
      counts: {
        anonymous: fine(f.byChannelAnonymity[channel].anonymous),
        confidential: fine(f.byChannelAnonymity[channel].confidential),
      },
    })),
    categories: CATEGORY_KEYS.map((category) => ({
      category,
      count: fine(f.byCategory[category]),
    })),
    shares: {
      acknowledgedOnTime: share(f.acknowledgedOnTime, f.acknowledged),
      reviewsOnTime: share(f.preliminaryReviewsOnTime, f.preliminaryReviewsDone),
      deadlinesMet: share(f.deadlines.metOnTime, f.deadlines.counted),
    },
    channelBars: CHANNELS.map((ch) => bar(ch, f.receivedByChannel[ch])),
    outcomeBars: OUTCOMES.map((o) => bar(o, f.closedByOutcome[o])),
    breachBars: CLOCK_KINDS.map((k) => bar(k, f.breachesByClock[k])),
  }
}
