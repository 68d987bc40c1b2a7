// Reading the annual report's plan table back out of each format, cell by cell, so tests can
// compare it with the plan it was made from.
import { strFromU8, unzipSync } from 'fflate'

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
  '&#39;': "'",
}
const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#39);/g, (e) => ENTITIES[e]!)

/** Rows of cells of the first <w:tbl> in word/document.xml; paragraphs joined with \n. */
export function docxFirstTable(docx: Uint8Array): string[][] {
  return docxTables(docx)[0] ?? []
}

/** Every <w:tbl> of word/document.xml in order, as rows of cells (the report's tables are flat). */
export function docxTables(docx: Uint8Array): string[][][] {
  const xml = strFromU8(unzipSync(docx)['word/document.xml']!)
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) => rowsOf(t[1]!))
}

function rowsOf(table: string): string[][] {
  return [...table.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
    [...row[0].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((cell) =>
      [...cell[1]!.matchAll(/<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/g)]
        .map((p) =>
          [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
            .map((t) => unescapeXml(t[1]!))
            .join('')
        )
        .join('\n')
    )
  )
}

/** The title paragraph and all text of the document, for looser checks. */
export function docxText(docx: Uint8Array): string {
  const xml = strFromU8(unzipSync(docx)['word/document.xml']!)
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
    .map((t) => unescapeXml(t[1]!))
    .join(' ')
}

/** Rows of cells of the HTML table with `class`; <p> paragraphs joined with \n. */
export function htmlTable(html: string, cls: string): string[][] {
  const table = new RegExp(`<table class="${cls}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? ''
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? ''
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => {
      const ps = [...cell[1]!.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)].map((p) => unescapeXml(p[1]!))
      return ps.length > 0 ? ps.join('\n') : unescapeXml(cell[1]!)
    })
  )
}

/** RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks); a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const s = text.replace(/^\ufeff/, '')
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += ch
  }
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows
}
