// The plan table of the annual report as CSV (RFC 4180, UTF-8 with a BOM so spreadsheet programs
// read Cyrillic): the seed's five columns, the system's figures in a sixth. The public variant ends
// with a row that says so, with its note on what is hidden (the table alone may be republished).
import { csvLine } from '../../domain/csv'
import type { AnnualReportModel } from './model'

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
    ...(model.variant === 'public'
      ? [[model.variantLabel, '', '', '', '', model.notes.join('\n')]]
      : []),
  ]
  return `\ufeff${rows.map(csvLine).join('')}`
}
