// The anti-corruption plan: a read-only list for officers (cases link to items on the case page).
// Changing it is the admin's job: ./officer-plan-admin.ts and ./officer-plan-import.ts.
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { valid, yearQuery } from '../http/validate'
import { localHref } from '../http/i18n'
import { fill } from '../officer/format'
import type { OfficerPage } from './officer-page'

export function officerPlanRoutes(
  deps: Pick<AppDeps, 'config' | 'store' | 'clock'>,
  page: OfficerPage
) {
  const { config, store } = deps
  const app = new Hono<AppEnv>()

  // Read leniently: a year not in the plan shows the newest, a bad count no notice.
  const planQuery = yearQuery.extend({
    imported: z
      .string()
      .regex(/^\d{1,4}$/)
      .optional()
      .catch(undefined),
  })
  app.get(
    '/plan',
    valid('query', planQuery, (c) => c.redirect('/officer/plan', 303)),
    async (c) => {
      const t = c.var.t.officer.plan
      const years = await store.plan.years()
      const { year: asked, imported } = c.req.valid('query')
      const year = asked !== undefined && years.includes(asked) ? asked : years.at(-1)
      const items = year === undefined ? [] : await store.plan.listYear(year)
      return page(
        c,
        { page: 'pages/officer/plan', fragment: 'partials/officer-plan-items', title: t.title },
        'plan',
        { kind: 'plain' },
        {
          years,
          year,
          items,
          canImport: c.var.staff?.roles.includes('admin') ?? false,
          notice: imported ? fill(t.imported, { n: imported }) : undefined,
          importHref: localHref('/officer/plan/import', c.var.lang, config.defaultLanguage),
          hiddenLang: c.var.lang !== config.defaultLanguage ? c.var.lang : undefined,
        }
      )
    }
  )

  return app
}
