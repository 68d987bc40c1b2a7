// The annual report as a Word document (the format councils file): A4 landscape, the plan table
// in the seed's five columns with a repeated header row, then the summary and the quarters.
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
import type { AnnualReportModel } from './model'

// A4 in twips (1/1440 inch), portrait; the orientation turns it.
const A4 = { width: 11906, height: 16838 }
const MARGIN = 720
const TABLE_WIDTH = A4.height - 2 * MARGIN
const PLAN_SHARES = [0.05, 0.26, 0.13, 0.17, 0.39]

function paragraphs(text: string, opts: { bold?: boolean; italics?: boolean } = {}): Paragraph[] {
  return text
    .split('\n')
    .map((line) => new Paragraph({ children: [new TextRun({ text: line, ...opts })] }))
}

function cell(children: Paragraph[], width?: number): TableCell {
  return new TableCell({
    children: children.length > 0 ? children : [new Paragraph('')],
    ...(width ? { width: { size: width, type: WidthType.DXA } } : {}),
  })
}

function table(
  header: string[],
  body: string[][],
  shares: number[],
  italicLast?: string[][]
): Table {
  const widths = shares.map((s) => Math.round(s * TABLE_WIDTH))
  return new Table({
    width: { size: TABLE_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({
        tableHeader: true,
        children: header.map((h, i) => cell(paragraphs(h, { bold: true }), widths[i])),
      }),
      ...body.map(
        (row, r) =>
          new TableRow({
            children: row.map((text, i) => {
              const extra =
                i === row.length - 1 && italicLast?.[r]?.length
                  ? paragraphs(italicLast[r].join('\n'), { italics: true })
                  : []
              return cell([...paragraphs(text), ...extra], widths[i])
            }),
          })
      ),
    ],
  })
}

export interface DocxLabels {
  figure: string
  year: string
  previous: string
}

export async function renderAnnualDocx(
  model: AnnualReportModel,
  labels: DocxLabels
): Promise<Uint8Array> {
  const doc = new Document({
    creator: 'whistle-portal',
    title: model.title,
    styles: { default: { document: { run: { font: 'Times New Roman', size: 24 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { ...A4, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: model.title
              .split('\n')
              .map((line, i) => new TextRun({ text: line, bold: true, break: i > 0 ? 1 : 0 })),
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: model.variantLabel, bold: true })],
          }),
          table(
            model.columns,
            model.rows.map((r) => [r.number, r.measure, r.deadline, r.responsible, r.done]),
            PLAN_SHARES,
            model.rows.map((r) => r.figures)
          ),
          new Paragraph({
            spacing: { before: 360, after: 120 },
            children: [new TextRun({ text: model.summaryTitle, bold: true })],
          }),
          table(
            [labels.figure, labels.year, labels.previous],
            model.summary.map((s) => [s.label, s.value, s.previous]),
            [0.6, 0.2, 0.2]
          ),
          new Paragraph({
            spacing: { before: 360, after: 120 },
            children: [new TextRun({ text: model.quartersTitle, bold: true })],
          }),
          table(
            model.quarters.map((q) => q.label),
            [model.quarters.map((q) => String(q.received))],
            model.quarters.map(() => 0.25)
          ),
          ...model.notes.map(
            (n) =>
              new Paragraph({
                spacing: { before: 120 },
                children: [new TextRun({ text: n, size: 20 })],
              })
          ),
        ],
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(doc))
}
