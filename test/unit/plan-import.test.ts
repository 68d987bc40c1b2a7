// Parsing a plan from the text of its implementation report: cells start with a tab, may run
// over several lines, five to a row; unnumbered rows keep no number but get the next one's id.
import { describe, expect, it } from 'vitest'
import { caseWorkOf, parsePlan, planCells, planItemId, planYearOf } from '../../src/plan/import'

// A small made-up plan in the seed's shape (not copied from it).
const FIXTURE = [
  'ЗВІТ ПРО ВИКОНАННЯ ПЛАНУ',
  'заходів у Тестовій раді за 2031 рік',
  '\t№',
  'з/п',
  '\tЗаходи',
  '\tТермін',
  '\tВідповідальні',
  '\tВиконання ',
  '',
  '\t1',
  '\tПерший   захід',
  '\tПостійно',
  '\tНачальник відділу',
  '\tЗроблено:',
  '- одне',
  '- друге',
  '',
  '\t2 ',
  '',
  '\tДругий захід,',
  'у два рядки',
  '\tІ квартал',
  '2031',
  '',
  '\tСекретар',
  '\tНічого',
  ' \tТретій, без номера',
  '\tГрудень',
  '\tГолова',
  '\tПлан затверджено',
  '',
].join('\n')

describe('parsePlan', () => {
  it('should read each row into a plan item, keeping multi-line cells', () => {
    const items = parsePlan(FIXTURE, 2031)
    expect(items.map((i) => i.number)).toEqual(['1', '2', ''])
    expect(items[0]).toEqual({
      id: planItemId(2031, '1'),
      year: 2031,
      number: '1',
      measure: 'Перший захід',
      deadlineText: 'Постійно',
      responsible: 'Начальник відділу',
      doneText: 'Зроблено:\n- одне\n- друге',
      covers: [],
      position: 1,
    })
    expect(items[1]).toMatchObject({
      measure: 'Другий захід,\nу два рядки',
      deadlineText: 'І квартал\n2031',
      responsible: 'Секретар',
    })
    expect(items[2]).toMatchObject({
      id: planItemId(2031, '3'),
      number: '',
      measure: 'Третій, без номера',
      doneText: 'План затверджено',
      position: 3,
    })
  })

  it('should find nothing in text without a numbered table, and read the year from the title', () => {
    expect(parsePlan('just a letter\nwith no table', 2031)).toEqual([])
    expect(planCells('title only')).toEqual([])
    expect(planYearOf(FIXTURE)).toBe(2031)
    expect(planYearOf('no year here\tx')).toBeUndefined()
  })
})

describe('caseWorkOf', () => {
  it('should tell from a measure’s wording which case work it covers', () => {
    expect(caseWorkOf('Розгляд повідомлень викривачів')).toEqual(['receiving-reports'])
    expect(caseWorkOf('Забезпечення захисту викривачів та\nрозгляд анонімних повідомлень')).toEqual(
      ['receiving-reports', 'protection']
    )
    expect(caseWorkOf('Проведення службового розслідування')).toEqual(['investigations'])
    // Training about whistleblowers, or notifying the agency, is not case work.
    expect(caseWorkOf('Навчання щодо дії викривачів')).toEqual([])
    expect(caseWorkOf('Повідомлення Національному агентству про факт неподання')).toEqual([])
  })
})
