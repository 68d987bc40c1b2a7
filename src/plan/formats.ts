// The file formats a year's plan is imported from: the report's text (see ./import.ts), JSON and
// CSV as exported here (./files.ts), and a DOCX table (./docx.ts).
import type { PlanItem } from '../store/types'
import { docxTables } from './docx'
import { planFromCsv, planFromJson } from './files'
import { parsePlan, planFromRows, planItemId, planYearOf } from './import'

export const PLAN_FORMATS = ['text', 'json', 'csv', 'docx'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

export interface ReadPlan {
  /** The year the file gives (a title's "за 2020 рік", a JSON or CSV year), when it gives one. */
  detected: number | undefined
  /** The items, made for a year: the detected one unless another is chosen. */
  itemsFor(year: number): PlanItem[]
}

/** An item of one year's file imported as another year's keeps its number in its id. */
function moveYear(items: readonly PlanItem[], from: number, to: number): PlanItem[] {
  if (from === to) return [...items]
  const prefix = planItemId(from, '')
  return items.map((it) => ({
    ...it,
    year: to,
    id: it.id.startsWith(prefix) ? planItemId(to, it.id.slice(prefix.length)) : it.id,
  }))
}

/** undefined when the input is not readable as `format` (a JSON that is no plan, no table…). */
export function readPlanFile(format: PlanFormat, input: Uint8Array): ReadPlan | undefined {
  if (format === 'docx') {
    const table = docxTables(input).find((t) => t.rows.some((r) => r.length >= 5))
    if (!table) return undefined
    return {
      detected: table.title ? planYearOf(table.title) : undefined,
      itemsFor: (year) => planFromRows(table.rows, year),
    }
  }
  const text = new TextDecoder().decode(input)
  if (format === 'text') {
    return { detected: planYearOf(text), itemsFor: (year) => parsePlan(text, year) }
  }
  const file = format === 'json' ? planFromJson(text) : planFromCsv(text)
  if (!file) return undefined
  return { detected: file.year, itemsFor: (year) => moveYear(file.items, file.year, year) }
}
