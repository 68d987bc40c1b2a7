// One table for every section of `npm run bench`: each figure beside the baseline measured in
// the same run, the ratio, and the target it is held to. Written as JSON for comparison later.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface Row {
  section: string
  name: string
  value: number
  unit: string
  /** What the value is compared with, measured in the same run. */
  baseline?: { name: string; value: number }
  /** value / baseline.value, unless `lowerIsBetter` (then baseline / value). */
  ratio?: number
  /** e.g. "≥ 0.60 × bare" or "≤ 10 ms"; met is undefined when there is no target. */
  target?: string
  met?: boolean
  note?: string
}

export function withBaseline(
  row: Omit<Row, 'baseline' | 'ratio'>,
  baseline: { name: string; value: number },
  lowerIsBetter = false
): Row {
  const ratio = lowerIsBetter ? baseline.value / row.value : row.value / baseline.value
  return { ...row, baseline, ratio }
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)

export function printTable(all: Row[], write: (line: string) => void = console.log): void {
  // Grouped by section, in order of first appearance (memory rows come from several sections).
  const order = [...new Set(all.map((r) => r.section))]
  const rows = order.flatMap((s) => all.filter((r) => r.section === s))
  const cells = rows.map((r) => [
    r.section,
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${fmt(r.baseline.value)} ${r.baseline.name}` : '',
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
    r.note ?? '',
  ])
  const head = ['section', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', '', 'note']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) =>
    c
      .map((s, i) => s.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd()
  write(line(head))
  write(widths.map((w) => '-'.repeat(w)).join('-|-'))
  let last = ''
  for (const c of cells) {
    if (last && c[0] !== last) write('')
    last = c[0]!
    write(line(c))
  }
}

export function writeJson(file: string, meta: Record<string, unknown>, rows: Row[]): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`)
}
