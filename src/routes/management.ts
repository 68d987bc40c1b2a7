// Management sees counts, never content: no sealed item, grant or key leaves these routes. The
// year's totals are exact; breakdowns finer than the year show small counts as "< 5"; no period is
// finer than a quarter (docs/domain.md, "Who sees what").
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { createAuditLog } from '../audit'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { valid, yearQuery } from '../http/validate'
import { localHref } from '../http/i18n'
import { ANNUAL_REPORT_CSS } from '../reports/annual/html'
import { REPORT_VARIANTS } from '../reports/annual/model'
import type { AnnualFormat, AnnualReportService } from '../reports/annual/service'
import { dashboardView } from '../reports/dashboard'
import type { StatisticsService } from '../reports/statistics'
import { barChartSvg } from '../reports/svg'
import { requireRole, staffOf } from '../http/staff'
import { staffPage } from './staff-common'

const REPORT_FILE = /^(\d{4})(?:\.(html|docx|csv|json))?$/

/** 2020, 2020.docx, 2020.csv, 2020.json: the year and the format (the page when none). */
const reportFile = z
  .object({
    file: z
      .string()
      .regex(REPORT_FILE)
      .transform((file) => {
        const [, year, format] = REPORT_FILE.exec(file)!
        return { year: Number(year), format: (format ?? 'html') as AnnualFormat }
      }),
  })
  .transform((p) => p.file)
const reportQuery = z.object({ variant: z.enum(REPORT_VARIANTS).default('internal') })

export function managementRoutes(
  deps: Pick<AppDeps, 'config' | 'store' | 'clock'>,
  stats: StatisticsService,
  annual: AnnualReportService
) {
  const { config } = deps
  const app = new Hono<AppEnv>()
  const audit = createAuditLog(deps)

  app.use('/', requireRole('management', 'admin'))
  app.use('/*', requireRole('management', 'admin'))

  // The query schemas read leniently and never fail; should one, the dashboard is the answer.
  const toDashboard = (c: Context<AppEnv>) => c.redirect('/management', 303)

  app.get('/', valid('query', yearQuery, toDashboard), async (c) => {
    const years = await stats.years()
    const asked = c.req.valid('query').year
    const year = asked !== undefined && years.includes(asked) ? asked : years[0]!
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
              text: String(q.received),
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

  app.get('/annual-report.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8')
    return c.body(ANNUAL_REPORT_CSS)
  })

  // /management/report/2020 is the printable page; 2020.docx, .csv, .json the files;
  // ?variant=public the version for publication (small counts hidden), internal by default.
  app.get(
    '/report/:file',
    valid('param', reportFile, (c) => c.notFound()),
    valid('query', reportQuery, (c) =>
      c.text(`variant must be one of: ${REPORT_VARIANTS.join(', ')}`, 400)
    ),
    async (c) => {
      const { year, format } = c.req.valid('param')
      if (!(await stats.years()).includes(year)) return c.notFound()
      const { variant } = c.req.valid('query')
      const model = await annual.build(year, c.var.lang, variant)
      const staff = staffOf(c)
      await audit.record({
        actorId: staff.account.id,
        actorRole: staff.roles.includes('management') ? 'management' : 'admin',
        action: 'report.annual',
        details: { year, format, variant },
      })
      const t = c.var.t
      const href = (path: string) => localHref(path, c.var.lang, config.defaultLanguage)
      const other = variant === 'public' ? 'internal' : 'public'
      const query = (v: string) => (v === 'public' ? '?variant=public' : '')
      const out = await annual.render(model, format, {
        tools: {
          backHref: href(`/management?year=${year}`),
          backText: t.annual.back,
          printHint: t.annual.print,
          links: [
            {
              href: href(`/management/report/${year}${query(other)}`),
              text: `${t.reportVariant.choice}: ${t.reportVariant[other]}`,
            },
            ...(['docx', 'csv', 'json'] as const).map((f) => ({
              href: href(`/management/report/${year}.${f}${query(variant)}`),
              text: f.toUpperCase(),
            })),
          ],
        },
        stylesheetHref: '/management/annual-report.css',
      })
      c.header('Content-Type', out.contentType)
      if (format !== 'html') {
        c.header('Content-Disposition', `attachment; filename="${out.filename}"`)
      }
      return c.body(typeof out.body === 'string' ? out.body : new Uint8Array(out.body))
    }
  )

  return app
}
