// File sizes in the page's language, one formatter for the server's pages and the browser's
// scripts: Ukrainian units (Б, КБ, МБ, ГБ) in Ukrainian, B/kB/MB/GB in English. Binary steps
// (1 KB = 1024 bytes), as the configured limits are.
export type SizeLanguage = 'uk' | 'en'

const UNITS: Record<SizeLanguage, readonly [string, string, string, string]> = {
  uk: ['Б', 'КБ', 'МБ', 'ГБ'],
  en: ['B', 'kB', 'MB', 'GB'],
}

// Making a number format costs far more than using one (toLocaleString makes one per call: 7% of
// the report form's CPU under load, issue 12); one per language and precision, made on first use.
const formats = new Map<string, Intl.NumberFormat>()
function numberFormat(lang: SizeLanguage, digits: number): Intl.NumberFormat {
  const key = `${lang}${digits}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'uk-UA', { maximumFractionDigits: digits })
    formats.set(key, f)
  }
  return f
}

export function formatSize(bytes: number, lang: SizeLanguage): string {
  const units = UNITS[lang]
  let step = 0
  let value = Math.max(0, bytes)
  while (value >= 1024 && step < units.length - 1) {
    value /= 1024
    step++
  }
  // Whole bytes; one decimal below 10 of a larger unit (1,5 МБ), whole numbers above.
  const digits = step === 0 || value >= 10 ? 0 : 1
  const text = numberFormat(lang, digits).format(value)
  // A no-break space keeps the number and its unit on one line.
  return `${text}\u00a0${units[step]}`
}
