// A generated year of 500 cases with known paths and clock results, stored on each engine: the
// statistics service gives exactly the counts tallied here from the generator's own record of what
// it made (never from the code under test).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addCalendarDays, endOfLocalDay, startOfLocalDay } from '../../src/domain/calendar'
import { yearAndPrevious, type AnnualFigures } from '../../src/domain/stats'
import {
  ANONYMITY,
  CATEGORIES,
  CHANNELS,
  REFERRAL_BODIES,
  type Anonymity,
  type CaseState,
  type Channel,
  type Outcome,
  type ReferralBody,
} from '../../src/domain/vocab'
import { createStatisticsService } from '../../src/reports/statistics'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { NewCase, StoredClock, Store } from '../../src/store/types'
import { describeMongo, freshMongoUri } from '../setup/env'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const DAY = 86_400_000
const NOW = new Date('2026-06-15T09:00:00Z')

/** A small seeded generator, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!
  return { next, int, pick }
}

const PATHS = [
  'new',
  'reviewing',
  'investigating',
  'confirmed',
  'not-confirmed',
  'referred',
  'head',
  'not-competent',
  'no-facts',
  'spam',
] as const
type Path = (typeof PATHS)[number]

/** What the generator made of one case: the truth the expected figures are tallied from. */
interface Truth {
  year: number
  quarter: number
  path: Path
  channel: Channel
  anonymity: Anonymity
  category: string
  ackDays?: number
  reviewed?: boolean
  reviewOnTime?: boolean
  extended: boolean
  closeDays?: number
  measures: string[]
  referralBody?: ReferralBody
  /** Every clock made, with the status it was made to have. */
  clocks: { kind: string; onTime: boolean }[]
}

function generate(seed: number, year: number, count: number) {
  const r = prng(seed)
  const cases: NewCase[] = []
  const truth: Truth[] = []
  for (let i = 0; i < count; i++) {
    const dayIndex = r.int(0, 364)
    const day = addCalendarDays(`${year}-01-01`, dayIndex)
    const received = new Date(startOfLocalDay(day).getTime() + 10 * 3_600_000)
    const at = (days: number) => new Date(received.getTime() + days * DAY)
    const dueDays = (days: number) => endOfLocalDay(addCalendarDays(day, days))
    const path = r.pick(PATHS)
    const t: Truth = {
      year: Number(day.slice(0, 4)),
      quarter: Math.ceil(Number(day.slice(5, 7)) / 3),
      path,
      channel: r.pick(CHANNELS),
      anonymity: r.pick(ANONYMITY),
      category: r.next() < 0.3 ? 'none' : r.pick(CATEGORIES),
      extended: false,
      measures: r.next() < 0.2 ? Array.from({ length: r.int(1, 2) }, () => r.pick(OUTCOMES)) : [],
      clocks: [],
    }
    const clocks: StoredClock[] = []
    // A clock met `days` after receipt, due `dueIn` days after (end of day): on time iff days <= dueIn.
    const met = (kind: string, days: number, dueIn: number) => {
      clocks.push({ kind, startedAt: received, dueAt: dueDays(dueIn), metAt: at(days) })
      t.clocks.push({ kind, onTime: days <= dueIn })
    }
    // Left open: every 2025 clock is past due by NOW, so it counts as breached.
    const open = (kind: string, dueIn: number) => {
      clocks.push({ kind, startedAt: received, dueAt: dueDays(dueIn) })
      t.clocks.push({ kind, onTime: false })
    }
    let state: CaseState = 'closed'
    let outcome: Outcome | undefined
    if (path !== 'spam') {
      if (path === 'new') open('acknowledge', 7)
      else {
        t.ackDays = r.int(0, 10)
        met('acknowledge', t.ackDays, 7)
      }
    }
    const reviewDays = r.int(1, 20)
    if (path === 'new' || path === 'reviewing') open('preliminary-review', 14)
    else if (path !== 'head' && path !== 'spam') {
      met('preliminary-review', reviewDays, 14)
      t.reviewed = true
      t.reviewOnTime = reviewDays <= 14
    }
    if (path === 'investigating' || path === 'confirmed' || path === 'not-confirmed') {
      t.extended = r.next() < 0.3
      const due = reviewDays + 30 + (t.extended ? 10 : 0)
      const extendedDays = t.extended ? 10 : undefined
      if (path === 'investigating') {
        clocks.push({
          kind: 'investigation',
          startedAt: at(reviewDays),
          dueAt: dueDays(due),
          extendedDays,
        })
        t.clocks.push({ kind: 'investigation', onTime: false })
      } else {
        t.closeDays = reviewDays + r.int(5, 45)
        clocks.push({
          kind: 'investigation',
          startedAt: at(reviewDays),
          dueAt: dueDays(due),
          metAt: at(t.closeDays),
          extendedDays,
        })
        t.clocks.push({ kind: 'investigation', onTime: t.closeDays <= due })
      }
    }
    if (path === 'referred') {
      t.closeDays = reviewDays + 1
      met('refer', t.closeDays, reviewDays + 1)
      t.referralBody = r.pick(REFERRAL_BODIES)
    }
    if (path === 'head') {
      const days = r.int(1, 5)
      met('forward-head', days, 3)
    }
    if (path === 'not-competent' || path === 'no-facts') t.closeDays = reviewDays
    switch (path) {
      case 'new':
        state = 'received'
        break
      case 'reviewing':
        state = 'preliminary-review'
        break
      case 'investigating':
        state = 'investigation'
        break
      case 'head':
        state = 'referred'
        break
      case 'no-facts':
        outcome = 'left-without-consideration'
        break
      default:
        outcome = path
    }
    truth.push(t)
    cases.push({
      id: `gen-${seed}-${i}`,
      channel: t.channel,
      anonymity: t.anonymity,
      encMode: 'client',
      state,
      outcome,
      category: t.category === 'none' ? undefined : t.category,
      tags: [],
      planItemIds: i % 7 === 0 ? ['plan-2025-15'] : [],
      casePublicKey: 'AAAA',
      receivedAt: received,
      createdAt: received,
      clocks,
      ...(t.referralBody
        ? {
            referral: {
              body: t.referralBody,
              ...(t.referralBody === 'other' ? { name: 'ДБР' } : {}),
              at: received,
            },
          }
        : {}),
      protectionMeasures: t.measures.map((o, k) => ({
        id: `m${k}`,
        kind: 'confidentiality',
        takenOn: day,
        outcome: o,
        recordedBy: 'officer',
        recordedAt: received,
      })),
    })
  }
  return { cases, truth }
}
const OUTCOMES = ['pending', 'effective', 'not-effective', 'not-needed'] as const

function count<T>(list: readonly T[], test: (x: T) => boolean): number {
  return list.filter(test).length
}
function byKeys<K extends string>(keys: readonly K[], n: (k: K) => number): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, n(k)])) as Record<K, number>
}
function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!
}
function middle(values: number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const h = s.length / 2
  return s.length % 2 ? s[Math.floor(h)]! : (s[h - 1]! + s[h]!) / 2
}

/** The figures the generated cases must give, tallied from the generator's truth. */
function expected(truth: readonly Truth[], year: number): AnnualFigures {
  const ts = truth.filter((t) => t.year === year)
  const is =
    (...paths: Path[]) =>
    (t: Truth) =>
      paths.includes(t.path)
  const allClocks = ts.flatMap((t) => t.clocks)
  const metOnTime = count(allClocks, (c) => c.onTime)
  const acks = ts.filter((t) => t.ackDays !== undefined).map((t) => t.ackDays!)
  const closes = ts.filter((t) => t.closeDays !== undefined).map((t) => t.closeDays!)
  const measures = ts.flatMap((t) => t.measures)
  return {
    year,
    received: ts.length,
    receivedByChannel: byKeys(CHANNELS, (ch) => count(ts, (t) => t.channel === ch)),
    anonymous: count(ts, (t) => t.anonymity === 'anonymous'),
    confidential: count(ts, (t) => t.anonymity === 'confidential'),
    byChannelAnonymity: Object.fromEntries(
      CHANNELS.map((ch) => [
        ch,
        byKeys(ANONYMITY, (a) => count(ts, (t) => t.channel === ch && t.anonymity === a)),
      ])
    ) as AnnualFigures['byChannelAnonymity'],
    byCategory: byKeys([...CATEGORIES, 'none'] as const, (k) => count(ts, (t) => t.category === k)),
    acknowledged: acks.length,
    acknowledgedOnTime: count(acks, (d) => d <= 7),
    preliminaryReviewsDone: count(ts, (t) => t.reviewed === true),
    preliminaryReviewsOnTime: count(ts, (t) => t.reviewOnTime === true),
    referred: count(ts, is('referred', 'head')),
    referredBy: {
      'after-review': count(ts, is('referred')),
      'concerns-head': count(ts, is('head')),
    },
    referredTo: byKeys(REFERRAL_BODIES, (b) => count(ts, (t) => t.referralBody === b)),
    investigationsOpened: count(ts, is('investigating', 'confirmed', 'not-confirmed')),
    investigationsExtended: count(ts, (t) => t.extended),
    investigationsClosed: {
      confirmed: count(ts, is('confirmed')),
      'not-confirmed': count(ts, is('not-confirmed')),
    },
    closedByOutcome: {
      confirmed: count(ts, is('confirmed')),
      'not-confirmed': count(ts, is('not-confirmed')),
      'left-without-consideration': count(ts, is('no-facts')),
      'not-competent': count(ts, is('not-competent')),
      referred: count(ts, is('referred')),
      spam: count(ts, is('spam')),
    },
    stillOpen: count(ts, is('new', 'reviewing', 'investigating', 'head')),
    protection: {
      cases: count(ts, (t) => t.measures.length > 0),
      requested: measures.length,
      applied: count(measures, (o) => o === 'effective' || o === 'not-effective'),
    },
    deadlines: {
      counted: allClocks.length,
      metOnTime,
      percentMetOnTime: Math.round((metOnTime / allClocks.length) * 1000) / 10,
    },
    breachesByClock: {
      acknowledge: count(allClocks, (c) => c.kind === 'acknowledge' && !c.onTime),
      'preliminary-review': count(allClocks, (c) => c.kind === 'preliminary-review' && !c.onTime),
      'inform-preliminary-result': 0,
      refer: count(allClocks, (c) => c.kind === 'refer' && !c.onTime),
      'forward-head': count(allClocks, (c) => c.kind === 'forward-head' && !c.onTime),
      investigation: count(allClocks, (c) => c.kind === 'investigation' && !c.onTime),
      feedback: 0,
    },
    daysToAcknowledge: { median: middle(acks), p90: nearestRank(acks, 90) },
    daysToClose: { median: middle(closes), p90: nearestRank(closes, 90) },
    medianDaysToAcknowledge: middle(acks),
  }
}

function describeEngine(name: string, open: () => Promise<Store>) {
  describe(`statistics of a generated year (${name})`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open()
    })
    afterEach(async () => {
      await store.close()
    })

    it('gives exactly the counts the generated cases were made with, this year and last', async () => {
      const main = generate(2025, 2025, 500)
      const before = generate(2024, 2024, 60)
      const after = generate(2026, 2026, 20)
      for (const c of [...main.cases, ...before.cases, ...after.cases]) await store.cases.create(c)
      const service = createStatisticsService({ store, clock: { now: () => NOW } })

      const report = await service.forYear(2025)
      const want = expected(main.truth, 2025)
      expect(want.received).toBe(500)
      expect(report.current.year).toEqual(want)
      expect(report.previous).toEqual(expected(before.truth, 2024))
      expect(report.current.quarters.map((q) => q.received)).toEqual(
        [1, 2, 3, 4].map((q) => count(main.truth, (t) => t.quarter === q))
      )
      expect(report.current.quarters.map((q) => q.anonymous)).toEqual(
        [1, 2, 3, 4].map((q) =>
          count(main.truth, (t) => t.quarter === q && t.anonymity === 'anonymous')
        )
      )
      expect(report.linked).toEqual({ 'plan-2025-15': Math.ceil(500 / 7) })
      // No clock kind the generator never made shows a breach: zeros are zeros.
      expect(report.current.year.breachesByClock.feedback).toBe(0)
      expect(await service.years()).toEqual([2026, 2025, 2024])

      // The store's statistics path (projected rows, streamed) gives what folding the full
      // records gives, for every year, the previous year and the links alike.
      const everything = await store.cases.all({})
      for (const year of [2024, 2025, 2026]) {
        expect(await service.forYear(year)).toEqual(yearAndPrevious(everything, year, NOW))
      }
    }, 120_000)
  })
}

const dirs: string[] = []
describeEngine('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-stats-'))
  dirs.push(dir)
  return openSqliteStore({ file: join(dir, 'portal.sqlite') })
})
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
describeMongo('on MongoDB', () => {
  describeEngine('mongo', () => openMongoStore({ uri: freshMongoUri('stats'), dropOnClose: true }))
})
