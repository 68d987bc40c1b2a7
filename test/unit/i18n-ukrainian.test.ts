// The Ukrainian text of the portal: one apostrophe (’, U+2019) everywhere, and no English words
// on the public pages beyond the names and abbreviations listed here (issue 11, point 11).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { strings } from '../../src/browser/i18n'
import { staffStrings } from '../../src/browser/staff-i18n'
import { dictionaries } from '../../src/i18n'
import questionnaire from '../../src/report/questions.default.json'

/** Every string under `value` with its path; functions are called with placeholder arguments. */
function collect(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value])
  else if (typeof value === 'function') {
    const args = Array.from({ length: value.length }, () => 7)
    out.push([path, String((value as (...a: unknown[]) => unknown)(...args))])
  } else if (Array.isArray(value)) value.forEach((v, i) => collect(v, `${path}[${i}]`, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'en') collect(v, `${path}.${k}`, out)
  }
  return out
}

const ukStrings = [
  ...collect(dictionaries.uk, 'i18n/uk'),
  ...collect(strings('uk'), 'browser/i18n'),
  ...collect(staffStrings('uk'), 'browser/staff-i18n'),
  ...collect(questionnaire, 'questions.default.json'),
]

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : []
  })
}

// An apostrophe other than ’ between two Cyrillic letters: ', ʼ (U+02BC) or `.
const WRONG_APOSTROPHE = /\p{Script=Cyrillic}['ʼ`]\p{Script=Cyrillic}/u

describe('Ukrainian strings', () => {
  it('finds strings to check (the scan is not empty)', () => {
    expect(ukStrings.length).toBeGreaterThan(500)
    expect(ukStrings.some(([, s]) => s.includes('’'))).toBe(true)
  })

  it('use one apostrophe, ’ (U+2019), in every dictionary and the questionnaire', () => {
    const wrong = ukStrings
      .filter(([, s]) => WRONG_APOSTROPHE.test(s))
      .map(([p, s]) => `${p}: ${s}`)
    expect(wrong).toEqual([])
  })

  it('use ’ in the templates and the reporter scripts too', () => {
    const sources = [
      ...files('views', '.eta'),
      ...files('src/browser', '.ts'),
      ...files('src/i18n', '.ts'),
    ]
    const wrong = sources.filter((f) => WRONG_APOSTROPHE.test(readFileSync(f, 'utf8')))
    expect(wrong).toEqual([])
  })

  it('catches a wrong apostrophe (the check itself)', () => {
    expect(WRONG_APOSTROPHE.test("обов'язково")).toBe(true)
    expect(WRONG_APOSTROPHE.test('обовʼязково')).toBe(true)
    expect(WRONG_APOSTROPHE.test('обов’язково')).toBe(false)
  })

  it('have no English words on the public pages beyond names and abbreviations', () => {
    // Product names, file formats and technical terms Ukrainian text uses as they are; the
    // language switch says "English" in English on purpose.
    const allowed = new Set(
      'JavaScript Tor Browser PDF EXIF JPEG cookie IP base English VIII'.split(' ')
    )
    const d = dictionaries.uk
    const publicStrings = [
      ...collect(
        {
          landing: d.landing,
          report: d.report,
          status: d.status,
          reporter: d.reporter,
          orgKey: d.orgKey,
          org: {
            contactTitle: d.org.contactTitle,
            privacyTitle: d.org.privacyTitle,
            notWritten: d.org.notWritten,
            otherLanguage: d.org.otherLanguage,
            logoAlt: d.org.logoAlt,
          },
          footer: d.footer,
          quickExit: d.quickExit,
          quickExitHint: d.quickExitHint,
          siteTitle: d.siteTitle,
          switchLanguage: d.switchLanguage,
        },
        'i18n/uk'
      ),
      ...collect(strings('uk'), 'browser/i18n'),
      ...collect(
        { q: questionnaire.questions, c: questionnaire.contact },
        'questions.default.json'
      ).filter(([p]) => /\.(label|hint)$/.test(p)),
    ]
    const english = publicStrings.flatMap(([p, s]) =>
      [...s.replace(/\{\w+\}/g, '').matchAll(/\p{Script=Latin}+/gu)]
        .map((m) => m[0])
        .filter((w) => !allowed.has(w))
        .map((w) => `${p}: ${w}`)
    )
    expect(english).toEqual([])
  })
})
