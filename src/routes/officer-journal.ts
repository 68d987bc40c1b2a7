// The registration journal for officers, mounted at /officer/journal: the year's lines with
// filters (page or htmx fragment from one partial) and the same lines as CSV or DOCX.
import { Hono } from 'hono'
import { z } from 'zod'
import type { Config } from '../config'
import { CASE_STATES, CHANNELS } from '../domain/vocab'
import type { AppEnv } from '../http/env'
import { valid } from '../http/validate'
import { journalCells, JOURNAL_COLUMNS } from '../officer/journal-export'
import { fill } from '../officer/format'
import { JOURNAL_DOCX_MAX_LINES, type Journal, type JournalFormat } from '../officer/journal'
import { requireRole } from '../http/staff'
import { officerPage, type Ctx } from './officer-page'

/** A GET form sends every field; an empty one means "any". */
const blankAsAbsent = (v: unknown) => (v === '' ? undefined : v)

export const journalQuery = z.object({
  year: z.preprocess(blankAsAbsent, z.coerce.number().int().min(2000).max(2100).optional()),
  state: z.preprocess(blankAsAbsent, z.enum(CASE_STATES).optional()),
  channel: z.preprocess(blankAsAbsent, z.enum(CHANNELS).optional()),
  overdue: z.preprocess(blankAsAbsent, z.literal('1').optional()),
})
type JournalQuery = z.infer<typeof journalQuery>

const FORMATS: Record<JournalFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
}

export function officerJournalRoutes(journal: Journal, config: Config) {
  const app = new Hono<AppEnv>()
  const page = officerPage(config)
  app.use('*', requireRole('officer'))

  /** The signed-in officer (requireRole ran) and the year asked for, or the newest one. */
  const scopeOf = async (c: Ctx, q: JournalQuery) => {
    const grantedTo = c.var.staff?.account.id
    const years = await journal.years({ grantedTo })
    const year = q.year !== undefined && years.includes(q.year) ? q.year : (years[0] ?? 0)
    return { scope: { grantedTo }, years, year }
  }

  const show = async (c: Ctx, q: JournalQuery, bad: boolean) => {
    const { scope, years, year } = await scopeOf(c, q)
    const filter = { year, state: q.state, channel: q.channel, overdue: q.overdue === '1' }
    const [rows, words] = await Promise.all([
      journal.rows(filter, scope),
      journal.words(c.var.lang),
    ])
    const params = new URLSearchParams({ year: String(year) })
    if (q.state) params.set('state', q.state)
    if (q.channel) params.set('channel', q.channel)
    if (q.overdue) params.set('overdue', '1')
    return page(
      c,
      {
        page: 'pages/officer/journal',
        fragment: 'partials/officer-journal-rows',
        title: c.var.t.journal.title,
      },
      'journal',
      { kind: 'plain' },
      {
        bad,
        hiddenLang: c.var.lang === config.defaultLanguage ? undefined : c.var.lang,
        years,
        year,
        query: q,
        states: CASE_STATES,
        channels: CHANNELS,
        columns: JOURNAL_COLUMNS,
        rows: rows.map((r) => ({ caseId: r.caseId, cells: journalCells(r, words) })),
        csvHref: `/officer/journal/export.csv?${params.toString()}`,
        docxHref: `/officer/journal/export.docx?${params.toString()}`,
      },
      bad ? 400 : 200
    )
  }

  app.get(
    '/',
    valid('query', journalQuery, (c) => show(c, {}, true)),
    (c) => show(c, c.req.valid('query'), false)
  )

  for (const format of ['csv', 'docx'] as const) {
    app.get(
      `/export.${format}`,
      valid('query', journalQuery, (c) => c.text(c.var.t.journal.badFilter, 400)),
      async (c) => {
        const q = c.req.valid('query')
        const { scope, year } = await scopeOf(c, q)
        const filter = { year, state: q.state, channel: q.channel, overdue: q.overdue === '1' }
        const made = await journal.file(format, filter, scope, c.var.lang)
        if (!made.ok) {
          return c.text(fill(c.var.t.journal.tooManyLines, { max: JOURNAL_DOCX_MAX_LINES }), 413)
        }
        const bytes = made.value
        c.header('Content-Type', FORMATS[format])
        c.header('Content-Disposition', `attachment; filename="journal-${year}.${format}"`)
        return c.body(bytes)
      }
    )
  }

  return app
}
