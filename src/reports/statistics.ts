// The statistics service: a year's figures (and the year before, for comparison) from the cases'
// metadata, and which years have anything to report. Routes and the CLI call this, never the store.
import { localDate } from '../domain/calendar'
import { yearFold, type YearAndPrevious } from '../domain/stats'
import type { Store } from '../store/types'

/** The year's statistics with its quarters, the previous year's figures, cases per plan item. */
export type YearReport = YearAndPrevious

export interface StatisticsService {
  /** Years with cases or a plan, and the current year; newest first. */
  years(): Promise<number[]>
  forYear(year: number): Promise<YearReport>
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
      // Two Kyiv years, with a day's margin either side for the time zone; only the fields the
      // statistics count are read (issue 12: 100,000 cases are never loaded whole).
      const fold = yearFold(year, clock.now())
      await store.cases.eachForStatistics(
        new Date(Date.UTC(year - 2, 11, 31)),
        new Date(Date.UTC(year + 1, 0, 2)),
        fold.add
      )
      return fold.result()
    },
  }
}
