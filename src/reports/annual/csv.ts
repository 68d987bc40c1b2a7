// The plan table of the annual report as CSV (RFC 4180, UTF-8 with a BOM so spreadsheet programs
// read Cyrillic): the seed's five columns, the system's figures in a sixth.
import type { AnnualReportModel } from './model'

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function renderAnnualCsv(model: AnnualReportModel, figuresLabel: string): string {
  const rows = [
    [...model.columns, figuresLabel],
    ...model.rows.map((r) => [
      r.number,
      r.measure,
      r.deadline,
      r.responsible,
      r.done,
      r.figures.join('\n'),
    ]),
  ]
  return `\ufeff${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`
}
