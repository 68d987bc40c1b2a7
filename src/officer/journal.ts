// The registration journal service: the year's cases (metadata only) as journal lines, the years
// it can be shown for, and the names of the officers responsible. Officers see the cases they
// hold a grant for, as in the inbox; the CLI (an operator on the server) sees the whole journal.
import type { Language } from '../config'
import type { AppDeps } from '../deps'
import { journalRows, journalYears, type JournalFilter, type JournalRow } from '../domain/journal'
import { fail, ok, type Result } from '../domain/result'
import { dictionaries } from '../i18n'
import type { CaseFilter } from '../store/types'
import { journalCsv, journalDocx, type JournalWords } from './journal-export'

export interface JournalScope {
  /** The officer whose grants bound the journal; absent for the whole organisation. */
  grantedTo?: string | undefined
}

export type JournalFormat = 'csv' | 'docx'

/** Lines a DOCX journal may have: a council's year is a few dozen; a printed journal, not a dump. */
export const JOURNAL_DOCX_MAX_LINES = 5_000

export function createJournal({
  store,
  clock,
  docxMaxLines = JOURNAL_DOCX_MAX_LINES,
}: Pick<AppDeps, 'store' | 'clock'> & { docxMaxLines?: number }) {
  const scoped = (scope: JournalScope, extra: CaseFilter = {}): CaseFilter =>
    scope.grantedTo ? { ...extra, grantedTo: scope.grantedTo } : extra

  async function years(scope: JournalScope): Promise<number[]> {
    const newest = await store.cases.list(scoped(scope), 1, 1)
    const oldest =
      newest.total > 1 ? await store.cases.list(scoped(scope), newest.total, 1) : newest
    return journalYears(oldest.items[0]?.receivedAt, clock.now())
  }

  async function rows(filter: JournalFilter, scope: JournalScope): Promise<JournalRow[]> {
    // The Kyiv year, with a day's margin either side for the time zone.
    const cases = await store.cases.all(
      scoped(scope, {
        receivedFrom: new Date(Date.UTC(filter.year - 1, 11, 31)),
        receivedBefore: new Date(Date.UTC(filter.year + 1, 0, 2)),
      })
    )
    return journalRows(cases, filter, clock.now())
  }

  async function names(): Promise<Map<string, string>> {
    return new Map((await store.accounts.list()).map((a) => [a.id, a.displayName]))
  }

  async function words(lang: Language): Promise<JournalWords> {
    return { t: dictionaries[lang], lang, names: await names() }
  }

  /**
   * The journal as a file: CSV text or DOCX bytes. A DOCX of more than JOURNAL_DOCX_MAX_LINES
   * lines is refused (the docx package holds every cell in memory: 100,000 lines exhaust the
   * heap, see test/bench/annual-report.ts); CSV has no such limit.
   */
  async function file(
    format: JournalFormat,
    filter: JournalFilter,
    scope: JournalScope,
    lang: Language
  ): Promise<Result<Uint8Array<ArrayBuffer>, 'too-many-lines'>> {
    const [lines, w] = await Promise.all([rows(filter, scope), words(lang)])
    if (format === 'csv') return ok(new TextEncoder().encode(journalCsv(lines, w)))
    if (lines.length > docxMaxLines) {
      return fail(
        'too-many-lines',
        `${lines.length} lines are more than a DOCX journal holds (${docxMaxLines}); use CSV or a filter`
      )
    }
    return ok(await journalDocx(lines, w, filter.year, clock.now()))
  }

  return { years, rows, words, file }
}

export type Journal = ReturnType<typeof createJournal>
