// The statistics service: a year's figures (and the year before, for comparison) from the cases'
// metadata, and which years have anything to report. Routes and the CLI call this, never the store.
import { localDate } from '../domain/calendar'
import {
  receivedIn,
  yearStatistics,
  type AnnualFigures,
  type StatsCase,
  type YearStatistics,
} from '../domain/stats'
import type { Store } from '../store/types'

export interface YearReport {
  current: YearStatistics
  previous: AnnualFigures
  /** Cases received in the year linked to each plan item, by item id. */
  linked: Record<string, number>
}

export interface StatisticsService {
  /** Years with cases or a plan, and the current year; newest first. */
  years(): Promise<number[]>
  forYear(year: number): Promise<YearReport>
}

/** Counts of cases linked to each plan item. */
export function linkedCounts(cases: readonly StatsCase[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of cases) for (const id of c.planItemIds ?? []) out[id] = (out[id] ?? 0) + 1
  return out
}

export function createStatisticsService(deps: {
  store: Pick<Store, 'cases' | 'plan'>
  clock: { now(): Date }
}): StatisticsService {
  const { store, clock } = deps
  const kyivYear = (at: Date) => Number(localDate(at).slice(0, 4))
  return {
    async years() {
      const years = new Set<number>([kyivYear(clock.now()), ...(await store.plan.years())])
      const range = await store.cases.receivedRange()
      if (range) {
        for (let y = kyivYear(range.first); y <= kyivYear(range.last); y++) years.add(y)
      }
      return [...years].sort((a, b) => b - a)
    },

    async forYear(year) {
      // Two Kyiv years, with a day's margin either side for the time zone.
      const cases = await store.cases.all({
        receivedFrom: new Date(Date.UTC(year - 2, 11, 31)),
        receivedBefore: new Date(Date.UTC(year + 1, 0, 2)),
      })
      const now = clock.now()
      return {
        current: yearStatistics(cases, year, now),
        previous: yearStatistics(cases, year - 1, now).year,
        linked: linkedCounts(receivedIn(cases, year)),
      }
    },
  }
}
