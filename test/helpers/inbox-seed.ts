// Many cases for the inbox at scale (test/integration/inbox-scale.test.ts, test/bench/inbox.ts),
// seeded through the store port like test/bench/annual-report.ts: deterministic, every state,
// channel and a spread of deadlines (some overdue as of `now`), a share linked to plan items,
// each granted to one officer. Returns what each case is, so a test can work out the answer.
import { CASE_STATES, CHANNELS, type CaseState, type Channel } from '../../src/domain/vocab'
import type { NewCase, StoredClock, Store } from '../../src/store/types'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** A small deterministic generator (mulberry32), so every run seeds the same cases. */
export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  }
}

export interface SeededCase {
  id: string
  registrationNo: string
  state: CaseState
  channel: Channel
  receivedAt: Date
  planItemIds: string[]
  /** An open clock due before `now`. */
  overdue: boolean
}

export interface SeedOptions {
  cases: number
  officerId: string
  now: Date
  /** Plan item ids to link a third of the cases to (one each). */
  planItemIds: readonly string[]
  /** Cases per bulk insert. */
  chunk?: number
  onProgress?: (done: number) => void
}

/** Newest first, as the inbox lists them (receivedAt is distinct per case here). */
export const newestFirst = (a: SeededCase, b: SeededCase) =>
  b.receivedAt.getTime() - a.receivedAt.getTime()

export function seedCases(opts: SeedOptions): { records: NewCase[]; cases: SeededCase[] } {
  const r = prng(11_09)
  const records: NewCase[] = []
  const cases: SeededCase[] = []
  const perYear = new Map<number, number>()
  const now = opts.now.getTime()
  for (let i = 0; i < opts.cases; i++) {
    // One every 47 minutes back from now: distinct times, so the order is known.
    const receivedAt = new Date(now - (opts.cases - i) * 47 * MINUTE)
    const year = receivedAt.getUTCFullYear()
    const n = (perYear.get(year) ?? 0) + 1
    perYear.set(year, n)
    const registrationNo = `${year}/${String(n).padStart(4, '0')}`
    const state = r.pick(CASE_STATES)
    const open = state !== 'closed'
    const ack: StoredClock = {
      kind: 'acknowledge',
      startedAt: receivedAt,
      dueAt: new Date(receivedAt.getTime() + 7 * DAY),
      ...(state === 'received' ? {} : { metAt: new Date(receivedAt.getTime() + DAY) }),
    }
    // Open cases get a working clock due somewhere from 20 days ago to 40 days ahead.
    const work: StoredClock = {
      kind: 'investigation',
      startedAt: receivedAt,
      dueAt: new Date(now + (r.int(60) - 20) * DAY + r.int(DAY)),
      ...(open ? {} : { metAt: receivedAt }),
    }
    const clocks = state === 'received' ? [ack] : [ack, work]
    const overdue = clocks.some((c) => !c.metAt && c.dueAt.getTime() < now)
    const planItemIds = opts.planItemIds.length && r.next() < 0.33 ? [r.pick(opts.planItemIds)] : []
    const channel = r.pick(CHANNELS)
    const id = `seed-${String(i).padStart(6, '0')}`
    records.push({
      id,
      registrationNo,
      channel,
      anonymity: 'anonymous',
      encMode: 'client',
      state,
      ...(state === 'closed' ? { outcome: 'not-confirmed' as const } : {}),
      tags: [],
      planItemIds,
      casePublicKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      receivedAt,
      createdAt: receivedAt,
      clocks,
    })
    cases.push({ id, registrationNo, state, channel, receivedAt, planItemIds, overdue })
  }
  return { records, cases }
}

/** Writes the cases and the officer's grants through the port's bulk inserts, in chunks. */
export async function seedInbox(store: Store, opts: SeedOptions): Promise<SeededCase[]> {
  const { records, cases } = seedCases(opts)
  const sealedKey = new Uint8Array(80)
  const chunk = opts.chunk ?? 1000
  for (let i = 0; i < records.length; i += chunk) {
    const part = records.slice(i, i + chunk)
    await store.cases.createMany(part)
    await store.grants.putMany(
      part.map((rec) => ({
        caseId: rec.id,
        granteeKind: 'officer' as const,
        granteeId: opts.officerId,
        sealedKey,
        createdAt: rec.createdAt,
      }))
    )
    opts.onProgress?.(i + part.length)
  }
  return cases
}
