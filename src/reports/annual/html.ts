// The annual report as a self-contained HTML page that prints on A4 landscape (the web page and
// `portal report:annual --format html` are the same document).
import type { AnnualReportModel } from './model'

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch
  )
}

/** Lines of a multi-line cell as paragraphs. */
function lines(text: string, cls = ''): string {
  return text
    .split('\n')
    .map((l) => `<p${cls ? ` class="${cls}"` : ''}>${esc(l)}</p>`)
    .join('')
}

/** The report's stylesheet: inline in a file, served at a URL for the web page (CSP: no inline style). */
export const ANNUAL_REPORT_CSS = `
@page { size: A4 landscape; margin: 15mm 12mm; }
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 12pt; margin: 1rem; color: #000; }
h1 { font-size: 13pt; text-align: center; font-weight: bold; margin: 0 0 1rem; }
h2 { font-size: 12pt; margin: 1.5rem 0 0.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td p, th p { margin: 0 0 2pt; }
.plan col.n { width: 5%; } .plan col.m { width: 26%; } .plan col.d { width: 13%; }
.plan col.r { width: 17%; } .plan col.w { width: 39%; }
.figures { font-style: italic; }
.variant { text-align: center; font-weight: bold; letter-spacing: 0.05em; margin: -0.5rem 0 1rem; }
.variant-public { border: 2px solid #000; padding: 2pt; }
.tools { margin-bottom: 1rem; font-family: sans-serif; font-size: 10pt; }
.note { font-size: 10pt; }
@media print { .tools { display: none; } body { margin: 0; } }
/* A phone: the A4 tables scroll sideways in place; the page itself never does. */
@media screen and (max-width: 48em) { body { margin: 0.5rem; } table { display: block; overflow-x: auto; } }
`

export interface HtmlOptions {
  /** Links shown on screen only (the web page's way back); none in the CLI's file. */
  tools?: {
    backHref: string
    backText: string
    printHint: string
    /** The other variant and this variant's files. */
    links?: { href: string; text: string }[]
  }
  labels: { figure: string; year: string; previous: string }
  /** Link the stylesheet instead of inlining it (the web page, whose CSP forbids inline style). */
  stylesheetHref?: string
}

export function renderAnnualHtml(model: AnnualReportModel, opts: HtmlOptions): string {
  const head = model.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')
  const rows = model.rows
    .map(
      (r) =>
        `<tr id="${esc(r.id)}"><td>${esc(r.number)}</td><td>${lines(r.measure)}</td>` +
        `<td>${lines(r.deadline)}</td><td>${lines(r.responsible)}</td>` +
        `<td>${lines(r.done)}${r.figures.length ? lines(r.figures.join('\n'), 'figures') : ''}</td></tr>`
    )
    .join('\n')
  const summary = model.summary
    .map(
      (s) =>
        `<tr><th scope="row">${esc(s.label)}</th><td>${esc(s.value)}</td><td>${esc(s.previous)}</td></tr>`
    )
    .join('\n')
  const quarters = model.quarters.map((q) => `<th scope="col">${esc(q.label)}</th>`).join('')
  const quarterCells = model.quarters.map((q) => `<td>${esc(String(q.received))}</td>`).join('')
  const links = (opts.tools?.links ?? [])
    .map((l) => ` · <a href="${esc(l.href)}">${esc(l.text)}</a>`)
    .join('')
  const tools = opts.tools
    ? `<p class="tools"><a href="${esc(opts.tools.backHref)}">${esc(opts.tools.backText)}</a>${links} · ${esc(opts.tools.printHint)}</p>`
    : ''
  return `<!doctype html>
<html lang="${model.lang}">
<head>
<meta charset="utf-8">
<title>${esc(model.title.replace(/\n/g, ' — '))}</title>
${opts.stylesheetHref ? `<link rel="stylesheet" href="${esc(opts.stylesheetHref)}">` : `<style>${ANNUAL_REPORT_CSS}</style>`}
</head>
<body>
${tools}
<h1>${model.title.split('\n').map(esc).join('<br>')}</h1>
<p class="variant variant-${model.variant}">${esc(model.variantLabel)}</p>
<table class="plan" tabindex="0">
<colgroup><col class="n"><col class="m"><col class="d"><col class="r"><col class="w"></colgroup>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>${esc(model.summaryTitle)}</h2>
<table class="summary">
<thead><tr><th scope="col">${esc(opts.labels.figure)}</th><th scope="col">${esc(opts.labels.year)}</th><th scope="col">${esc(opts.labels.previous)}</th></tr></thead>
<tbody>
${summary}
</tbody>
</table>
<h2>${esc(model.quartersTitle)}</h2>
<table class="quarters" tabindex="0"><thead><tr>${quarters}</tr></thead><tbody><tr>${quarterCells}</tr></tbody></table>
${model.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
</body>
</html>
`
}
