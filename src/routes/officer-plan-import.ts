// Importing a year's plan, the admin's job: the report's text (pasted or a .txt), or a file in
// JSON or CSV (as exported from the plan's management page) or DOCX (a table with the seed's
// five columns). The year comes from the file's title or year unless another is chosen, and a
// different one is asked about once. Mounted before the officer routes (officers only there).
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { Config } from '../config'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { valid } from '../http/validate'
import { fill } from '../officer/format'
import { PLAN_FORMATS, type PlanFormat } from '../plan/formats'
import type { PlanManager } from '../plan/manage'
import { requireRole } from '../http/staff'
import { officerPage, type Ctx } from './officer-page'

const MAX_PLAN_FILE = 2 * 1024 * 1024

const importForm = z.object({
  year: z.string().trim().max(10).optional(),
  format: z.enum(PLAN_FORMATS).default('text'),
  text: z.string().max(MAX_PLAN_FILE).optional(),
  file: z.instanceof(File).optional().or(z.string().max(0)),
  confirmYear: z.string().max(10).optional(),
})

interface ImportState {
  year?: string
  format?: PlanFormat
  error?: string
  notice?: string
  /** Another year than the file's was chosen: what was sent comes back with a confirmation box. */
  mismatch?: { chosen: number; detected: number; text: string }
}

export function officerPlanImportRoutes(plans: PlanManager, config: Config) {
  const app = new Hono<AppEnv>()
  const page = officerPage(config)
  app.use('/plan/import', requireRole('admin'))

  const show = (c: Ctx, state: ImportState, status: 200 | 409 | 422 = 200) => {
    const t = c.var.t.officer.plan
    const format = state.format ?? 'text'
    return page(
      c,
      { page: 'pages/officer/plan-import', title: t.importTitle },
      'plan',
      { kind: 'plain' },
      {
        // Empty: the year is taken from the report's title ("… за 2020 рік").
        year: state.year ?? '',
        format,
        formats: PLAN_FORMATS,
        error: state.error,
        notice: state.notice,
        mismatch: state.mismatch,
        mismatchText: state.mismatch
          ? fill(t.yearMismatch, {
              detected: state.mismatch.detected,
              chosen: state.mismatch.chosen,
            })
          : undefined,
        // A DOCX cannot come back in the form: it has to be chosen again.
        fileAgain: state.mismatch && format === 'docx',
        confirmText: state.mismatch
          ? fill(t.yearConfirm, { chosen: state.mismatch.chosen })
          : undefined,
      },
      status
    )
  }

  app.get('/plan/import', (c) => show(c, {}))

  app.post(
    '/plan/import',
    bodyLimit({
      maxSize: MAX_PLAN_FILE + 64 * 1024,
      onError: (c) => c.text('The plan file is too large', 413),
    }),
    valid('form', importForm, (c) => show(c, { error: c.var.t.planAdmin.badFile }, 422)),
    async (c) => {
      const t = c.var.t.officer.plan
      const form = c.req.valid('form')
      const { format } = form
      const yearText = form.year ?? ''
      const file = form.file instanceof File && form.file.size > 0 ? form.file : undefined
      const pasted = form.text?.trim() ? form.text : undefined
      // The pasted text counts first for the report's text; a chosen file first for the others.
      const input =
        format === 'text'
          ? pasted !== undefined
            ? new TextEncoder().encode(pasted)
            : file && new Uint8Array(await file.arrayBuffer())
          : file
            ? new Uint8Array(await file.arrayBuffer())
            : format !== 'docx' && pasted !== undefined
              ? new TextEncoder().encode(pasted)
              : undefined
      const read = input && plans.read(format, input)
      if (!read) return show(c, { year: yearText, format, error: c.var.t.planAdmin.badFile }, 422)
      const year = yearText ? Number(yearText) : read.detected
      if (year === undefined || !Number.isInteger(year) || year < 2000 || year > 2100) {
        return show(c, { year: yearText, format, error: t.badYear }, 422)
      }
      // Importing 2020's plan as 2021's is more often a slip than intended: ask once.
      const detected = read.detected
      if (detected !== undefined && detected !== year && form.confirmYear !== String(year)) {
        const text = format === 'docx' || !input ? '' : new TextDecoder().decode(input)
        const mismatch = { chosen: year, detected, text }
        return show(c, { year: String(year), format, mismatch }, 422)
      }
      const staff = c.var.staff
      if (!staff) throw new HTTPException(401)
      const stored = await plans.replace(
        { accountId: staff.account.id },
        year,
        read.itemsFor(year),
        format
      )
      if (typeof stored === 'object') {
        const error = fill(c.var.t.planAdmin.dropsLinked, { year, ids: stored.linked.join(', ') })
        return show(c, { year: String(year), format, error }, 409)
      }
      if (stored === 0) return show(c, { year: String(year), format, error: t.importEmpty }, 422)
      // The list is the officers' page; an admin who is not an officer stays here.
      if (!staff.roles.includes('officer')) {
        const notice = `${fill(t.imported, { n: stored })} ${fill(t.importedYear, { year })}`
        return show(c, { year: String(year), format, notice })
      }
      return c.redirect(
        localHref(
          `/officer/plan?year=${year}&imported=${stored}`,
          c.var.lang,
          config.defaultLanguage
        ),
        303
      )
    }
  )

  return app
}
