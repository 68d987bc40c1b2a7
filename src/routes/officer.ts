// The officer's workspace, mounted at /officer: the role checks, then the inbox
// (officer-inbox.ts), the case page (officer-case.ts), access and hand-over, manual intake, the
// plan and the JSON API. Pages render metadata only; case content is decrypted by
// src/browser/officer-workspace.entry.ts through the JSON API in officer-api.ts.
import { z } from 'zod'
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppDeps } from '../deps'
import { INTAKE_CHANNELS } from '../domain/vocab'
import type { AppEnv } from '../http/env'
import { formText, valid } from '../http/validate'
import { localHref } from '../http/i18n'
import type { OfficerCases } from '../officer/cases'
import { kyivInputValue } from '../officer/format'
import type { OfficerSealed } from '../officer/sealed'
import type { OfficerDirectory } from '../report/directory'
import type { Certificates } from '../staff/certificates'
import type { RetentionService } from '../retention/service'
import { requireRole, staffOf } from '../http/staff'
import { officerApi } from './officer-api'
import { caseForms, caseNotFound, officerCaseRoutes } from './officer-case'
import { officerInboxRoutes } from './officer-inbox'
import { officerPage, type Ctx } from './officer-page'
import { officerPlanRoutes } from './officer-plan'

/** The officer services, built once by createApp. */
export interface OfficerServices {
  cases: OfficerCases
  sealed: OfficerSealed
  directory: OfficerDirectory
  certificates: Certificates
  retention: RetentionService
}
export function officerRoutes(
  deps: AppDeps,
  { cases, sealed, directory, certificates, retention }: OfficerServices
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
  app.use('/', officerOnly)
  app.use(
    '/*',
    createMiddleware<AppEnv>((c, next) =>
      (c.req.path === '/officer/plan/import' ? adminOnly : officerOnly)(c, next)
    )
  )

  const href = (c: Ctx, path: string) => localHref(path, c.var.lang, config.defaultLanguage)
  const back = (c: Ctx, path: string) => c.redirect(href(c, path), 303)

  const page = officerPage(config)
  const notFound = (c: Ctx) => caseNotFound(c, config)

  app.route('/', officerInboxRoutes(deps, cases, page))
  app.route('/', officerCaseRoutes(deps, cases, page, retention))

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

  app.get('/cases/:caseId/access', (c) => showAccess(c, c.req.param('caseId')))

  app.post(
    '/cases/:caseId/access/revoke',
    // Read leniently (never fails): an unknown grantee is the service's answer.
    valid('form', caseForms.revoke, (c) => showAccess(c, c.req.param('caseId') ?? '')),
    async (c) => {
      const caseId = c.req.param('caseId')
      if (!(await cases.caseFor(staffOf(c).account.id, caseId))) return notFound(c)
      const r = await sealed.revoke(staffOf(c), caseId, c.req.valid('form').granteeId)
      if (!r.ok) {
        const messages = c.var.t.officer.errors as Record<string, string>
        return showAccess(c, caseId, messages[r.error.error] ?? messages.generic, r.error.status)
      }
      return back(c, r.value.self ? '/officer/cases' : `/officer/cases/${caseId}/access`)
    }
  )

  // Pre-fills the hand-over form; the script checks each value again before it sends anything.
  const handoverPage = z.object({
    from: formText(100).transform((v) => v || undefined),
    to: formText(100),
    after: formText(100),
  })
  app.get('/handover', valid('query', handoverPage, notFound), async (c) => {
    const t = c.var.t.officer
    const q = c.req.valid('query')
    // Whoever held officer cases, disabled accounts included: a leaver is often disabled first.
    const officers = (await store.accounts.list())
      .filter((a) => a.roles.includes('officer'))
      .sort((x, y) => x.displayName.localeCompare(y.displayName))
    const keys = await sealed.officersWithNames()
    // By default the person handing over is the one leaving (their own cases).
    const from = q.from ?? staffOf(c).account.id
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
        to: q.to,
        after: q.after,
      }
    )
  })

  // ------------------------------------------------------------- manual intake

  app.get('/intake', async (c) => {
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
