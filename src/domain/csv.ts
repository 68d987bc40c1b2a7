// CSV as spreadsheets read it: RFC 4180 quoting, CRLF line ends (see the exports that use it).

/**
 * One cell. A text cell that a spreadsheet would run as a formula gets a leading apostrophe
 * (OWASP "CSV injection"): exports carry text that staff typed or that came from outside.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}
