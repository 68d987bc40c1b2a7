// The public variant's rule on figures made up for it: a count from 1 to k−1 that could point at
// a person is hidden, a split whose one part is hidden withholds its other parts (so subtraction
// from the exact total gives nothing away), zero stays 0, and k = 0 switches hiding off.
import { describe, expect, it } from 'vitest'
import type { Language } from '../../src/config'
import { yearAndPrevious, type StatsCase } from '../../src/domain/stats'
import { dictionaries } from '../../src/i18n'
import { buildAnnualReport, type ReportVariant } from '../../src/reports/annual/model'
import type { PlanItem } from '../../src/store/types'

const AS_OF = new Date('2021-01-20T09:00:00Z')
const item: PlanItem = {
  id: 'p1',
  year: 2020,
  number: '1',
  measure: 'Приймати повідомлення',
  deadlineText: 'Постійно',
  responsible: 'Уповноважена особа',
  doneText: 'Приймали.',
  position: 0,
  covers: ['receiving-reports', 'investigations', 'protection'],
}

/** `anonymous` anonymous and `confidential` confidential web reports of 2020, all linked to p1. */
function cases(anonymous: number, confidential: number): StatsCase[] {
  return Array.from({ length: anonymous + confidential }, (_, i) => ({
    channel: 'web',
    anonymity: i < anonymous ? 'anonymous' : 'confidential',
    state: 'received',
    receivedAt: new Date(Date.UTC(2020, 2, 2 + i, 9)),
    clocks: [],
    planItemIds: ['p1'],
  }))
}

function report(list: StatsCase[], variant: ReportVariant, smallCount = 5, lang: Language = 'uk') {
  return buildAnnualReport({
    year: 2020,
    lang,
    dict: dictionaries[lang],
    orgName: 'Рада',
    plan: [item],
    stats: yearAndPrevious(list, 2020, AS_OF),
    smallCount,
    variant,
    generatedOn: '2021-01-20',
  })
}
const value = (m: ReturnType<typeof report>, label: string) =>
  m.summary.find((l) => l.label === label)!.value

describe('the public variant', () => {
  it('withholds the other half of a split whose one half is hidden', () => {
    const m = report(cases(2, 10), 'public')
    expect(value(m, 'Надійшло повідомлень')).toBe('12')
    expect(value(m, 'анонімно')).toBe('< 5')
    // 12 − 10 would give the hidden 2 away.
    expect(value(m, 'конфіденційно (з іменем)')).toBe('приховано')
    expect(m.rows[0]!.figures.join(' ')).toContain(
      'надійшло 12 повідомлень, з них через офіційний веб-сайт — 12, анонімно — менше 5;'
    )
    // Investigations and protection measures: none, shown as 0, never hidden.
    expect(value(m, 'Розпочато службових розслідувань')).toBe('0')
    expect(m.rows[0]!.figures.join(' ')).toContain('записано 0 заходів захисту викривачів')
    // Cases per plan measure: 12, above the threshold.
    expect(m.rows[0]!.figures.join(' ')).toContain('з цим заходом пов’язано 12 повідомлень.')
  })

  it('shows counts at or above k, and the internal copy everything', () => {
    const m = report(cases(5, 6), 'public')
    expect([value(m, 'анонімно'), value(m, 'конфіденційно (з іменем)')]).toEqual(['5', '6'])
    const own = report(cases(2, 10), 'internal')
    expect([value(own, 'анонімно'), value(own, 'конфіденційно (з іменем)')]).toEqual(['2', '10'])
    expect(own.variantLabel).toBe('ДЛЯ ВНУТРІШНЬОГО ВИКОРИСТАННЯ')
  })

  it('reads "fewer than k" with the right noun in both languages', () => {
    expect(report(cases(1, 2), 'public').rows[0]!.figures.join(' ')).toContain(
      'з цим заходом пов’язано менше 5 повідомлень.'
    )
    expect(report(cases(1, 2), 'public', 3).rows[0]!.figures.join(' ')).toContain(
      'з цим заходом пов’язано 3 повідомлення.'
    )
    const en = report(cases(1, 2), 'public', 5, 'en')
    expect(en.variantLabel).toBe('PUBLIC VERSION')
    expect(en.rows[0]!.figures.join(' ')).toMatch(/fewer than 5 reports/)
  })

  it('hides nothing when the threshold is 0, and says so', () => {
    const m = report(cases(2, 10), 'public', 0)
    expect(value(m, 'анонімно')).toBe('2')
    expect(m.variantLabel).toBe('ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ')
    expect(m.notes[0]).toContain('STATS_SMALL_COUNT=0')
  })
})
