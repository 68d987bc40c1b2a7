// Small pure pieces of the reporter's side: sizes in the page's units, what is wrong with a
// typed receipt, and the "done" page's received day.
import { describe, expect, it } from 'vitest'
import { generateReceipt, receiptParts, receiptProblem } from '../../crypto/receipt'
import { fromReceivedDay, receivedDay } from '../../src/report/acknowledgement'
import { formatSize } from '../../src/lib/sizes'

describe('formatSize', () => {
  it('uses Ukrainian units in Ukrainian and kB/MB in English, the real byte count', () => {
    expect(formatSize(66, 'uk')).toBe('66\u00a0Б')
    expect(formatSize(66, 'en')).toBe('66\u00a0B')
    expect(formatSize(1536, 'uk')).toBe('1,5\u00a0КБ')
    expect(formatSize(1536, 'en')).toBe('1.5\u00a0kB')
    expect(formatSize(50 * 1024 * 1024, 'uk')).toBe('50\u00a0МБ')
    expect(formatSize(25 * 1024 * 1024, 'en')).toBe('25\u00a0MB')
    expect(formatSize(3 * 1024 ** 3, 'en')).toBe('3\u00a0GB')
  })
})

describe('receiptProblem', () => {
  it('is null for a whole receipt of either list or digits', () => {
    for (const list of ['uk', 'en'] as const) {
      expect(receiptProblem(generateReceipt('words', undefined, list))).toBeNull()
    }
    expect(receiptProblem(generateReceipt('digits'))).toBeNull()
  })

  it('counts words and digits, and names words in no list', () => {
    const words = receiptParts(generateReceipt('words', undefined, 'uk'))
    expect(receiptProblem(words.slice(0, 7).join(' '))).toEqual({ problem: 'word-count', count: 7 })
    expect(receiptProblem([...words, words[0]].join(' '))).toEqual({
      problem: 'word-count',
      count: 9,
    })
    const typo = [...words]
    typo[2] = 'ъъъ'
    expect(receiptProblem(typo.join(' '))).toEqual({ problem: 'unknown-words', positions: [3] })
    expect(receiptProblem('1234 5678 9012')).toEqual({ problem: 'digit-count', count: 12 })
    expect(receiptProblem('  ')).toEqual({ problem: 'empty' })
  })
})

describe('received day', () => {
  const now = new Date('2026-03-02T21:30:00Z') // 23:30 in Kyiv, still 2 March
  it('is the Kyiv calendar day', () => {
    expect(receivedDay(now)).toBe('2026-03-02')
  })
  it('comes back from the address only for a real day of the past week', () => {
    expect(fromReceivedDay('2026-03-02', now)?.toISOString()).toBe('2026-03-02T10:00:00.000Z')
    expect(fromReceivedDay('2026-02-25', now)).toBeDefined()
    expect(fromReceivedDay('2026-02-20', now)).toBeUndefined()
    expect(fromReceivedDay('2026-03-03', now)).toBeUndefined()
    expect(fromReceivedDay('2026-02-30', now)).toBeUndefined()
    expect(fromReceivedDay('<script>', now)).toBeUndefined()
    expect(fromReceivedDay(undefined, now)).toBeUndefined()
  })
})
