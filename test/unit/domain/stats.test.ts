import { describe, expect, it } from 'vitest'
import { WEEKENDS_ONLY } from '../../../src/domain/calendar'
import { DEFAULT_DEADLINE_RULES, startClocks } from '../../../src/domain/deadlines'
import { applyAction, type CaseSnapshot, type LifecycleRules } from '../../../src/domain/lifecycle'
import {
  annualFigures,
  median,
  percentile,
  suppressSmallCounts,
  yearStatistics,
  type StatsCase,
} from '../../../src/domain/stats'
import type { Anonymity, Channel, LifecycleAction, Outcome } from '../../../src/domain/vocab'

const rules: LifecycleRules = { deadlines: DEFAULT_DEADLINE_RULES, calendar: WEEKENDS_ONLY }
const DAY = 86_400_000

/** Builds a case by running actions (each `days` after receipt) through the lifecycle. */
function caseOf(
  receivedIso: string,
  steps: [LifecycleAction, number, Outcome?][],
  channel: Channel = 'web',
  anonymity: Anonymity = 'anonymous'
): StatsCase {
  const receivedAt = new Date(receivedIso)
  let c: CaseSnapshot = {
    id: receivedIso,
    state: 'received',
    channel,
    receivedAt,
    clocks: startClocks(receivedAt, channel, DEFAULT_DEADLINE_RULES, WEEKENDS_ONLY),
  }
  for (const [action, days, outcome] of steps) {
    const at = new Date(receivedAt.getTime() + days * DAY)
    const r = applyAction(c, action, { actorId: 'o', at, reason: 'r', outcome }, rules)
    if (!r.ok) throw new Error(`${action}: ${r.error.code}`)
    c = { ...c, ...r.value }
  }
  return { ...c, anonymity }
}

describe('annualFigures', () => {
  const cases = [
    // Acknowledged same day, reviewed on time, investigated, confirmed.
    caseOf('2025-02-03T10:00:00+02:00', [
      ['acknowledge', 0],
      ['open-investigation', 5],
      ['inform-reporter', 6],
      ['close', 20, 'confirmed'],
    ]),
    // Acknowledged after 2 days, review late (day 20), referred and closed.
    caseOf(
      '2025-03-03T10:00:00+02:00',
      [
        ['acknowledge', 2],
        ['refer', 20],
        ['close', 20.5],
      ],
      'phone',
      'confidential'
    ),
    caseOf('2025-04-01T10:00:00+03:00', [['mark-spam', 1]], 'email'),
    caseOf('2025-05-05T10:00:00+03:00', [['concerns-head', 1]], 'mailbox'),
    // Acknowledged after 4 days, still in preliminary review.
    caseOf('2025-12-31T23:30:00+02:00', [['acknowledge', 4]], 'in-person', 'confidential'),
    // Other years: 31 Dec 2024 22:30 UTC is already 1 Jan 2025 in Kyiv; the second is 2024.
    caseOf('2024-12-31T22:30:00Z', [], 'nazk-portal'),
    caseOf('2024-12-31T21:30:00Z', [['acknowledge', 1]]),
  ]
  const asOf = new Date('2026-03-01T00:00:00Z')
  const f = annualFigures(cases, 2025, asOf)

  it('counts reports received in the year (Kyiv dates) by channel and anonymity', () => {
    expect(f.received).toBe(6)
    expect(f.receivedByChannel).toMatchObject({
      web: 1,
      phone: 1,
      email: 1,
      mailbox: 1,
      'in-person': 1,
      'nazk-portal': 1,
      'web-nojs': 0,
      referral: 0,
    })
    expect(f.anonymous).toBe(4)
    expect(f.confidential).toBe(2)
  })

  it('counts reviews, referrals, investigations and outcomes', () => {
    expect(f.preliminaryReviewsDone).toBe(2)
    expect(f.preliminaryReviewsOnTime).toBe(1)
    expect(f.referred).toBe(2) // referred after review + forwarded (concerns the head)
    expect(f.investigationsOpened).toBe(1)
    expect(f.closedByOutcome).toEqual({
      confirmed: 1,
      'not-confirmed': 0,
      'left-without-consideration': 0,
      'not-competent': 0,
      referred: 1,
      spam: 1,
    })
    expect(f.stillOpen).toBe(3)
  })

  it('works out the median days to acknowledge', () => {
    expect(f.medianDaysToAcknowledge).toBe(2) // 0, 2, 4
    expect(f.daysToAcknowledge).toEqual({ median: 2, p90: 4 })
    expect([f.acknowledged, f.acknowledgedOnTime]).toEqual([3, 3])
  })

  it('works out the days to close from the deciding clock, and how cases were sent on', () => {
    // Confirmed on day 20 (investigation met), referred: the refer clock met on day 20.5 → 20 days.
    expect(f.daysToClose).toEqual({ median: 20, p90: 20 })
    expect(f.referredBy).toEqual({ 'after-review': 1, 'concerns-head': 1 })
    expect(f.investigationsClosed).toEqual({ confirmed: 1, 'not-confirmed': 0 })
    expect(f.investigationsExtended).toBe(0)
    // The breaches of the deadline share, by clock.
    const breaches = Object.values(f.breachesByClock).reduce((a, b) => a + b, 0)
    expect(breaches).toBe(f.deadlines.counted - f.deadlines.metOnTime)
    expect(f.breachesByClock['preliminary-review']).toBeGreaterThan(0)
  })

  it('splits the year into quarters that add up to it', () => {
    const s = yearStatistics(cases, 2025, asOf)
    expect(s.year).toEqual(f)
    // Q1: 1 Jan (Kyiv), 3 Feb, 3 Mar; Q2: 1 Apr, 5 May; Q4: 31 Dec.
    expect(s.quarters.map((q) => q.received)).toEqual([3, 2, 0, 1])
    expect(s.quarters.reduce((n, q) => n + q.referred, 0)).toBe(f.referred)
  })

  it('computes the share of deadlines met on time among those that have come due', () => {
    // On time: case 1 all five; case 2 acknowledge and refer; Dec 31 case its acknowledgement.
    // Counted but missed: the late review, unmet feedback / notices / forwarding, breached clocks
    // of open cases. Not counted: spam's dropped clocks, the Dec 31 case's feedback not yet due.
    expect(f.deadlines).toEqual({ counted: 18, metOnTime: 8, percentMetOnTime: 44.4 })
    const empty = annualFigures([], 2025, asOf)
    expect(empty.deadlines.percentMetOnTime).toBeNull()
    expect(empty.medianDaysToAcknowledge).toBeNull()
  })

  it('leaves clocks not yet due out of the deadline share', () => {
    const fresh = caseOf('2025-06-02T10:00:00+03:00', [])
    const early = annualFigures([fresh], 2025, new Date('2025-06-03T10:00:00+03:00'))
    expect(early.deadlines).toEqual({ counted: 0, metOnTime: 0, percentMetOnTime: null })
    const late = annualFigures([fresh], 2025, new Date('2025-12-01T10:00:00+02:00'))
    expect(late.deadlines).toEqual({ counted: 3, metOnTime: 0, percentMetOnTime: 0 })
  })
})

describe('median', () => {
  it.each([
    [[], null],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected)
  })
})

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([], 90)).toBeNull()
    expect(percentile([7], 90)).toBe(7)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9)
    expect(percentile([10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11], 90)).toBe(10)
  })
})

describe('suppressSmallCounts', () => {
  it.each([
    [0, 0],
    [1, '< 5'],
    [4, '< 5'],
    [5, 5],
    [120, 120],
  ])('shows %i as %s', (n, shown) => {
    expect(suppressSmallCounts(n)).toBe(shown)
  })

  it('takes another threshold', () => {
    expect(suppressSmallCounts(9, 10)).toBe('< 10')
    expect(suppressSmallCounts(10, 10)).toBe(10)
    // 0 switches suppression off.
    expect(suppressSmallCounts(1, 0)).toBe(1)
  })
})
