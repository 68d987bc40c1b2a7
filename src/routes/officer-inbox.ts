// The officer's inbox at /officer and /officer/cases: filters, sort and pages in the query
// string, so a GET form works without JavaScript and htmx swaps only the rows (hx-push-url keeps
// the address true). The server filters metadata only; search in the decrypted titles happens in
// the officer's browser over the rows shown (src/browser/officer-inbox.ts).
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../deps'
import { CASE_STATES, CATEGORIES, CHANNELS } from '../domain/vocab'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { isHtmx } from '../http/render'
import { staffOf } from '../http/staff'
import { valid } from '../http/validate'
import {
  INBOX_MAX_PAGE,
  INBOX_PAGE_SIZE,
  type InboxQuery,
  type OfficerCases,
} from '../officer/cases'
import { dateText, dueText, fill } from '../officer/format'
import { CASE_SORTS, type Account, type CaseSort } from '../store/types'
import type { OfficerPage, Ctx } from './officer-page'

/** A GET form sends every field; an empty one means "any". */
const blankAsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const optional = <T extends z.ZodType>(t: T) => z.preprocess(blankAsAbsent, t.optional())

export const inboxQuery = z.object({
  // What people type around a number ("№ 2026/0042 ") is dropped; the rest is digits and "/".
  reg: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/[\s№#]/g, '') || undefined : v),
    z
      .string()
      .regex(/^[0-9/]{1,20}$/)
      .optional()
  ),
  state: optional(z.enum(CASE_STATES)),
  category: optional(z.enum(CATEGORIES)),
  channel: optional(z.enum(CHANNELS)),
  assignee: optional(z.string().max(100)),
  plan: optional(z.string().max(100)),
  overdue: optional(z.literal('1')),
  from: optional(z.iso.date()),
  to: optional(z.iso.date()),
  sort: optional(z.enum(CASE_SORTS)),
  dir: optional(z.enum(['asc', 'desc'])),
  page: optional(z.coerce.number().int().min(1).max(INBOX_MAX_PAGE)),
})
type InboxParams = z.infer<typeof inboxQuery>
type ParamName = keyof InboxParams

/** The order each sort starts in when the form does not say: newest, soonest, highest number. */
const DEFAULT_DIRECTION: Record<CaseSort, 'asc' | 'desc'> = {
  received: 'desc',
  deadline: 'asc',
  registration: 'desc',
}

/** Keeps what is valid of a query that failed validation, and names what was not. */
function lenient(raw: Record<string, string>): { params: InboxParams; bad: ParamName[] } {
  const params: InboxParams = {}
  const bad: ParamName[] = []
  for (const [name, schema] of Object.entries(inboxQuery.shape) as [ParamName, z.ZodType][]) {
    const r = schema.safeParse(raw[name])
    if (r.success) Object.assign(params, { [name]: r.data })
    else bad.push(name)
  }
  return { params, bad }
}

export function officerInboxRoutes(deps: AppDeps, cases: OfficerCases, page: OfficerPage) {
  const { config, store } = deps
  const app = new Hono<AppEnv>()
  const href = (c: Ctx, path: string) => localHref(path, c.var.lang, config.defaultLanguage)

  async function activeOfficers(): Promise<Account[]> {
    const all = await store.accounts.list()
    return all
      .filter((a) => a.status === 'active' && a.roles.includes('officer'))
      .sort((x, y) => x.displayName.localeCompare(y.displayName))
  }

  const inbox = async (c: Ctx, p: InboxParams, bad: ParamName[] = []) => {
    const t = c.var.t.officer
    const lang = c.var.lang
    const staff = staffOf(c)
    // Dates the wrong way round are read as the range they describe.
    const [from, to] = p.from && p.to && p.from > p.to ? [p.to, p.from] : [p.from, p.to]
    const sort = p.sort ?? 'received'
    const q: InboxQuery = {
      registration: p.reg,
      state: p.state,
      category: p.category,
      channel: p.channel,
      overdue: p.overdue === '1',
      assigneeId: p.assignee === 'me' ? staff.account.id : p.assignee,
      planItemId: p.plan,
      receivedFrom: from,
      receivedTo: to,
      sort,
      direction: p.dir ?? DEFAULT_DIRECTION[sort],
      page: p.page ?? 1,
    }
    const { page: result, rows } = await cases.inbox(staff, q)
    const officers = await activeOfficers()
    const planYears = await store.plan.years()
    const planItems = planYears.length ? await store.plan.listYear(planYears.at(-1)!) : []
    const pages = Math.min(INBOX_MAX_PAGE, Math.max(1, Math.ceil(result.total / INBOX_PAGE_SIZE)))
    const filters: Record<string, string> = {
      reg: q.registration ?? '',
      state: q.state ?? '',
      category: q.category ?? '',
      channel: q.channel ?? '',
      assignee: p.assignee ?? '',
      plan: q.planItemId ?? '',
      overdue: q.overdue ? '1' : '',
      from: from ?? '',
      to: to ?? '',
      sort: p.sort ?? '',
      dir: p.dir ?? '',
    }
    const query = (n: number) => {
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v)
      if (n > 1) params.set('page', String(n))
      if (lang !== config.defaultLanguage) params.set('lang', lang)
      const s = params.toString()
      return `/officer/cases${s ? `?${s}` : ''}`
    }
    const labels: Record<ParamName, string> = {
      reg: t.inbox.registration,
      state: t.inbox.state,
      category: t.inbox.category,
      channel: t.inbox.channel,
      assignee: t.inbox.assignee,
      plan: t.inbox.planItem,
      overdue: t.inbox.overdue,
      from: t.inbox.receivedFrom,
      to: t.inbox.receivedTo,
      sort: t.inbox.sort,
      dir: t.inbox.direction,
      page: t.inbox.pageNo,
    }
    const narrowed = Object.entries(filters).some(([k, v]) => v && k !== 'sort' && k !== 'dir')
    return page(
      c,
      { page: 'pages/officer/inbox', fragment: 'partials/officer-case-rows', title: t.inbox.title },
      'inbox',
      { kind: 'inbox' },
      {
        filters,
        narrowed,
        error: bad.length
          ? fill(t.inbox.badFilter, {
              fields: bad.map((b) => labels[b]).join(', '),
              max: INBOX_MAX_PAGE,
            })
          : undefined,
        states: CASE_STATES,
        categories: CATEGORIES,
        channels: CHANNELS,
        sorts: CASE_SORTS,
        officers: officers.map((o) => ({ id: o.id, name: o.displayName })),
        planItems: planItems.map((item) => ({
          id: item.id,
          label: `${item.number ? `${item.number}. ` : ''}${short(item.measure, 60)}`,
        })),
        rows: rows.map(({ case: r, due }) => ({
          id: r.id,
          href: href(c, `/officer/cases/${r.id}`),
          regNo: r.registrationNo,
          receivedText: dateText(r.receivedAt, lang),
          receivedIso: r.receivedAt.toISOString(),
          channel: t.channels[r.channel],
          state: t.states[r.state],
          stateKey: r.state,
          category: r.category
            ? ((t.categories as Record<string, string>)[r.category] ?? r.category)
            : '—',
          due: dueText(due, t),
          unread: r.unreadForOfficers,
          encMode: r.encMode,
        })),
        total: result.total,
        totalText: result.capped ? `${result.total}+` : String(result.total),
        capped: result.capped === true,
        pageNo: result.page,
        pages,
        prevHref: result.page > 1 ? query(Math.min(result.page - 1, pages)) : undefined,
        nextHref: result.page < pages ? query(result.page + 1) : undefined,
        resetHref: href(c, '/officer/cases'),
        hiddenLang: lang !== config.defaultLanguage ? lang : undefined,
      },
      // A full page says the request was wrong; htmx only swaps a 2xx, so its fragment is 200.
      bad.length && !isHtmx(c) ? 400 : 200
    )
  }

  const onInvalid = (c: Ctx) => {
    const { params, bad } = lenient(c.req.query())
    return inbox(c, params, bad)
  }
  for (const path of ['/', '/cases']) {
    app.get(path, valid('query', inboxQuery, onInvalid), (c) => inbox(c, c.req.valid('query')))
  }
  return app
}

export function short(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
