// The case page at /officer/cases/:caseId: the workspace (report and thread first, the case's
// state, deadlines, plan links, record and actions beside them) and the forms that change it.
// Every form also works as a plain POST (post/redirect/get); htmx gets the status fragment.
import { Hono } from 'hono'
import { z, type ZodType } from 'zod'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from '../config'
import type { AppDeps } from '../deps'
import {
  CATEGORIES,
  MEASURE_OUTCOMES,
  PROTECTION_MEASURE_KINDS,
  REFERRAL_BODIES,
} from '../domain/vocab'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { isHtmx, render } from '../http/render'
import { staffOf } from '../http/staff'
import { formText, formValues, valid } from '../http/validate'
import type { CaseDetail, ChangeRefused, OfficerCases } from '../officer/cases'
import { dateText, dateTimeText, dueText, fill, kyivInputValue } from '../officer/format'
import type { RetentionService } from '../retention/service'
import type { Ctx, OfficerPage } from './officer-page'
import { retentionData } from './officer-retention'
import { short } from './officer-inbox'

/** What a case page shows besides the case: a message, the failed form, the section to open. */
interface CaseExtra {
  error?: string
  notice?: string
  failed?: Record<string, string>
  openSection?: 'fields' | 'measures'
}

/** "No such case among yours", whatever the reason: another officer's case looks the same. */
export function caseNotFound(c: Ctx, config: Config) {
  const t = c.var.t
  return render(
    c,
    config,
    { page: 'pages/errors/error', title: t.errors.notFoundTitle },
    { heading: t.errors.notFoundTitle, message: t.officer.errors.notFound },
    404
  )
}

const text = formText
const list = formValues
/** The version the form was made from (not a number: -1, so the change is refused as stale). */
const version = formText(20).transform((v) => {
  const n = Number(v)
  return Number.isInteger(n) ? n : -1
})
const absentIfEmpty = (v: string) => v || undefined

/**
 * The case forms' fields. Read leniently (a missing or odd field is '', so the service answers
 * with its own message, on the case page with the form as typed); the service checks what the
 * state of the case decides (which action, which outcome, which plan items).
 */
export const caseForms = {
  versionOnly: z.object({ version }),
  action: z.object({
    action: text(50),
    reason: text(2000),
    outcome: text(50).transform(absentIfEmpty),
    extensionDays: text(10).transform(absentIfEmpty),
    referralBody: text(50).transform(absentIfEmpty),
    referralName: text(250).transform(absentIfEmpty),
    version,
  }),
  fields: z.object({
    category: text(50),
    tags: text(1000),
    assigneeId: text(100),
    planItemIds: list,
    version,
  }),
  measure: z.object({ kind: text(50), takenOn: text(20), outcome: text(50), version }),
  measureOutcome: z.object({ outcome: text(50), version }),
  revoke: z.object({ granteeId: text(100) }),
  hold: z.object({ op: text(10), reason: text(1000) }),
}
export const caseQuery = z.object({
  saved: z.string().optional().catch(undefined),
  open: z.enum(['fields', 'measures']).optional().catch(undefined),
})

export function officerCaseRoutes(
  deps: AppDeps,
  cases: OfficerCases,
  page: OfficerPage,
  retention: RetentionService
) {
  const { config, clock } = deps
  const app = new Hono<AppEnv>()
  const href = (c: Ctx, path: string) => localHref(path, c.var.lang, config.defaultLanguage)
  const back = (c: Ctx, path: string) => c.redirect(href(c, path), 303)
  const notFound = (c: Ctx) => caseNotFound(c, config)
  // The forms' schemas read leniently and never fail; should one ever, the case page is shown.
  const form = <T extends ZodType>(schema: T) =>
    valid('form', schema, (c) => showCase(c, c.req.param('caseId') ?? '', {}, 400))

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
      stateKey: r.state,
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
      // The linked items, each leading to the inbox filtered by it.
      planLinks: d.planItems
        .filter((p) => r.planItemIds.includes(p.id))
        .map((p) => ({
          label: `${p.number ? `${p.number}. ` : ''}${short(p.measure, 70)}`,
          href: href(c, `/officer/cases?plan=${encodeURIComponent(p.id)}`),
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
    const data = {
      ...caseData(c, d, extra),
      retention: retentionData(c, await retention.statusOf(d.case)),
    }
    return page(
      c,
      { page: 'pages/officer/case', fragment: 'partials/officer-case-status', title: data.heading },
      'inbox',
      { kind: 'case', caseId: d.case.id, version: d.case.version },
      data,
      status
    )
  }

  app.get(
    '/cases/:caseId',
    valid('query', caseQuery, (c) => showCase(c, c.req.param('caseId') ?? '')),
    (c) => {
      const { saved, open: openSection } = c.req.valid('query')
      const notice = saved ? c.var.t.officer.case.saved : undefined
      return showCase(c, c.req.param('caseId'), { notice, openSection })
    }
  )

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

  app.post('/cases/:caseId/actions', form(caseForms.action), async (c) => {
    const caseId = c.req.param('caseId')
    const input = c.req.valid('form')
    const r = await cases.act(staffOf(c), caseId, input)
    if (!r.ok) {
      return refusedChange(c, caseId, r.error, {
        failed: { action: input.action, reason: input.reason },
      })
    }
    return afterChange(c, caseId)
  })

  app.post('/cases/:caseId/registration', form(caseForms.versionOnly), async (c) => {
    const caseId = c.req.param('caseId')
    const r = await cases.register(staffOf(c), caseId, c.req.valid('form').version)
    return r.ok ? afterChange(c, caseId) : refusedChange(c, caseId, r.error)
  })

  app.post('/cases/:caseId/fields', form(caseForms.fields), async (c) => {
    const caseId = c.req.param('caseId')
    const r = await cases.updateFields(staffOf(c), caseId, c.req.valid('form'))
    return r.ok
      ? afterChange(c, caseId, 'fields')
      : refusedChange(c, caseId, r.error, { openSection: 'fields' })
  })

  app.post('/cases/:caseId/measures', form(caseForms.measure), async (c) => {
    const caseId = c.req.param('caseId')
    const r = await cases.addMeasure(staffOf(c), caseId, c.req.valid('form'))
    return r.ok
      ? afterChange(c, caseId, 'measures')
      : refusedChange(c, caseId, r.error, { openSection: 'measures' })
  })

  app.post('/cases/:caseId/measures/:measureId', form(caseForms.measureOutcome), async (c) => {
    const caseId = c.req.param('caseId')
    const { outcome, version } = c.req.valid('form')
    const r = await cases.updateMeasure(
      staffOf(c),
      caseId,
      c.req.param('measureId'),
      outcome,
      version
    )
    return r.ok
      ? afterChange(c, caseId, 'measures')
      : refusedChange(c, caseId, r.error, { openSection: 'measures' })
  })

  // Legal hold: set or lifted with a reason, by an officer holding the case (audit-logged).
  app.post('/cases/:caseId/hold', form(caseForms.hold), async (c) => {
    const caseId = c.req.param('caseId')
    const actor = staffOf(c).account.id
    if (!(await cases.caseFor(actor, caseId))) return notFound(c)
    const { op, reason } = c.req.valid('form')
    const input = { actorId: actor, caseId, reason }
    const r = op === 'clear' ? await retention.clearHold(input) : await retention.setHold(input)
    if (!r.ok) {
      const error = c.var.t.retention.errors[r.error.code]
      return showCase(c, caseId, { error }, r.error.code === 'purging' ? 409 : 400)
    }
    return afterChange(c, caseId)
  })

  return app
}
