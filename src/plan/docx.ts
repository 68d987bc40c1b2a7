// Reading a plan from a Word document: the first table with the seed's five columns (№ з/п,
// Заплановані заходи, Термін виконання, Відповідальні особи, Про проведений захід), as the `docx`
// package writes it and as LibreOffice or Word save it. Only word/document.xml is read.
import { strFromU8, unzipSync } from 'fflate'

/** A document.xml larger than this is not a plan (and may be a zip bomb). */
const MAX_XML = 20 * 1024 * 1024

export interface DocxTable {
  /** The paragraphs above the table, joined by spaces: the plan's title. */
  title: string
  /** Cells as text (paragraphs joined by \n); merged cells are spread over the grid they cover. */
  rows: string[][]
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code =
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
      return Number.isFinite(code) ? String.fromCodePoint(code) : m
    }
    return ENTITIES[e] ?? m
  })
}

const attr = (attrs: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1]

interface Cell {
  paras: string[]
  span: number
  /** 'continue': the cell goes on the one above (vertically merged). */
  vmerge?: 'restart' | 'continue'
}

/** The tables of the document body (outer tables only: a nested table's text joins its cell). */
export function docxTables(bytes: Uint8Array): DocxTable[] {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter: (f) => f.name === 'word/document.xml' && f.originalSize <= MAX_XML,
    })
  } catch {
    return []
  }
  const xml = files['word/document.xml']
  return xml ? tablesOf(strFromU8(xml)) : []
}

export function tablesOf(xml: string): DocxTable[] {
  const tables: DocxTable[] = []
  let title: string[] = []
  let depth = 0
  let rows: Cell[][] = []
  let row: Cell[] | undefined
  let cell: Cell | undefined
  let para: string | undefined
  let inText = false
  const token = /<(\/?)([\w:]+)([^>]*?)(\/?)>|([^<]+)/g
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const [, close, name, attrs = '', selfClosing, text] = m
    if (text !== undefined) {
      if (inText && para !== undefined) para += decode(text)
      continue
    }
    const open = !close
    switch (name) {
      case 'w:tbl':
        if (open) {
          depth++
          if (depth === 1) rows = []
        } else {
          depth--
          if (depth === 0) {
            tables.push({ title: title.join(' ').replace(/\s+/g, ' ').trim(), rows: grid(rows) })
            title = []
          }
        }
        break
      case 'w:tr':
        if (depth === 1) {
          if (open) row = []
          else if (row) rows.push(row)
        }
        break
      case 'w:tc':
        if (depth === 1) {
          if (open) cell = { paras: [], span: 1 }
          else if (cell && row) {
            row.push(cell)
            cell = undefined
          }
        }
        break
      case 'w:gridSpan':
        if (cell && depth === 1) cell.span = Math.max(1, Number(attr(attrs, 'w:val')) || 1)
        break
      case 'w:vMerge':
        if (cell && depth === 1) {
          cell.vmerge = attr(attrs, 'w:val') === 'restart' ? 'restart' : 'continue'
        }
        break
      case 'w:p':
        if (open && !selfClosing) para = ''
        else if (open) (cell ? cell.paras : title).push('')
        else if (para !== undefined) {
          ;(cell ? cell.paras : depth === 0 ? title : []).push(para)
          para = undefined
        }
        break
      case 'w:t':
        inText = open && !selfClosing
        break
      case 'w:tab':
        if (para !== undefined && open && !close) para += '\t'
        break
      case 'w:br':
      case 'w:cr':
        if (para !== undefined) para += '\n'
        break
    }
  }
  return tables
}

/** Rows of cell texts on the table's grid: a wide cell fills its columns (the rest empty), a
 * vertically merged cell repeats the text of the cell it continues. */
function grid(rows: Cell[][]): string[][] {
  const out: string[][] = []
  for (const r of rows) {
    const line: string[] = []
    for (const c of r) {
      const col = line.length
      const text =
        c.vmerge === 'continue' ? (out.at(-1)?.[col] ?? '') : c.paras.join('\n').replace(/\t/g, ' ')
      line.push(text, ...Array<string>(c.span - 1).fill(''))
    }
    out.push(line)
  }
  return out
}
