// Management sees counts, never content: no sealed item, grant or key leaves these routes. The
// year's totals are exact; breakdowns finer than the year show small counts as "< 5"; no period is
// finer than a quarter (DOMAIN.md).
import { Hono } from 'hono'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { dashboardView } from '../reports/dashboard'
import type { StatisticsService } from '../reports/statistics'
import { barChartSvg } from '../reports/svg'
import { requireRole } from '../staff/session'
import { staffPage } from './staff-common'

export function managementRoutes(deps: Pick<AppDeps, 'config'>, stats: StatisticsService) {
  const { config } = deps
  const app = new Hono<AppEnv>()

  app.use('/management', requireRole('management', 'admin'))
  app.use('/management/*', requireRole('management', 'admin'))

  app.get('/management', async (c) => {
    const years = await stats.years()
    const asked = Number(c.req.query('year'))
    const year = years.includes(asked) ? asked : years[0]!
    const view = dashboardView(year, await stats.forYear(year), config.statsSmallCount)
    const t = c.var.t.management
    const o = c.var.t.officer
    return staffPage(
      c,
      config,
      { page: 'pages/management/dashboard', title: t.title },
      {
        years,
        view,
        privacy: t.privacy.replaceAll('{k}', String(config.statsSmallCount)),
        charts: {
          channels: barChartSvg(
            t.byChannel,
            view.channelBars.map((b) => ({ label: o.channels[b.key], value: b.value }))
          ),
          quarters: barChartSvg(
            t.byQuarter,
            view.quarters.map((q) => ({
              label: t.quarter.replace('{q}', String(q.q)),
              value: q.value,
            }))
          ),
          breaches: barChartSvg(
            t.breaches,
            view.breachBars.map((b) => ({ label: o.clocks[b.key], value: b.value }))
          ),
        },
      }
    )
  })

  return app
}
