// Managing the plan, for admins: the list with edit, move and delete buttons, the item form,
// copying a year's plan to another year, and downloads as JSON or CSV. Every form is a plain
// post answered with a redirect (or the page with its error), so no script is needed.
// Mounted before the officer routes: those let only officers into /officer/*.
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import type { Config } from '../config'
import { CASE_WORK_KINDS } from '../domain/vocab'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { valid } from '../http/validate'
import { fill } from '../officer/format'
import { planToCsv, planToJson } from '../plan/files'
import {
  planItemStamp,
  type PlanActor,
  type PlanItemFields,
  type PlanManager,
} from '../plan/manage'
import type { PlanItem } from '../store/types'
import { requireRole } from '../http/staff'
import { officerPage, type Ctx } from './officer-page'

const yearField = z.coerce.number().int().min(2000).max(2100)
/** Form text: line ends as the browser sends them (CRLF) become \n. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
const itemForm = z.object({
  number: z
    .string()
    .trim()
    .regex(/^(\d{1,3}(\.\d{1,3})*)?$/),
  measure: text(20_000).pipe(z.string().min(1)),
  deadlineText: text(20_000),
  responsible: text(20_000),
  doneText: text(100_000),
  // A checkbox list: absent when none is ticked, a string when one is.
  covers: z.preprocess(
    (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
    z.array(z.enum(CASE_WORK_KINDS))
  ),
})
const editForm = itemForm.extend({
  stamp: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
})
const newItemForm = itemForm.extend({ year: yearField })
const yearQuery = z.object({ year: yearField.optional() })
/** After a post, the list says what was done. */
const listQuery = yearQuery.extend({ done: z.enum(['saved', 'deleted', 'moved']).optional() })
const moveForm = z.object({ direction: z.enum(['up', 'down']) })
const copyForm = z.object({
  from: yearField,
  to: yearField,
  confirm: z.string().optional(),
})
const exportQuery = z.object({ year: yearField, format: z.enum(['json', 'csv']) })

function actorOf(c: Ctx): PlanActor {
  const staff = c.var.staff
  // Behind requireRole: no session here is a wiring mistake.
  if (!staff) throw new HTTPException(401)
  return { accountId: staff.account.id }
}

export function officerPlanAdminRoutes(plans: PlanManager, config: Config) {
  const app = new Hono<AppEnv>()
  const page = officerPage(config)
  const admin = requireRole('admin')
  for (const path of ['/plan/edit', '/plan/items/*', '/plan/copy']) {
    app.use(path, admin)
  }
  app.use('/plan/export', admin)
  const href = (c: Ctx, path: string) => localHref(path, c.var.lang, config.defaultLanguage)
  /** Back to the list, saying what was done; `#id` after ?lang= so the browser keeps both. */
  const toList = (c: Ctx, year: number, done: string, id?: string) =>
    c.redirect(
      `${href(c, `/officer/plan/edit?year=${year}&done=${done}`)}${id ? `#${id}` : ''}`,
      303
    )

  const showList = async (
    c: Ctx,
    askedYear: number | undefined,
    state: { error?: string; notice?: string; copyExists?: { to: number; n: number } } = {},
    status: 200 | 404 | 409 | 422 = 200
  ) => {
    const t = c.var.t.planAdmin
    const years = await plans.years()
    const year = askedYear ?? years.at(-1) ?? plans.thisYear()
    const items = await plans.list(year)
    const copyTo = state.copyExists?.to ?? year + 1
    return page(
      c,
      {
        page: 'pages/officer/plan-edit',
        fragment: 'partials/officer-plan-edit-items',
        title: t.title,
      },
      'plan',
      { kind: 'plain' },
      {
        years: years.includes(year) ? years : [...years, year].sort((a, b) => a - b),
        year,
        items,
        copyTo,
        error: state.error,
        notice: state.notice,
        copyExistsText: state.copyExists
          ? fill(t.copyExists, { year: state.copyExists.to, n: state.copyExists.n })
          : undefined,
        copyConfirmText: fill(t.copyConfirm, { year: copyTo }),
        hiddenLang: c.var.lang !== config.defaultLanguage ? c.var.lang : undefined,
      },
      status
    )
  }

  const showItem = (
    c: Ctx,
    year: number,
    item: (PlanItemFields & { id?: string }) | undefined,
    state: { error?: string; stamp?: string; conflict?: PlanItem } = {}
  ) => {
    const t = c.var.t.planAdmin
    const heading = fill(item?.id ? t.editTitle : t.newTitle, { year })
    const fields = item ?? {
      number: '',
      measure: '',
      deadlineText: '',
      responsible: '',
      doneText: '',
      covers: [],
    }
    return page(
      c,
      { page: 'pages/officer/plan-item', title: heading },
      'plan',
      { kind: 'plain' },
      {
        year,
        item: fields,
        // The form's stamp: of the stored item (a conflict shows what is stored now).
        stamp: state.stamp ?? (item?.id ? planItemStamp(fields) : undefined),
        conflict: state.conflict,
        kinds: CASE_WORK_KINDS,
        heading,
        action: item?.id
          ? `/officer/plan/items/${encodeURIComponent(item.id)}`
          : '/officer/plan/items',
        error: state.error,
      },
      state.conflict ? 409 : state.error ? 422 : 200
    )
  }

  const notFound = (c: Ctx) => showList(c, undefined, { error: c.var.t.planAdmin.notFound }, 404)

  app.get(
    '/plan/edit',
    valid('query', listQuery, (c) => showList(c, undefined)),
    (c) => {
      const { year, done } = c.req.valid('query')
      return showList(c, year, { notice: done && c.var.t.planAdmin[done] })
    }
  )

  app.get(
    '/plan/items/new',
    valid('query', yearQuery, (c) => showList(c, undefined)),
    (c) => showItem(c, c.req.valid('query').year ?? plans.thisYear(), undefined)
  )

  app.post(
    '/plan/items',
    valid('form', newItemForm, (c, _issues, raw) => {
      const year = yearField.safeParse(raw.year)
      return showItem(c, year.success ? year.data : plans.thisYear(), undefined, {
        error: c.var.t.planAdmin.badForm,
      })
    }),
    async (c) => {
      const { year, ...fields } = c.req.valid('form')
      const item = await plans.create(actorOf(c), year, fields)
      return toList(c, year, 'saved', item.id)
    }
  )

  app.get('/plan/items/:id', async (c) => {
    const item = await plans.get(c.req.param('id'))
    return item ? showItem(c, item.year, item) : notFound(c)
  })

  app.post(
    '/plan/items/:id',
    valid('form', editForm, async (c) => {
      const item = await plans.get(c.req.param('id') ?? '')
      return item ? showItem(c, item.year, item, { error: c.var.t.planAdmin.badForm }) : notFound(c)
    }),
    async (c) => {
      const id = c.req.param('id')
      const { stamp, ...fields } = c.req.valid('form')
      const result = await plans.update(actorOf(c), id, fields, stamp)
      if (result === 'missing') return notFound(c)
      if ('conflict' in result) {
        // The person's text stays in the form; saving again (new stamp) overwrites knowingly.
        const { conflict } = result
        return showItem(
          c,
          conflict.year,
          { ...fields, id },
          {
            error: c.var.t.planAdmin.conflict,
            stamp: planItemStamp(conflict),
            conflict,
          }
        )
      }
      return toList(c, result.item.year, 'saved', id)
    }
  )

  app.post(
    '/plan/items/:id/move',
    valid('form', moveForm, (c) => showList(c, undefined, {}, 422)),
    async (c) => {
      const item = await plans.move(actorOf(c), c.req.param('id'), c.req.valid('form').direction)
      return item ? toList(c, item.year, 'moved', item.id) : notFound(c)
    }
  )

  app.post('/plan/items/:id/delete', async (c) => {
    const id = c.req.param('id')
    const item: PlanItem | null = await plans.get(id)
    if (!item) return notFound(c)
    const result = await plans.remove(actorOf(c), id)
    if (typeof result === 'object') {
      const error = fill(c.var.t.planAdmin.linked, { n: result.linked })
      return showList(c, item.year, { error }, 409)
    }
    return toList(c, item.year, 'deleted')
  })

  app.post(
    '/plan/copy',
    valid('form', copyForm, (c) =>
      showList(c, undefined, { error: c.var.t.officer.plan.badYear }, 422)
    ),
    async (c) => {
      const t = c.var.t.planAdmin
      const { from, to, confirm } = c.req.valid('form')
      if (from === to) return showList(c, from, { error: t.badForm }, 422)
      const result = await plans.copy(actorOf(c), from, to, confirm === String(to))
      if ('empty' in result) return showList(c, from, { error: t.copyEmpty }, 422)
      if ('exists' in result)
        return showList(c, from, { copyExists: { to, n: result.exists } }, 409)
      if ('linked' in result) {
        const error = fill(t.dropsLinked, { year: to, ids: result.linked.join(', ') })
        return showList(c, from, { error }, 409)
      }
      return showList(c, to, { notice: fill(t.copied, { n: result.copied, year: to }) })
    }
  )

  app.get(
    '/plan/export',
    valid('query', exportQuery, (c) => c.text(c.var.t.officer.plan.badYear, 400)),
    async (c) => {
      const { year, format } = c.req.valid('query')
      const items = await plans.list(year)
      c.header('Content-Disposition', `attachment; filename="plan-${year}.${format}"`)
      if (format === 'json') {
        c.header('Content-Type', 'application/json; charset=utf-8')
        return c.body(planToJson(year, items))
      }
      c.header('Content-Type', 'text/csv; charset=utf-8')
      return c.body(planToCsv(items))
    }
  )

  return app
}
