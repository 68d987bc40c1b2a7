// The report's sentences put nouns in the plural form the number asks for (Intl.PluralRules).
import { describe, expect, it } from 'vitest'
import { dictionaries } from '../../src/i18n'
import { fillCounted } from '../../src/reports/annual/model'

const uk = dictionaries.uk.annual
const say = (template: string, n: number | string, lang: 'uk' | 'en' = 'uk') =>
  fillCounted(template, lang, dictionaries[lang].annual.nouns, { n })

describe('fillCounted', () => {
  it.each([
    [0, 'надійшло 0 повідомлень'],
    [1, 'надійшло 1 повідомлення'],
    [3, 'надійшло 3 повідомлення'],
    [5, 'надійшло 5 повідомлень'],
    [11, 'надійшло 11 повідомлень'],
    [21, 'надійшло 21 повідомлення'],
    [24, 'надійшло 24 повідомлення'],
    ['< 5', 'надійшло < 5 повідомлень'],
  ])('reads %s as “%s”', (n, text) => {
    expect(say('надійшло {n} {reports}', n)).toBe(text)
  })

  it('declines the other nouns too, in both languages', () => {
    expect(say(uk.investigations, 1)).toMatch(/^розпочато 1 службове розслідування,/)
    expect(say(uk.investigations, 2)).toMatch(/^розпочато 2 службові розслідування,/)
    expect(say(uk.investigations, 7)).toMatch(/^розпочато 7 службових розслідувань,/)
    expect(say(uk.protection, 1)).toMatch(/^записано 1 захід захисту/)
    expect(say(uk.protection, 4)).toMatch(/^записано 4 заходи захисту/)
    expect(say(uk.protection, 10)).toMatch(/^записано 10 заходів захисту/)
    expect(say('{n} {reports}', 1, 'en')).toBe('1 report')
    expect(say('{n} {reports}', 2, 'en')).toBe('2 reports')
  })
})
