// Plans shipped with the portal as samples (and test fixtures): the 2020 plan of the seed report,
// written out by tools/scripts/plan-sample.ts with the importer in ./import.ts.
import { CASE_WORK_KINDS, isOneOf } from '../domain/vocab'
import type { PlanItem } from '../store/types'
import plan2020 from './samples/plan-2020.json'

export interface PlanSample {
  year: number
  /** The report's title, as printed above its table. */
  title: string
  items: PlanItem[]
}

type RawSample = Omit<PlanSample, 'items'> & {
  items: (Omit<PlanItem, 'covers'> & { covers: string[] })[]
}

const RAW: readonly RawSample[] = [plan2020]

export const SAMPLE_YEARS: readonly number[] = RAW.map((s) => s.year)

/** The sample plan of `year`, or undefined when none ships. */
export function planSample(year: number): PlanSample | undefined {
  const raw = RAW.find((s) => s.year === year)
  if (!raw) return undefined
  return {
    ...raw,
    items: raw.items.map((it) => ({
      ...it,
      covers: it.covers.filter((k) => isOneOf(CASE_WORK_KINDS, k)),
    })),
  }
}
