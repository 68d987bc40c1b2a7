// Horizontal bar charts as inline SVG, drawn on the server (no script). The chart is decoration:
// its figures are in the table next to it, and its <title> says what it shows.

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

export interface ChartBar {
  label: string
  value: number
  /** What to print beside the bar when not the value itself (a suppressed "< 5"). */
  text?: string
}

const ROW = 22
const LABEL_WIDTH = 220
const BAR_WIDTH = 300

export function barChartSvg(title: string, bars: readonly ChartBar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value))
  const height = bars.length * ROW + 4
  const width = LABEL_WIDTH + BAR_WIDTH + 60
  const rows = bars.map((b, i) => {
    const y = i * ROW + 2
    const w = Math.round((b.value / max) * BAR_WIDTH)
    return (
      `<text x="${LABEL_WIDTH - 6}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${w}" height="${ROW - 6}" class="bar"></rect>` +
      `<text x="${LABEL_WIDTH + w + 6}" y="${y + 15}">${esc(b.text ?? String(b.value))}</text>`
    )
  })
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" font-size="12"><title>${esc(title)}</title>${rows.join('')}</svg>`
  )
}
