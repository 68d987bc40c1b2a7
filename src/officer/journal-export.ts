// The registration journal in words: one table (screen and DOCX) and a flat CSV with a column
// pair per deadline kind, so a spreadsheet can sort and count. Dates are Kyiv time.
import {
  AlignmentType,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { Language } from '../config'
import { csvLine } from '../domain/csv'
import type { JournalRow } from '../domain/journal'
import { CLOCK_KINDS } from '../domain/vocab'
import type { Dictionary } from '../i18n'
import { dateText, dateTimeText, fill, kyivInputValue } from './format'

export interface JournalWords {
  t: Dictionary
  lang: Language
  /** Staff display names by account id (the responsible officer). */
  names: ReadonlyMap<string, string>
}

export const JOURNAL_COLUMNS = [
  'n',
  'registrationNo',
  'receivedAt',
  'channel',
  'anonymity',
  'state',
  'deadlines',
  'outcome',
  'referral',
  'assignee',
  'measures',
] as const

const label = (map: Record<string, string>, key: string) => map[key] ?? key

/** One line per deadline: "Preliminary review: by 12 Mar 2026; met 10 Mar 2026 — met on time". */
export function deadlineLines(r: JournalRow, { t, lang }: JournalWords): string[] {
  const j = t.journal
  return r.clocks.map((k) => {
    const parts = [fill(j.due, { date: dateText(k.dueAt, lang) })]
    if (k.metAt) parts.push(fill(j.met, { date: dateText(k.metAt, lang) }))
    if (k.extendedDays) parts.push(fill(j.extended, { n: k.extendedDays }))
    const status = label(t.officer.clockStatus, k.status)
    return `${label(t.officer.clocks, k.kind)}: ${parts.join('; ')} — ${status}`
  })
}

/** The journal's cells in the page's words; `deadlines` is one cell of several lines. */
export function journalCells(r: JournalRow, words: JournalWords): Record<string, string[]> {
  const { t, lang, names } = words
  const o = t.officer
  return {
    n: [String(r.n)],
    registrationNo: [r.registrationNo ?? t.journal.unregistered],
    receivedAt: [dateTimeText(r.receivedAt, lang)],
    channel: [label(o.channels, r.channel)],
    anonymity: [label(o.anonymity, r.anonymity)],
    state: [label(o.states, r.state)],
    deadlines: deadlineLines(r, words),
    outcome: [r.outcome ? label(o.outcomes, r.outcome) : '—'],
    referral: [r.referral ? (r.referral.name ?? label(o.referralBodies, r.referral.body)) : '—'],
    assignee: [r.assigneeId ? (names.get(r.assigneeId) ?? r.assigneeId) : t.journal.nobody],
    measures: [String(r.protectionMeasures)],
  }
}

/** CSV: the table's columns, deadlines spread over a due/met/status triple per clock kind. */
export function journalCsv(rows: readonly JournalRow[], words: JournalWords): string {
  const { t } = words
  const j = t.journal
  const plain = JOURNAL_COLUMNS.filter((c) => c !== 'deadlines')
  const clockHeaders = CLOCK_KINDS.flatMap((kind) => {
    const clock = label(t.officer.clocks, kind)
    return [
      fill(j.dueColumn, { clock }),
      fill(j.metColumn, { clock }),
      fill(j.statusColumn, { clock }),
    ]
  })
  // UTF-8 BOM: spreadsheet programs otherwise read Ukrainian as Latin-1.
  let out = `\uFEFF${csvLine([...plain.map((c) => j.columns[c]), ...clockHeaders])}`
  for (const r of rows) {
    const cells = journalCells(r, words)
    const receivedAt = kyivInputValue(r.receivedAt).replace('T', ' ')
    const values = plain.map((c) => (c === 'receivedAt' ? receivedAt : (cells[c]?.[0] ?? '')))
    const clocks = CLOCK_KINDS.flatMap((kind) => {
      const k = r.clocks.find((x) => x.kind === kind)
      if (!k) return ['', '', '']
      return [
        kyivInputValue(k.dueAt).replace('T', ' '),
        k.metAt ? kyivInputValue(k.metAt).replace('T', ' ') : '',
        label(t.officer.clockStatus, k.status),
      ]
    })
    out += csvLine([...values, ...clocks])
  }
  return out
}

const cellText = (lines: readonly string[], bold = false) =>
  new TableCell({
    children: lines.map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })),
  })

/** DOCX on A4 landscape: the title, the table with a header row repeated on every page. */
export async function journalDocx(
  rows: readonly JournalRow[],
  words: JournalWords,
  year: number,
  generatedAt: Date
): Promise<Uint8Array<ArrayBuffer>> {
  const j = words.t.journal
  const header = new TableRow({
    tableHeader: true,
    children: JOURNAL_COLUMNS.map((c) => cellText([j.columns[c]], true)),
  })
  const body = rows.map((r) => {
    const cells = journalCells(r, words)
    return new TableRow({ children: JOURNAL_COLUMNS.map((c) => cellText(cells[c] ?? [])) })
  })
  const doc = new Document({
    creator: words.t.journal.title,
    title: fill(j.documentTitle, { year }),
    styles: { default: { document: { run: { font: 'Times New Roman', size: 20 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { orientation: PageOrientation.LANDSCAPE },
            margin: { top: 850, bottom: 850, left: 850, right: 850 },
          },
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new TextRun({ text: fill(j.documentTitle, { year }), bold: true, size: 26 }),
            ],
          }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...body] }),
          new Paragraph({
            children: [
              new TextRun(fill(j.generated, { date: dateTimeText(generatedAt, words.lang) })),
            ],
          }),
        ],
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(doc))
}
