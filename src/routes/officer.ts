// The officer's workspace: inbox, case page, lifecycle actions, case record, protection measures,
// access and hand-over, manual intake. Pages render metadata only; case content is decrypted by
// src/browser/officer-workspace.entry.ts through the JSON API in officer-api.ts. Every form also
// works as a plain POST (post/redirect/get); htmx requests get the fragment they swap.
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppDeps } from '../deps'
import {
  CASE_STATES,
  CATEGORIES,
  INTAKE_CHANNELS,
  MEASURE_OUTCOMES,
  PROTECTION_MEASURE_KINDS,
  REFERRAL_BODIES,
} from '../domain/vocab'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { isHtmx, render } from '../http/render'
import {
  type OfficerCases,
  INBOX_PAGE_SIZE,
  parseInboxQuery,
  type CaseDetail,
  type ChangeRefused,
} from '../officer/cases'
import { dateText, dateTimeText, dueText, fill, kyivInputValue } from '../officer/format'
import type { OfficerSealed } from '../officer/sealed'
import type { OfficerDirectory } from '../report/directory'
import type { Certificates } from '../staff/certificates'
import { requireRole, staffOf } from '../http/staff'
import type { Account } from '../store/types'
import { officerApi } from './officer-api'
import { officerPage, type Ctx } from './officer-page'
import { officerPlanRoutes } from './officer-plan'

/** What a case page shows besides the case: a message, the failed form, the section to open. */
interface CaseExtra {
  error?: string
  notice?: string
  failed?: Record<string, string>
  openSection?: 'fields' | 'measures'
}

/** The officer services, built once by createApp. */
export interface OfficerServices {
  cases: OfficerCases
  sealed: OfficerSealed
  directory: OfficerDirectory
  certificates: Certificates
}

export function officerRoutes(
  deps: AppDeps,
  { cases, sealed, directory, certificates }: OfficerServices
) {
  const { config, store, clock } = deps
  const app = new Hono<AppEnv>()
  const orgKey = async () => {
    const key = await certificates.orgPublicKey()
    return key ? { orgPublicKey: key } : {}
  }

  // Role officer everywhere, except the plan import, which is the admin's.
  const officerOnly = requireRole('officer')
  const adminOnly = requireRole('admin')
  app.use('/officer', officerOnly)
  app.use(
    '/officer/*',
    createMiddleware<AppEnv>((c, next) =>
      (c.req.path === '/officer/plan/import' ? adminOnly : officerOnly)(c, next)
    )
  )

  const href = (c: Ctx, path: string) => localHref(path, c.var.lang, config.defaultLanguage)
  const back = (c: Ctx, path: string) => c.redirect(href(c, path), 303)

  const page = officerPage(config)

  // ------------------------------------------------------------- inbox

  const inbox = async (c: Ctx) => {
    const t = c.var.t.officer
    const lang = c.var.lang
    const staff = staffOf(c)
    const q = parseInboxQuery(c.req.query(), staff.account.id)
    const { page: result, rows } = await cases.inbox(staff, q)
    const officers = await activeOfficers()
    const planYears = await store.plan.years()
    const planItems = planYears.length ? await store.plan.listYear(planYears.at(-1)!) : []
    const pages = Math.max(1, Math.ceil(result.total / INBOX_PAGE_SIZE))
    const query = (p: number) => {
      const params = new URLSearchParams()
      if (q.state) params.set('state', q.state)
      if (q.category) params.set('category', q.category)
      if (q.overdue) params.set('overdue', '1')
      const assignee = c.req.query('assignee')
      if (assignee) params.set('assignee', assignee)
      if (q.planItemId) params.set('plan', q.planItemId)
      if (p > 1) params.set('page', String(p))
      if (lang !== config.defaultLanguage) params.set('lang', lang)
      const s = params.toString()
      return `/officer/cases${s ? `?${s}` : ''}`
    }
    return page(
      c,
      { page: 'pages/officer/inbox', fragment: 'partials/officer-case-rows', title: t.inbox.title },
      'inbox',
      { kind: 'inbox' },
      {
        filters: { ...q, assignee: c.req.query('assignee') ?? '' },
        states: CASE_STATES,
        categories: CATEGORIES,
        officers: officers.map((o) => ({ id: o.id, name: o.displayName })),
        planItems: planItems.map((p) => ({
          id: p.id,
          label: `${p.number ? `${p.number}. ` : ''}${short(p.measure, 60)}`,
        })),
        rows: rows.map(({ case: r, due }) => ({
          id: r.id,
          href: href(c, `/officer/cases/${r.id}`),
          regNo: r.registrationNo,
          receivedText: dateText(r.receivedAt, lang),
          receivedIso: r.receivedAt.toISOString(),
          channel: t.channels[r.channel],
          state: t.states[r.state],
          category: r.category
            ? ((t.categories as Record<string, string>)[r.category] ?? r.category)
            : '—',
          due: dueText(due, t),
          unread: r.unreadForOfficers,
          encMode: r.encMode,
        })),
        total: result.total,
        pageNo: result.page,
        pages,
        prevHref: result.page > 1 ? query(result.page - 1) : undefined,
        nextHref: result.page < pages ? query(result.page + 1) : undefined,
        hiddenLang: lang !== config.defaultLanguage ? lang : undefined,
      }
    )
  }

  app.get('/officer', inbox)
  app.get('/officer/cases', inbox)

  async function activeOfficers(): Promise<Account[]> {
    const all = await store.accounts.list()
    return all
      .filter((a) => a.status === 'active' && a.roles.includes('officer'))
      .sort((x, y) => x.displayName.localeCompare(y.displayName))
  }

  // ------------------------------------------------------------- case page

  /** The case page's data (status partial included) in the page's words. */
  const caseData = (c: Ctx, d: CaseDetail, extra: CaseExtra = {}) => {
    const t = c.var.t.officer
    const lang = c.var.lang
    const r = d.case
    const labels = t.clocks as Record<string, string>
    return {
      caseId: r.id,
      version: r.version,
      regNo: r.registrationNo,
      heading: fill(t.case.title, { reg: r.registrationNo ?? `(${t.case.unregistered})` }),
      receivedText: dateTimeText(r.receivedAt, lang),
      channel: t.channels[r.channel],
      anonymity: t.anonymity[r.anonymity],
      encMode: r.encMode,
      state: t.states[r.state],
      outcome: r.outcome ? t.outcomes[r.outcome] : undefined,
      referredTo: r.referral ? (r.referral.name ?? t.referralBodies[r.referral.body]) : undefined,
      pendingExtension: r.pendingExtension
        ? fill(t.case.pendingExtension, { days: r.pendingExtension.days })
        : undefined,
      clocks: d.clocks.map((k) => ({
        label: labels[k.kind] ?? k.kind,
        startedText: dateTimeText(k.startedAt, lang),
        dueText: dateTimeText(k.dueAt, lang),
        dueIso: k.dueAt.toISOString(),
        status: k.status,
        statusText: t.clockStatus[k.status],
        metText: k.metAt ? dateTimeText(k.metAt, lang) : undefined,
        extended: k.extendedDays ? fill(t.case.extended, { n: k.extendedDays }) : undefined,
      })),
      due: dueText(d.due, t),
      actions: d.actions.map((a) => ({
        action: a,
        label: t.actions[a],
        outcomes:
          a === 'close' ? d.closeOutcomes.map((o) => ({ value: o, label: t.outcomes[o] })) : [],
        days: a === 'request-extension' || a === 'approve-extension',
        referralBodies:
          a === 'refer'
            ? REFERRAL_BODIES.map((b) => ({ value: b, label: t.referralBodies[b] }))
            : [],
        daysDefault: a === 'approve-extension' ? r.pendingExtension?.days : undefined,
      })),
      category: r.category ?? '',
      categories: CATEGORIES.map((k) => ({ value: k, label: t.categories[k] })),
      tags: r.tags.join(', '),
      assigneeId: r.assigneeId ?? '',
      officers: d.officers.map((o) => ({ id: o.id, name: o.displayName })),
      planItems: d.planItems.map((p) => ({
        id: p.id,
        label: `${p.number ? `${p.number}. ` : ''}${short(p.measure, 90)}`,
        checked: r.planItemIds.includes(p.id),
      })),
      measures: r.protectionMeasures.map((m) => ({
        id: m.id,
        kind: (t.measures as Record<string, string>)[m.kind] ?? m.kind,
        takenText: dateText(new Date(`${m.takenOn}T12:00:00Z`), lang),
        outcome: m.outcome,
      })),
      measureKinds: PROTECTION_MEASURE_KINDS.map((k) => ({ value: k, label: t.measures[k] })),
      measureOutcomes: MEASURE_OUTCOMES.map((k) => ({ value: k, label: t.measureOutcomes[k] })),
      today: kyivInputValue(clock.now()).slice(0, 10),
      accessHref: href(c, `/officer/cases/${r.id}/access`),
      backHref: href(c, '/officer/cases'),
      postHref: (suffix: string) => href(c, `/officer/cases/${r.id}${suffix}`),
      ...extra,
    }
  }

  const showCase = async (
    c: Ctx,
    caseId: string,
    extra: CaseExtra = {},
    status: ContentfulStatusCode = 200
  ) => {
    const d = await cases.detail(staffOf(c), caseId)
    if (!d) return notFound(c)
    const data = caseData(c, d, extra)
    return page(
      c,
      { page: 'pages/officer/case', fragment: 'partials/officer-case-status', title: data.heading },
      'inbox',
      { kind: 'case', caseId: d.case.id, version: d.case.version },
      data,
      status
    )
  }

  const notFound = (c: Ctx) => {
    const t = c.var.t
    return render(
      c,
      config,
      { page: 'pages/errors/error', title: t.errors.notFoundTitle },
      {
        heading: t.errors.notFoundTitle,
        message: t.officer.errors.notFound,
      },
      404
    )
  }

  app.get('/officer/cases/:caseId', (c) => {
    const notice = c.req.query('saved') ? c.var.t.officer.case.saved : undefined
    const open = c.req.query('open')
    const openSection = open === 'fields' || open === 'measures' ? open : undefined
    return showCase(c, c.req.param('caseId'), { notice, openSection })
  })

  /** After a change: htmx gets the refreshed status fragment, a plain form post a redirect (PRG). */
  const afterChange = (c: Ctx, caseId: string, openSection?: CaseExtra['openSection']) =>
    isHtmx(c)
      ? showCase(c, caseId, { notice: c.var.t.officer.case.saved, openSection })
      : back(c, `/officer/cases/${caseId}?saved=1${openSection ? `&open=${openSection}` : ''}`)

  const refusedChange = (
    c: Ctx,
    caseId: string,
    e: ChangeRefused,
    extra: Pick<CaseExtra, 'failed' | 'openSection'> = {}
  ) => {
    if (e.status === 404) return notFound(c)
    const messages = c.var.t.officer.errors as Record<string, string>
    const error = e.code === 'conflict' ? messages.conflict : (messages[e.code] ?? messages.generic)
    return showCase(c, caseId, { error, ...extra }, e.status)
  }

  const form = async (c: Ctx) => {
    const body = await c.req.parseBody({ all: true })
    const one = (k: string): string => {
      const v = body[k]
      return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : ''
    }
    const all = (k: string): string[] => {
      const v = body[k]
      return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
        (x): x is string => typeof x === 'string'
      )
    }
    const version = Number(one('version'))
    return { body, one, all, version: Number.isInteger(version) ? version : -1 }
  }

  app.post('/officer/cases/:caseId/actions', async (c) => {
    const caseId = c.req.param('caseId')
    const f = await form(c)
    const input = {
      action: f.one('action'),
      reason: f.one('reason').slice(0, 2000),
      outcome: f.one('outcome') || undefined,
      extensionDays: f.one('extensionDays') || undefined,
      referralBody: f.one('referralBody') || undefined,
      referralName: f.one('referralName').slice(0, 250) || undefined,
      version: f.version,
    }
    const r = await cases.act(staffOf(c), caseId, input)
    if (!r.ok) {
      return refusedChange(c, caseId, r.error, {
        failed: { action: input.action, reason: input.reason },
      })
    }
    return afterChange(c, caseId)
  })

  app.post('/officer/cases/:caseId/registration', async (c) => {
    const caseId = c.req.param('caseId')
    const f = await form(c)
    const r = await cases.register(staffOf(c), caseId, f.version)
    return r.ok ? afterChange(c, caseId) : refusedChange(c, caseId, r.error)
  })

  app.post('/officer/cases/:caseId/fields', async (c) => {
    const caseId = c.req.param('caseId')
    const f = await form(c)
    const r = await cases.updateFields(staffOf(c), caseId, {
      category: f.one('category'),
      tags: f.one('tags').slice(0, 1000),
      assigneeId: f.one('assigneeId'),
      planItemIds: f.all('planItemIds'),
      version: f.version,
    })
    return r.ok
      ? afterChange(c, caseId, 'fields')
      : refusedChange(c, caseId, r.error, { openSection: 'fields' })
  })

  app.post('/officer/cases/:caseId/measures', async (c) => {
    const caseId = c.req.param('caseId')
    const f = await form(c)
    const r = await cases.addMeasure(staffOf(c), caseId, {
      kind: f.one('kind'),
      takenOn: f.one('takenOn'),
      outcome: f.one('outcome'),
      version: f.version,
    })
    return r.ok
      ? afterChange(c, caseId, 'measures')
      : refusedChange(c, caseId, r.error, { openSection: 'measures' })
  })

  app.post('/officer/cases/:caseId/measures/:measureId', async (c) => {
    const caseId = c.req.param('caseId')
    const f = await form(c)
    const r = await cases.updateMeasure(
      staffOf(c),
      caseId,
      c.req.param('measureId'),
      f.one('outcome'),
      f.version
    )
    return r.ok
      ? afterChange(c, caseId, 'measures')
      : refusedChange(c, caseId, r.error, { openSection: 'measures' })
  })

  // ------------------------------------------------------------- access and hand-over

  const showAccess = async (
    c: Ctx,
    caseId: string,
    error?: string,
    status: ContentfulStatusCode = 200
  ) => {
    const staff = staffOf(c)
    const found = await cases.caseFor(staff.account.id, caseId)
    if (!found) return notFound(c)
    const t = c.var.t.officer
    const holders = await cases.caseOfficers(found.id)
    const officers = (await sealed.officersWithNames()).filter(
      (o) => !holders.some((h) => h.id === o.id)
    )
    return page(
      c,
      { page: 'pages/officer/access', title: t.access.title },
      'inbox',
      { kind: 'access', caseId: found.id, officers, ...(await orgKey()) },
      {
        caseId: found.id,
        caseHref: href(c, `/officer/cases/${found.id}`),
        revokeHref: href(c, `/officer/cases/${found.id}/access/revoke`),
        holders: holders.map((h) => ({
          id: h.id,
          name: h.displayName,
          me: h.id === staff.account.id,
        })),
        canRevoke: holders.length > 1,
        candidates: officers.map((o) => ({
          id: o.id,
          name: o.displayName,
          fingerprint: o.fingerprint,
        })),
        error,
      },
      status
    )
  }

  app.get('/officer/cases/:caseId/access', (c) => showAccess(c, c.req.param('caseId')))

  app.post('/officer/cases/:caseId/access/revoke', async (c) => {
    const caseId = c.req.param('caseId')
    const f = await form(c)
    if (!(await cases.caseFor(staffOf(c).account.id, caseId))) return notFound(c)
    const r = await sealed.revoke(staffOf(c), caseId, f.one('granteeId'))
    if (!r.ok) {
      const messages = c.var.t.officer.errors as Record<string, string>
      return showAccess(c, caseId, messages[r.error.error] ?? messages.generic, r.error.status)
    }
    return back(c, r.value.self ? '/officer/cases' : `/officer/cases/${caseId}/access`)
  })

  app.get('/officer/handover', async (c) => {
    const t = c.var.t.officer
    // Whoever held officer cases, disabled accounts included: a leaver is often disabled first.
    const officers = (await store.accounts.list())
      .filter((a) => a.roles.includes('officer'))
      .sort((x, y) => x.displayName.localeCompare(y.displayName))
    const keys = await sealed.officersWithNames()
    // By default the person handing over is the one leaving (their own cases).
    const from = c.req.query('from') ?? staffOf(c).account.id
    return page(
      c,
      { page: 'pages/officer/handover', title: t.handover.title },
      'handover',
      { kind: 'handover', officers: keys, ...(await orgKey()) },
      {
        leavers: officers.map((o) => ({ id: o.id, name: o.displayName })),
        // Not the one whose cases are handed over (the script keeps this when "from" changes).
        receivers: keys
          .filter((o) => o.id !== from)
          .map((o) => ({ id: o.id, name: o.displayName })),
        from,
        to: c.req.query('to') ?? '',
        after: c.req.query('after') ?? '',
      }
    )
  })

  // ------------------------------------------------------------- manual intake

  app.get('/officer/intake', async (c) => {
    const t = c.var.t.officer
    const officers = await sealed.officersWithNames()
    const now = clock.now()
    return page(
      c,
      { page: 'pages/officer/intake', title: t.intake.title },
      'intake',
      {
        kind: 'intake',
        officers,
        ...(await orgKey()),
        deploymentSalt: Buffer.from(await directory.deploymentSalt()).toString('hex'),
        channels: [...INTAKE_CHANNELS],
      },
      {
        channels: INTAKE_CHANNELS.map((ch) => ({ value: ch, label: t.channels[ch] })),
        now: kyivInputValue(now),
      }
    )
  })

  app.route('/', officerPlanRoutes(deps, page))
  app.route('/', officerApi(deps, cases, sealed))

  return app
}

function short(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
