// The anonymous remnant of a deleted case: the fields the statistics count (CaseStatsRecord) and
// nothing else, no case id, registration number, keys, tags or people. Both engines store it as
// this JSON under a random key, and CaseStore's statistics reads include the remnants, so every
// figure of a past year (src/domain/stats.ts, src/reports) stays what it was (docs/retention.md).
import type { CaseRecord, CaseStatsRecord, CaseStore, RetentionStore, StoredClock } from './types'

/** The statistics' view of a case, exactly as the engines' eachForStatistics projects it. */
export function statsOfCase(c: CaseRecord): CaseStatsRecord {
  return {
    channel: c.channel,
    anonymity: c.anonymity,
    state: c.state,
    outcome: c.outcome,
    category: c.category,
    receivedAt: c.receivedAt,
    clocks: c.clocks.map((k) => ({ ...k })),
    planItemIds: [...c.planItemIds],
    protectionMeasures: c.protectionMeasures.map((m) => ({ outcome: m.outcome })),
    referral: c.referral ? { body: c.referral.body } : undefined,
  }
}

interface ClockJson {
  kind: string
  startedAt: number
  dueAt: number
  metAt?: number
  extendedDays?: number
}

type RemnantJson = Omit<CaseStatsRecord, 'receivedAt' | 'clocks'> & {
  receivedAt: number
  clocks: ClockJson[]
}

export function encodeRemnant(s: CaseStatsRecord): string {
  const j: RemnantJson = {
    ...s,
    receivedAt: s.receivedAt.getTime(),
    clocks: s.clocks.map((c) => ({
      kind: c.kind,
      startedAt: c.startedAt.getTime(),
      dueAt: c.dueAt.getTime(),
      ...(c.metAt ? { metAt: c.metAt.getTime() } : {}),
      ...(c.extendedDays !== undefined ? { extendedDays: c.extendedDays } : {}),
    })),
  }
  return JSON.stringify(j)
}

export function decodeRemnant(text: string): CaseStatsRecord {
  const j = JSON.parse(text) as RemnantJson
  return {
    channel: j.channel,
    anonymity: j.anonymity,
    state: j.state,
    outcome: j.outcome,
    category: j.category,
    receivedAt: new Date(j.receivedAt),
    clocks: j.clocks.map((c): StoredClock => ({
      kind: c.kind,
      startedAt: new Date(c.startedAt),
      dueAt: new Date(c.dueAt),
      metAt: c.metAt === undefined ? undefined : new Date(c.metAt),
      extendedDays: c.extendedDays,
    })),
    planItemIds: j.planItemIds,
    protectionMeasures: j.protectionMeasures,
    referral: j.referral,
  }
}

/**
 * The engine's case store with the remnants folded into its statistics reads: a deleted case
 * still counts in the year it was received, and its year still has statistics.
 */
export function withRemnants(cases: CaseStore, retention: RetentionStore): CaseStore {
  return {
    ...cases,
    async eachForStatistics(receivedFrom, receivedBefore, visit) {
      const live = await cases.eachForStatistics(receivedFrom, receivedBefore, visit)
      return live + (await retention.eachRemnant(receivedFrom, receivedBefore, visit))
    },
    async receivedRange() {
      const [live, gone] = await Promise.all([cases.receivedRange(), retention.remnantRange()])
      if (!live || !gone) return live ?? gone
      return {
        first: live.first < gone.first ? live.first : gone.first,
        last: live.last > gone.last ? live.last : gone.last,
      }
    },
  }
}
