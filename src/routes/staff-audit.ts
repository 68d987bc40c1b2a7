// The audit trail for admins, mounted at /staff/admin/audit: a filtered list (page or htmx
// fragment from one partial), whether the hash chain verifies, and the matching entries as CSV or
// JSON Lines. Process facts only; the officer's case page links here with ?case=.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AuditViewer } from '../audit/viewer'
import { AUDIT_CSV_COLUMNS, auditCsvCells } from '../audit/viewer'
import type { Config } from '../config'
import { endOfLocalDay, isIsoDate, startOfLocalDay } from '../domain/calendar'
import { csvLine } from '../domain/csv'
import type { AppEnv } from '../http/env'
import { isHtmx } from '../http/render'
import { valid } from '../http/validate'
import { dateTimeText, fill } from '../officer/format'
import { requireRole } from '../http/staff'
import type { AuditFilter } from '../store/types'
import { canonicalJson } from '../audit/canonical'
import { staffPage } from './staff-common'

/** A GET form sends every field, empty ones as ''. */
const text = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => v || undefined)
const day = text.refine((v) => v === undefined || isIsoDate(v))

export const auditQuery = z
  .object({
    case: text,
    actor: text,
    action: text,
    from: day,
    to: day,
    before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to)

type AuditQuery = z.infer<typeof auditQuery>
const NO_QUERY: AuditQuery = {
  case: undefined,
  actor: undefined,
  action: undefined,
  from: undefined,
  to: undefined,
}

/** Dates are days in Kyiv, both ends included. */
function toFilter(q: AuditQuery): AuditFilter {
  return {
    subjectId: q.case,
    actorId: q.actor,
    action: q.action,
    from: q.from && isIsoDate(q.from) ? startOfLocalDay(q.from) : undefined,
    to: q.to && isIsoDate(q.to) ? endOfLocalDay(q.to) : undefined,
    beforeSeq: q.before,
  }
}

function queryString(q: AuditQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...q, before: undefined, ...extra })) {
    if (v !== undefined && v !== '') params.set(k, String(v))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function staffAuditRoutes(viewer: AuditViewer, config: Config) {
  const app = new Hono<AppEnv>()
  app.use('*', requireRole('admin'))

  const show = async (c: Context<AppEnv>, q: AuditQuery, bad: boolean) => {
    const t = c.var.t.audit
    const [page, actors] = await Promise.all([viewer.page(bad ? {} : toFilter(q)), viewer.actors()])
    // The whole chain is walked for full pages only: filtering (htmx) re-renders the list alone.
    const chain =
      isHtmx(c) && c.req.header('HX-Boosted') !== 'true' ? undefined : await viewer.verify()
    const names = new Map(actors.map((a) => [a.id, a.displayName]))
    const rows = page.entries.map((e) => ({
      seq: e.seq,
      at: dateTimeText(e.at, c.var.lang),
      who: e.actorId ? (names.get(e.actorId) ?? e.actorId) : t.system,
      role: e.actorRole,
      action: e.action,
      subject: e.subjectId ?? '',
      details: Object.keys(e.details).length > 0 ? canonicalJson(e.details) : '',
    }))
    const status = chain
      ? chain.ok
        ? {
            ok: true,
            count: chain.count,
            text: fill(t.chainOk, { count: chain.count }),
            head: fill(t.chainHead, { hash: chain.lastHash }),
          }
        : {
            ok: false,
            text: fill(t.chainBroken, { seq: chain.seq, reason: t.chainReasons[chain.reason] }),
          }
      : undefined
    const shown = bad ? NO_QUERY : q
    return staffPage(
      c,
      config,
      {
        page: 'pages/staff/audit',
        fragment: c.req.header('HX-Boosted') === 'true' ? undefined : 'partials/staff-audit-list',
        title: t.title,
      },
      {
        query: shown,
        bad,
        hiddenLang: c.var.lang === config.defaultLanguage ? undefined : c.var.lang,
        actors,
        rows,
        chain: status,
        olderHref: page.older ? `${queryString(shown, { before: String(page.older) })}` : undefined,
        newestHref: q.before ? queryString(shown) : undefined,
        csvHref: `/staff/admin/audit/export.csv${queryString(shown)}`,
        jsonHref: `/staff/admin/audit/export.jsonl${queryString(shown)}`,
      },
      bad ? 400 : 200
    )
  }

  app.get(
    '/',
    valid('query', auditQuery, (c) => show(c, NO_QUERY, true)),
    (c) => show(c, c.req.valid('query'), false)
  )

  const exporter = (
    extension: 'csv' | 'jsonl',
    contentType: string,
    header: string,
    line: (e: Parameters<typeof auditCsvCells>[0]) => string
  ) =>
    app.get(
      `/export.${extension}`,
      valid('query', auditQuery, (c) => c.text(c.var.t.audit.badFilter, 400)),
      (c) => {
        const filter = toFilter({ ...c.req.valid('query'), before: undefined })
        const encoder = new TextEncoder()
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode(header))
            for await (const e of viewer.all(filter)) controller.enqueue(encoder.encode(line(e)))
            controller.close()
          },
        })
        c.header('Content-Type', contentType)
        c.header('Content-Disposition', `attachment; filename="audit.${extension}"`)
        return c.body(body)
      }
    )

  // UTF-8 BOM: spreadsheet programs otherwise read Ukrainian names as Latin-1.
  exporter('csv', 'text/csv; charset=utf-8', `\uFEFF${csvLine(AUDIT_CSV_COLUMNS)}`, (e) =>
    csvLine(auditCsvCells(e))
  )
  exporter(
    'jsonl',
    'application/jsonl; charset=utf-8',
    '',
    (e) => `${JSON.stringify({ ...e, at: e.at.toISOString() })}\n`
  )

  return app
}
