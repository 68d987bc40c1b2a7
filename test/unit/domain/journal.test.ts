// The registration journal's lines from case records: order and numbering over the Kyiv year,
// filters that keep each line's number, deadline statuses as of a given moment.
import { describe, expect, it } from 'vitest'
import { journalRows, journalYears, type JournalCase } from '../../../src/domain/journal'

const at = (iso: string) => new Date(iso)

function kase(id: string, receivedAt: string, extra: Partial<JournalCase> = {}): JournalCase {
  return {
    id,
    receivedAt: at(receivedAt),
    channel: 'web',
    anonymity: 'anonymous',
    state: 'received',
    clocks: [],
    protectionMeasures: [],
    ...extra,
  }
}

const NOW = at('2026-06-01T09:00:00Z')

describe('journalRows', () => {
  it('numbers the Kyiv year in order of receipt, whatever order the cases come in', () => {
    const cases = [
      kase('c', '2026-03-01T10:00:00Z'),
      // 23:30 UTC on 31 December is already 1 January in Kyiv (UTC+2).
      kase('a', '2025-12-31T23:30:00Z'),
      kase('b', '2026-02-01T10:00:00Z'),
      kase('old', '2025-12-31T20:00:00Z'),
      kase('next', '2026-12-31T22:30:00Z'),
    ]
    const rows = journalRows(cases, { year: 2026 }, NOW)
    expect(rows.map((r) => [r.n, r.caseId])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ])
    expect(journalRows(cases, { year: 2025 }, NOW).map((r) => r.caseId)).toEqual(['old'])
    expect(journalRows(cases, { year: 2027 }, NOW).map((r) => r.caseId)).toEqual(['next'])
  })

  it('filters by state, channel and missed deadlines, keeping each line its number', () => {
    const due = (kind: string, dueAt: string, metAt?: string) => ({
      kind,
      startedAt: at('2026-01-01T00:00:00Z'),
      dueAt: at(dueAt),
      ...(metAt ? { metAt: at(metAt) } : {}),
    })
    const cases = [
      kase('1', '2026-01-05T10:00:00Z', { clocks: [due('acknowledge', '2026-01-06T10:00:00Z')] }),
      kase('2', '2026-01-06T10:00:00Z', {
        state: 'closed',
        outcome: 'confirmed',
        channel: 'phone',
        clocks: [due('acknowledge', '2026-01-07T10:00:00Z', '2026-01-08T10:00:00Z')],
      }),
      kase('3', '2026-01-07T10:00:00Z', {
        clocks: [due('feedback', '2026-09-01T10:00:00Z')],
        protectionMeasures: [{}, {}],
      }),
    ]
    const overdue = journalRows(cases, { year: 2026, overdue: true }, NOW)
    expect(overdue.map((r) => [r.n, r.caseId])).toEqual([[1, '1']])
    expect(overdue[0]!.clocks[0]!.status).toBe('breached')

    const closed = journalRows(cases, { year: 2026, state: 'closed' }, NOW)
    expect(closed.map((r) => [r.n, r.outcome, r.clocks[0]!.status])).toEqual([
      [2, 'confirmed', 'met-late'],
    ])
    expect(journalRows(cases, { year: 2026, channel: 'phone' }, NOW).map((r) => r.n)).toEqual([2])
    const third = journalRows(cases, { year: 2026 }, NOW)[2]!
    expect([third.clocks[0]!.status, third.protectionMeasures]).toEqual(['due', 2])
  })
})

describe('journalYears', () => {
  it('runs from the first report received to now, newest first; this year alone when empty', () => {
    expect(journalYears(at('2023-05-01T00:00:00Z'), NOW)).toEqual([2026, 2025, 2024, 2023])
    expect(journalYears(undefined, NOW)).toEqual([2026])
  })
})
