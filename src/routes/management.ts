// Management sees counts, never content: no sealed item, grant or key leaves these routes, small
// counts are shown as "< 5", and no period is finer than a quarter (DOMAIN.md).
import { Hono } from 'hono'
import { localDate } from '../domain/calendar'
import { annualFigures, suppressSmallCounts } from '../domain/stats'
import { CASE_STATES, CHANNELS, OUTCOMES } from '../domain/vocab'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { requireRole } from '../staff/session'
import { staffPage } from './staff-common'

const SMALL = 5

export function managementRoutes(deps: AppDeps) {
  const { config, store, clock } = deps
  const app = new Hono<AppEnv>()

  app.use('/management/*', requireRole('management'))

  app.get('/management', async (c) => {
    const now = clock.now()
    const thisYear = Number(localDate(now).slice(0, 4))
    const asked = Number(c.req.query('year'))
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : thisYear
    // The cohort of a Kyiv year, with a day's margin either side for the time zone.
    const cases = await store.cases.all({
      receivedFrom: new Date(Date.UTC(year - 1, 11, 31)),
      receivedBefore: new Date(Date.UTC(year + 1, 0, 2)),
    })
    const figures = annualFigures(cases, year, now)
    const inYear = cases.filter((x) => localDate(x.receivedAt).startsWith(`${year}-`))
    const quarters = [1, 2, 3, 4].map((q) => ({
      q,
      received: show(
        inYear.filter((x) => Math.ceil(Number(localDate(x.receivedAt).slice(5, 7)) / 3) === q)
          .length
      ),
    }))
    const openByState = CASE_STATES.filter((s) => s !== 'closed').map((s) => ({
      state: s,
      count: show(inYear.filter((x) => x.state === s).length),
    }))
    const t = c.var.t.management
    return staffPage(
      c,
      config,
      { page: 'pages/management/dashboard', title: t.title },
      {
        year,
        years: Array.from({ length: 5 }, (_, i) => thisYear - i),
        received: show(figures.received),
        quarters,
        openByState,
        byChannel: CHANNELS.map((ch) => ({
          channel: ch,
          count: show(figures.receivedByChannel[ch]),
        })),
        anonymous: show(figures.anonymous),
        confidential: show(figures.confidential),
        reviewsDone: show(figures.preliminaryReviewsDone),
        reviewsOnTime: show(figures.preliminaryReviewsOnTime),
        referred: show(figures.referred),
        investigations: show(figures.investigationsOpened),
        outcomes: OUTCOMES.map((o) => ({ outcome: o, count: show(figures.closedByOutcome[o]) })),
        // A share is only shown when the counts behind it are not small.
        percentOnTime:
          figures.deadlines.counted >= SMALL && figures.deadlines.percentMetOnTime !== null
            ? `${Math.round(figures.deadlines.percentMetOnTime)} %`
            : '—',
        medianDays:
          figures.received >= SMALL && figures.medianDaysToAcknowledge !== null
            ? String(figures.medianDaysToAcknowledge)
            : '—',
      }
    )
  })

  return app
}

function show(n: number): string {
  return String(suppressSmallCounts(n, SMALL))
}
