// A plan as a Word table, written with the `docx` package: the seed's five columns, one
// paragraph per line of a cell, merged cells where asked. For fixtures and for DOCX import tests.
import { Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, Document } from 'docx'
import type { PlanItem } from '../../src/store/types'

export interface DocxCell {
  text: string
  columnSpan?: number
  rowSpan?: number
}

export const PLAN_HEADER = [
  '№\nз/п',
  'Заплановані заходи',
  'Термін\nвиконання',
  'Відповідальні особи',
  'Про проведений захід',
]

export function planRows(items: readonly PlanItem[]): DocxCell[][] {
  return [
    PLAN_HEADER.map((text) => ({ text })),
    ...items.map((it) =>
      [it.number, it.measure, it.deadlineText, it.responsible, it.doneText].map((text) => ({
        text,
      }))
    ),
  ]
}

export async function planDocx(title: string, rows: DocxCell[][]): Promise<Uint8Array> {
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(
      (r) =>
        new TableRow({
          children: r.map(
            (c) =>
              new TableCell({
                ...(c.columnSpan ? { columnSpan: c.columnSpan } : {}),
                ...(c.rowSpan ? { rowSpan: c.rowSpan } : {}),
                children: c.text
                  .split('\n')
                  .map((line) => new Paragraph({ children: [new TextRun(line)] })),
              })
          ),
        })
    ),
  })
  const doc = new Document({
    sections: [
      {
        children: [
          ...title.split('\n').map((line) => new Paragraph({ children: [new TextRun(line)] })),
          table,
        ],
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(doc))
}
