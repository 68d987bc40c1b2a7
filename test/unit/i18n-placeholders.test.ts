// Every message has the same placeholders ({name}, {year}…) in Ukrainian and English, in every
// table under src/i18n/ and in the questionnaire: a translation that drops or renames one would
// show a raw "{name}" or lose a figure in one language only.
import { describe, expect, it } from 'vitest'
import { auditEn } from '../../src/i18n/audit-en'
import { auditUk } from '../../src/i18n/audit-uk'
import { en } from '../../src/i18n/en'
import { journalEn } from '../../src/i18n/journal-en'
import { journalUk } from '../../src/i18n/journal-uk'
import { officerEn } from '../../src/i18n/officer-en'
import { officerUk } from '../../src/i18n/officer-uk'
import { planEn } from '../../src/i18n/plan-en'
import { planUk } from '../../src/i18n/plan-uk'
import { uk } from '../../src/i18n/uk'
import { defaultQuestionnaire } from '../../src/report/questions'

const placeholders = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort()

/** Path → placeholders of every string leaf of a table. */
function leaves(value: unknown, path = '', out = new Map<string, string[]>()) {
  if (typeof value === 'string') out.set(path, placeholders(value))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out)
  }
  return out
}

function mismatches(ukTable: unknown, enTable: unknown): string[] {
  const u = leaves(ukTable)
  const e = leaves(enTable)
  const problems: string[] = []
  for (const path of new Set([...u.keys(), ...e.keys()])) {
    const a = u.get(path)
    const b = e.get(path)
    if (!a || !b) problems.push(`${path}: only in ${a ? 'uk' : 'en'}`)
    else if (a.join() !== b.join()) problems.push(`${path}: uk ${a.join(' ')} · en ${b.join(' ')}`)
  }
  return problems
}

describe('message placeholders match across uk and en', () => {
  const tables: [string, unknown, unknown][] = [
    ['uk.ts / en.ts', uk, en],
    ['audit', auditUk, auditEn],
    ['journal', journalUk, journalEn],
    ['officer', officerUk, officerEn],
    ['plan', planUk, planEn],
  ]
  for (const [name, ukTable, enTable] of tables) {
    it(name, () => {
      expect(leaves(ukTable).size).toBeGreaterThan(10)
      expect(mismatches(ukTable, enTable)).toEqual([])
    })
  }

  it('the questionnaire (labels, hints, options)', () => {
    const q = defaultQuestionnaire
    const byLang = (lang: 'uk' | 'en') =>
      [...q.questions, ...q.contact].map((x) => ({
        label: x.label[lang],
        hint: x.hint?.[lang],
        options: x.options?.map((o) => o.label[lang]),
      }))
    expect(mismatches(byLang('uk'), byLang('en'))).toEqual([])
  })

  it('catches a dropped placeholder', () => {
    expect(mismatches({ a: 'Пункт {n} плану {year}' }, { a: 'Item {n} of the plan' })).toEqual([
      'a: uk {n} {year} · en {n}',
    ])
  })
})
