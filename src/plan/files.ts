// A year's plan as a file to download and to import again: JSON and CSV with the same columns,
// so that export → import gives back exactly the items that were exported.
import { z } from 'zod'
import { csvLine } from '../domain/csv'
import { CASE_WORK_KINDS } from '../domain/vocab'
import type { PlanItem } from '../store/types'

export const PLAN_CSV_COLUMNS = [
  'year',
  'id',
  'number',
  'measure',
  'deadlineText',
  'responsible',
  'doneText',
  'covers',
] as const

const fileItem = z.object({
  id: z.string().trim().min(1).max(100),
  number: z.string().max(20),
  measure: z.string().min(1).max(20_000),
  deadlineText: z.string().max(20_000),
  responsible: z.string().max(20_000),
  doneText: z.string().max(100_000),
  covers: z.array(z.enum(CASE_WORK_KINDS)),
})
const year = z.number().int().min(2000).max(2100)
const planFile = z.object({ year, items: z.array(fileItem).max(1000) })

export function planToJson(year: number, items: readonly PlanItem[]): string {
  const out = items.map(({ id, number, measure, deadlineText, responsible, doneText, covers }) => ({
    id,
    number,
    measure,
    deadlineText,
    responsible,
    doneText,
    covers,
  }))
  return `${JSON.stringify({ year, items: out }, null, 2)}\n`
}

/**
 * csvCell puts an apostrophe before a formula-like start; one before a leading apostrophe too
 * keeps that reversible, so reading takes exactly one off.
 */
const guard = (v: string) => (v.startsWith("'") ? `'${v}` : v)
const unguard = (v: string) => (/^'[=+\-@\t\r']/.test(v) ? v.slice(1) : v)

/** With a UTF-8 BOM: spreadsheet programs otherwise read Ukrainian as Latin-1. */
export function planToCsv(items: readonly PlanItem[]): string {
  const rows = items.map((it) =>
    csvLine(
      [
        String(it.year),
        it.id,
        it.number,
        it.measure,
        it.deadlineText,
        it.responsible,
        it.doneText,
        it.covers.join(' '),
      ].map(guard)
    )
  )
  return `\uFEFF${csvLine(PLAN_CSV_COLUMNS)}${rows.join('')}`
}

export interface PlanFile {
  year: number
  items: PlanItem[]
}

function toItems(data: z.infer<typeof planFile>): PlanFile {
  return {
    year: data.year,
    items: data.items.map((it, i) => ({ ...it, year: data.year, position: i + 1 })),
  }
}

/** undefined when the text is not a plan as planToJson writes it. */
export function planFromJson(text: string): PlanFile | undefined {
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    return undefined
  }
  const parsed = planFile.safeParse(raw)
  if (
    !parsed.success ||
    new Set(parsed.data.items.map((i) => i.id)).size !== parsed.data.items.length
  ) {
    return undefined
  }
  return toItems(parsed.data)
}

/** RFC 4180 records: quoted cells may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const s = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows.filter((r) => r.some((c) => c !== ''))
}

export function planFromCsv(text: string): PlanFile | undefined {
  const [header, ...rows] = parseCsv(text)
  if (!header || header.join(',') !== PLAN_CSV_COLUMNS.join(',')) return undefined
  const years = new Set(rows.map((r) => r[0]))
  if (years.size !== 1) return undefined
  const data = {
    year: Number(rows[0]?.[0]),
    items: rows.map((r) => {
      const [
        ,
        id = '',
        number = '',
        measure = '',
        deadlineText = '',
        responsible = '',
        doneText = '',
        covers = '',
      ] = r.map(unguard)
      return {
        id,
        number,
        measure,
        deadlineText,
        responsible,
        doneText,
        covers: covers.split(' ').filter(Boolean),
      }
    }),
  }
  const parsed = planFile.safeParse(data)
  if (!parsed.success || new Set(parsed.data.items.map((i) => i.id)).size !== rows.length) {
    return undefined
  }
  return toItems(parsed.data)
}
