// The anti-corruption plan: a read-only list for officers (cases link to items on the case page)
// and the import of a year's plan from the text of its report, which is the admin's job.
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createAuditLog } from '../audit'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { fill } from '../officer/format'
import { importPlan, planYearOf } from '../plan/import'
import type { OfficerPage } from './officer-page'

const MAX_PLAN_TEXT = 2 * 1024 * 1024

export function officerPlanRoutes(
  deps: Pick<AppDeps, 'config' | 'store' | 'clock'>,
  page: OfficerPage
) {
  const { config, store, clock } = deps
  const app = new Hono<AppEnv>()
  const audit = createAuditLog({ store, clock })

  app.get('/officer/plan', async (c) => {
    const t = c.var.t.officer.plan
    const years = await store.plan.years()
    const asked = Number(c.req.query('year'))
    const year = years.includes(asked) ? asked : years.at(-1)
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
        canImport: c.var.staff!.roles.includes('admin'),
        notice: /^\d{1,4}$/.test(c.req.query('imported') ?? '')
          ? fill(t.imported, { n: c.req.query('imported')! })
          : undefined,
        importHref: localHref('/officer/plan/import', c.var.lang, config.defaultLanguage),
        hiddenLang: c.var.lang !== config.defaultLanguage ? c.var.lang : undefined,
      }
    )
  })

  const showImport = (
    c: Parameters<OfficerPage>[0],
    state: {
      year?: string
      error?: string
      notice?: string
      /** Another year than the title's was chosen: the text comes back with a confirmation box. */
      mismatch?: { chosen: number; detected: number; text: string }
    },
    status: 200 | 422 = 200
  ) =>
    page(
      c,
      { page: 'pages/officer/plan-import', title: c.var.t.officer.plan.importTitle },
      'plan',
      { kind: 'plain' },
      {
        // Empty: the year is taken from the report's title ("… за 2020 рік").
        year: state.year ?? '',
        error: state.error,
        notice: state.notice,
        mismatch: state.mismatch,
        mismatchText: state.mismatch
          ? fill(c.var.t.officer.plan.yearMismatch, {
              detected: state.mismatch.detected,
              chosen: state.mismatch.chosen,
            })
          : undefined,
        confirmText: state.mismatch
          ? fill(c.var.t.officer.plan.yearConfirm, { chosen: state.mismatch.chosen })
          : undefined,
      },
      status
    )

  app.get('/officer/plan/import', (c) => showImport(c, {}))

  app.post(
    '/officer/plan/import',
    bodyLimit({
      maxSize: MAX_PLAN_TEXT + 64 * 1024,
      onError: (c) => c.text('The plan text is too large', 413),
    }),
    async (c) => {
      const t = c.var.t.officer.plan
      const form = await c.req.parseBody()
      const file = form.file
      let text = typeof form.text === 'string' ? form.text : ''
      if (!text.trim() && file instanceof File && file.size > 0) text = await file.text()
      const yearText = typeof form.year === 'string' ? form.year.trim() : ''
      const detected = planYearOf(text)
      const year = yearText ? Number(yearText) : detected
      if (year === undefined || !Number.isInteger(year) || year < 2000 || year > 2100) {
        return showImport(c, { year: yearText, error: t.badYear }, 422)
      }
      // Importing 2020's report as 2021's plan is more often a slip than intended: ask once.
      if (detected !== undefined && detected !== year && form.confirmYear !== String(year)) {
        return showImport(
          c,
          { year: String(year), mismatch: { chosen: year, detected, text } },
          422
        )
      }
      const items = await importPlan(store, text, year)
      if (items.length === 0) {
        return showImport(c, { year: String(year), error: t.importEmpty }, 422)
      }
      const staff = c.var.staff!
      await audit.record({
        actorId: staff.account.id,
        actorRole: 'admin',
        action: 'plan.import',
        details: { year, items: items.length },
      })
      // The list is the officers' page; an admin who is not an officer stays here.
      if (!staff.roles.includes('officer')) {
        return showImport(c, {
          year: String(year),
          notice: `${fill(t.imported, { n: items.length })} ${fill(t.importedYear, { year })}`,
        })
      }
      return c.redirect(
        localHref(
          `/officer/plan?year=${year}&imported=${items.length}`,
          c.var.lang,
          config.defaultLanguage
        ),
        303
      )
    }
  )

  return app
}
