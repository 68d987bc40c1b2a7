// Costs on guessing receipts, paid by whoever guesses and barely felt by a reporter. No IP is
// ever involved, and every count lives in the store so that all app instances share it.
//
// - Globally, attempts above a per-minute budget are held back a little (at most maxDelayMs)
//   instead of refused: a flood cannot lock reporters out, it only slows every attempt for a
//   while. Only maxWaiting attempts may wait at once in one instance; beyond that the answer is
//   an immediate 429 with Retry-After and no store write, so that parallel floods cost the
//   server little and the attacker's checked guesses stay bounded.
// - Per lookup value (one receipt), failures buy exponentially longer back-off windows.
//
// The same guard covers logins on both paths and the "receipt already in use" answer to a
// submission, which tells as much as a login does. A submission that creates a new receipt is not
// an attempt: it pays its proof of work, not this budget (src/report/intake.ts, SECURITY.md).
import type { Clock } from '../deps'
import type { CounterStore } from '../store/types'

export const RECEIPT_LIMITS = {
  /** Attempts per minute, all instances together, before anyone is held back. */
  budget: 100,
  windowMs: 60_000,
  /** Above the budget each attempt waits 1 s per budget's worth of excess, up to this. */
  maxDelayMs: 3_000,
  /** Attempts waiting at once in one instance; more are refused at once (Retry-After). */
  maxWaiting: 32,
  /** Failures of one lookup value that cost nothing (typing slips, retries). */
  freeFailures: 3,
  /** After those, one attempt per 1 s, 2 s, 4 s… window, up to this. */
  maxBackoffMs: 15 * 60_000,
  /** Failures of one lookup value are remembered this long (a clock hour). Longer would keep a
   * row per random guess around for as long: a flood must not fill the database. */
  failureMemoryMs: 60 * 60_000,
}

const GLOBAL_KEY = 'receipt-try:global'
const short = (lookup: string) => lookup.slice(0, 32)

/** Seconds to wait before trying again, when an attempt is not let through. */
export type Hold = number | null

export interface ReceiptGuard {
  /** Counts one attempt against the global budget and waits if over it; a Hold when refused. */
  admit(): Promise<Hold>
  /** The back-off of one lookup value: a Hold when it may not be tried yet. */
  held(lookup: string): Promise<Hold>
  /** Records a failure of one lookup value: a wrong receipt, or a submission whose receipt exists. */
  failed(lookup: string): Promise<void>
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createReceiptGuard(counters: CounterStore, clock: Clock): ReceiptGuard {
  const limits = RECEIPT_LIMITS
  // Looked up on each use, so a test can hold waits open for as long as it likes.
  const sleep = (ms: number) => (clock.sleep ?? realSleep)(ms)
  let waiting = 0
  const windowOf = (now: number, size: number) => now - (now % size)
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

  /** Attempts in the last minute or so: this window, plus the previous one fading out. */
  async function recentAttempts(now: number): Promise<number> {
    const { windowMs } = limits
    const start = windowOf(now, windowMs)
    // hit is atomic, so parallel attempts each see their own place in the count.
    const current = await counters.hit(GLOBAL_KEY, new Date(start), new Date(start + 2 * windowMs))
    const previous = await counters.get(GLOBAL_KEY, new Date(start - windowMs))
    return current + previous * (1 - (now - start) / windowMs)
  }

  const memory = limits.failureMemoryMs
  const failKey = (lookup: string) => `receipt-fail:${short(lookup)}`
  /** Counts a try of `lookup` in its back-off window after `failures` failures. */
  async function tryIn(lookup: string, failures: number, now: number) {
    const size = Math.min(limits.maxBackoffMs, 1000 * 2 ** (failures - limits.freeFailures))
    const start = windowOf(now, size)
    const key = `receipt-try:${short(lookup)}:${size}`
    const tries = await counters.hit(key, new Date(start), new Date(start + size))
    return { start, size, tries }
  }

  return {
    async admit() {
      const { budget, maxDelayMs, maxWaiting } = limits
      // Every place taken means over the budget already: refuse without touching the store,
      // so a flood costs no database writes beyond the attempts that are let through.
      if (waiting >= maxWaiting) return seconds(maxDelayMs)
      const attempts = await recentAttempts(clock.now().getTime())
      if (attempts <= budget) return null
      const delay = Math.min(maxDelayMs, Math.ceil((1000 * (attempts - budget)) / budget))
      if (waiting >= maxWaiting) return seconds(delay)
      waiting++
      try {
        await sleep(delay)
      } finally {
        waiting--
      }
      return null
    },

    async held(lookup) {
      const now = clock.now().getTime()
      const failures = await counters.get(failKey(lookup), new Date(windowOf(now, memory)))
      if (failures < limits.freeFailures) return null
      // One try per back-off window, counted atomically so parallel tries of it cannot slip by.
      const { start, size, tries } = await tryIn(lookup, failures, now)
      return tries > 1 ? seconds(start + size - now) : null
    },

    async failed(lookup) {
      const now = clock.now().getTime()
      const start = windowOf(now, memory)
      const failures = await counters.hit(
        failKey(lookup),
        new Date(start),
        new Date(start + memory)
      )
      // The failed try takes the window of the next, longer back-off.
      if (failures >= limits.freeFailures) await tryIn(lookup, failures, now)
    },
  }
}
