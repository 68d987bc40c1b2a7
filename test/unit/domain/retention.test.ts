// The retention rule on a fixed clock: terms count in whole years from 1 January (Kyiv) after a
// case's last change; held cases are never due; open cases are kept unless configured.
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../src/config'
import {
  candidatesBefore,
  DEFAULT_RETENTION_RULES,
  DEFAULT_RETENTION_TERMS,
  deletionDate,
  deletionDay,
  parseRetentionTerms,
  RETENTION_KEYS,
  retentionKey,
  retentionStatus,
  type RetentionRules,
} from '../../../src/domain/retention'

const rules = DEFAULT_RETENTION_RULES
const closed = (outcome: 'confirmed' | 'spam', updatedAt: string) =>
  ({ state: 'closed', outcome, updatedAt: new Date(updatedAt) }) as const

describe('retention rule', () => {
  it('keys a closed case by its outcome and an open one by its state', () => {
    expect(retentionKey({ state: 'closed', outcome: 'spam' })).toBe('spam')
    expect(retentionKey({ state: 'referred' })).toBe('open-referred')
    expect(retentionKey({ state: 'closed' })).toBeUndefined()
    expect(RETENTION_KEYS).toHaveLength(10)
  })

  it('counts whole years from 1 January (Kyiv) after the last change', () => {
    // Closed in mid-2020: term runs from 1 Jan 2021; 5 years → deleted from 1 Jan 2026, Kyiv.
    const d = deletionDate(closed('confirmed', '2020-06-15T10:00:00Z'), rules)
    expect(d?.toISOString()).toBe('2025-12-31T22:00:00.000Z')
    expect(deletionDay(d ?? new Date(0))).toBe('2026-01-01')
    // 23:30 UTC on 31 Dec 2020 is already 2021 in Kyiv: one year later.
    expect(
      deletionDay(deletionDate(closed('spam', '2020-12-31T23:30:00Z'), rules) ?? new Date(0))
    ).toBe('2023-01-01')
    expect(
      deletionDay(deletionDate(closed('spam', '2020-12-31T21:30:00Z'), rules) ?? new Date(0))
    ).toBe('2022-01-01')
  })

  it('keeps open cases and closed cases without an outcome by default', () => {
    const now = new Date('2099-01-01T00:00:00Z')
    for (const state of ['received', 'preliminary-review', 'investigation', 'referred'] as const) {
      const c = { state, updatedAt: new Date('2000-01-01T00:00:00Z') }
      expect(deletionDate(c, rules)).toBeNull()
      expect(retentionStatus(c, false, rules, now)).toEqual({ kind: 'kept' })
    }
    expect(
      retentionStatus({ state: 'closed', updatedAt: new Date('2000-01-01') }, false, rules, now)
    ).toEqual({ kind: 'kept' })
  })

  it('is scheduled, then warned warnDays before, then due; a hold stops it', () => {
    const c = closed('confirmed', '2020-06-15T10:00:00Z')
    const deleteOn = new Date('2025-12-31T22:00:00.000Z')
    expect(retentionStatus(c, false, rules, new Date('2025-11-01T00:00:00Z'))).toEqual({
      kind: 'scheduled',
      deleteOn,
      warn: false,
    })
    // 30 days before 1 Jan 2026 is 2 Dec 2025 (Kyiv midnight = 1 Dec 22:00 UTC).
    expect(retentionStatus(c, false, rules, new Date('2025-12-01T21:59:59Z'))).toMatchObject({
      warn: false,
    })
    expect(retentionStatus(c, false, rules, new Date('2025-12-01T22:00:00Z'))).toMatchObject({
      kind: 'scheduled',
      warn: true,
    })
    expect(retentionStatus(c, false, rules, new Date('2025-12-31T21:59:59Z')).kind).toBe(
      'scheduled'
    )
    expect(retentionStatus(c, false, rules, deleteOn)).toEqual({ kind: 'due', deleteOn })
    expect(retentionStatus(c, true, rules, new Date('2040-01-01'))).toEqual({
      kind: 'held',
      deleteOn,
    })
  })

  it('follows configured terms: never, zero years, open states', () => {
    const custom: RetentionRules = {
      warnDays: 0,
      terms: { ...DEFAULT_RETENTION_TERMS, confirmed: null, spam: 0, 'open-received': 2 },
    }
    const now = new Date('2021-01-01T00:00:00Z')
    expect(retentionStatus(closed('confirmed', '2000-01-01'), false, custom, now).kind).toBe('kept')
    expect(retentionStatus(closed('spam', '2020-03-01'), false, custom, now).kind).toBe('due')
    expect(
      deletionDay(
        deletionDate({ state: 'received', updatedAt: new Date('2020-03-01') }, custom) ??
          new Date(0)
      )
    ).toBe('2023-01-01')
  })

  it('asks the store only for cases changed before the shortest term (plus the warning lead)', () => {
    // Spam (1 year) is the shortest default: on 10 Mar 2026 only cases last changed before
    // 1 Jan 2025 (Kyiv) can be due or warned.
    expect(
      deletionDay(candidatesBefore(rules, new Date('2026-03-10T12:00:00Z')) ?? new Date(0))
    ).toBe('2025-01-01')
    // In December the warning lead reaches into next year.
    expect(
      deletionDay(candidatesBefore(rules, new Date('2026-12-15T12:00:00Z')) ?? new Date(0))
    ).toBe('2026-01-01')
    const none = Object.fromEntries(RETENTION_KEYS.map((k) => [k, null]))
    expect(candidatesBefore({ warnDays: 30, terms: none as never }, new Date())).toBeNull()
  })

  it('parses RETENTION_YEARS and names what it cannot use', () => {
    const r = parseRetentionTerms('spam=2, confirmed=never,open-received=3')
    expect(r.ok && r.value).toMatchObject({
      spam: 2,
      confirmed: null,
      'open-received': 3,
      'not-confirmed': 5,
    })
    const bad = parseRetentionTerms('spam=2,received=1,confirmed=-1,referred=101')
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.error.message).toContain('"received=1"')
      expect(bad.error.message).toContain('"confirmed=-1"')
      expect(bad.error.message).toContain('"referred=101"')
      expect(bad.error.message).not.toContain('spam=2')
    }
    expect(parseRetentionTerms('').ok).toBe(true)
  })

  it('is read from the environment, and a bad RETENTION_YEARS stops the start', () => {
    const c = loadConfig({ RETENTION_YEARS: 'SPAM=never', RETENTION_WARN_DAYS: '7' })
    expect(c.retention.terms.spam).toBeNull()
    expect(c.retention.terms.confirmed).toBe(5)
    expect(c.retention.warnDays).toBe(7)
    expect(c.retentionJob).toBe('apply')
    expect(() => loadConfig({ RETENTION_YEARS: 'confirmed=ten' })).toThrow(ConfigError)
    expect(() => loadConfig({ RETENTION_JOB: 'sometimes' })).toThrow(/RETENTION_JOB/)
  })
})
