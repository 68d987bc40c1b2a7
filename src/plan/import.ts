// Importing a year's anti-corruption plan from the text of its implementation report (the seed's
// format: a Word table saved as text). Every table cell starts with a tab; a cell may run over
// several lines, and the lines after the first carry no tab. A row is five cells: number,
// measure, deadline text, responsible persons, what was done. Rows the document left unnumbered
// (they follow the last numbered row) keep no number, as printed, but get an id from the next
// number, so they can still be linked to.
import { CASE_WORK_KINDS, type CaseWorkKind } from '../domain/vocab'
import type { PlanItem, Store } from '../store/types'
import patterns from './case-work-patterns.json'

const CELLS_PER_ROW = 5
const ITEM_NUMBER = /^\d{1,3}(\.\d{1,3})*\.?$/

/** A cell's text: lines trimmed, runs of spaces collapsed, blank lines at either end dropped. */
export function cleanCell(raw: string): string {
  return raw
    .replace(/\r/g, '')
    .split('\n')
    .map((line) => line.replace(/[ \u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The cells of the table in reading order; the text before the first tab (the title) is not one. */
export function planCells(text: string): string[] {
  const parts = text.split('\t')
  return parts.slice(1).map(cleanCell)
}

function nextNumber(previous: string | undefined): string {
  const whole = previous ? Number.parseInt(previous, 10) : 0
  return String(Number.isFinite(whole) ? whole + 1 : 1)
}

const CASE_WORK_PATTERNS = CASE_WORK_KINDS.map((kind) => ({
  kind,
  res: patterns[kind].map((p) => new RegExp(p, 'iu')),
}))

/** The case work a measure's wording says it covers (receiving reports, protection…). */
export function caseWorkOf(measure: string): CaseWorkKind[] {
  const text = measure.replace(/\s+/g, ' ')
  return CASE_WORK_PATTERNS.filter((p) => p.res.some((re) => re.test(text))).map((p) => p.kind)
}

export function planItemId(year: number, number: string): string {
  return `plan-${year}-${number}`
}

/** Items in order; an unnumbered row's id takes the number after the row before it. */
function planItems(year: number) {
  const items: PlanItem[] = []
  let lastNumber: string | undefined
  return {
    items,
    add(
      number: string,
      measure: string,
      deadlineText: string,
      responsible: string,
      doneText: string
    ): void {
      const idNumber = number || nextNumber(lastNumber)
      lastNumber = idNumber
      items.push({
        id: planItemId(year, idNumber),
        year,
        number,
        measure,
        deadlineText,
        responsible,
        doneText,
        covers: caseWorkOf(measure),
        position: items.length + 1,
      })
    },
  }
}

/**
 * The plan items of `year` found in the text. Everything before the first numbered cell (the
 * title and the table's header row) is skipped.
 */
export function parsePlan(text: string, year: number): PlanItem[] {
  const cells = planCells(text)
  let i = cells.findIndex((c) => ITEM_NUMBER.test(c))
  if (i < 0) return []
  const plan = planItems(year)
  while (i < cells.length) {
    const numbered = ITEM_NUMBER.test(cells[i] ?? '')
    // An unnumbered row starts straight with its measure: four cells, not five.
    const row = numbered
      ? cells.slice(i, i + CELLS_PER_ROW)
      : ['', ...cells.slice(i, i + CELLS_PER_ROW - 1)]
    i += numbered ? CELLS_PER_ROW : CELLS_PER_ROW - 1
    const [rawNumber = '', measure = '', deadlineText = '', responsible = '', doneText = ''] = row
    if (!measure && !deadlineText && !responsible && !doneText) continue
    plan.add(rawNumber.replace(/\.$/, ''), measure, deadlineText, responsible, doneText)
  }
  return plan.items
}

/** The header row of the seed's table, and a row of column numbers (1 2 3 4 5) under it. */
const HEADER_CELL = /^(№|заплановані заходи|термін|відповідальні|про проведений)/iu

/**
 * The plan items of `year` in the rows of a table (a DOCX's): five cells a row, an empty or
 * missing number for an unnumbered row. Header rows and rows without a measure are skipped.
 */
export function planFromRows(rows: readonly (readonly string[])[], year: number): PlanItem[] {
  const plan = planItems(year)
  for (const row of rows) {
    const [rawNumber = '', measure = '', deadlineText = '', responsible = '', doneText = ''] =
      row.map(cleanCell)
    if (!measure || HEADER_CELL.test(measure) || row.every((c) => /^\d*$/.test(c.trim()))) continue
    const number = ITEM_NUMBER.test(rawNumber) ? rawNumber.replace(/\.$/, '') : ''
    plan.add(number, measure, deadlineText, responsible, doneText)
  }
  return plan.items
}

/** "… за 2020 рік" in the title: the plan's year, when the document names one. */
export function planYearOf(text: string): number | undefined {
  const title = text.split('\t')[0] ?? ''
  const m = /(20\d{2})\s*р/.exec(title) ?? /\b(20\d{2})\b/.exec(title)
  return m ? Number(m[1]) : undefined
}

/** The title above the table (its lines joined), e.g. "ВИКОНАННЯ ПЛАНУ … за 2020 рік". */
export function planTitleOf(text: string): string {
  return (text.split('\t')[0] ?? '').replace(/\s+/g, ' ').trim()
}

/**
 * Replaces the plan of `year` with the one in `text`; returns the items stored. Items keep their
 * ids across re-imports (they are made from year and number), so cases stay linked to them.
 */
export async function importPlan(
  store: Pick<Store, 'plan'>,
  text: string,
  year: number
): Promise<PlanItem[]> {
  return replacePlan(store, year, parsePlan(text, year))
}

/** Stores `items` as the plan of `year`, deleting items of that year not among them. */
export async function replacePlan(
  store: Pick<Store, 'plan'>,
  year: number,
  items: PlanItem[]
): Promise<PlanItem[]> {
  if (items.length === 0) return items
  const keep = new Set(items.map((it) => it.id))
  for (const old of await store.plan.listYear(year)) {
    if (!keep.has(old.id)) await store.plan.delete(old.id)
  }
  for (const item of items) await store.plan.put(item)
  return items
}
