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

/**
 * Items of a file made the plan of `year`: ids are year-scoped (plan-2021-7), so an id of another
 * year (or none of that form) is renamed within `year` rather than overwriting another year's item.
 */
function forYear(items: readonly PlanItem[], year: number): PlanItem[] {
  return items.map((it) => ({
    ...it,
    year,
    id: planItemId(year, it.id.replace(/^plan-\d{4}-/, '')),
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
  const ids = forYear(file.items, file.year).map((it) => it.id)
  if (new Set(ids).size !== ids.length) return undefined
  return { detected: file.year, itemsFor: (year) => forYear(file.items, year) }
}
