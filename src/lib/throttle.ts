// Attempt counters that live in the store, so every app instance sees the same numbers.
// Keys never hold an IP address: they name what is being guessed (a receipt lookup, an
// account) or a global bucket.
import type { Clock } from '../deps'
import type { CounterStore } from '../store/types'

export interface Limit {
  key: string
  max: number
  windowMs: number
}

export interface Throttle {
  /** True when the current window already holds `max` or more failures. */
  isBlocked(limit: Limit): Promise<boolean>
  /** Records one failure in the current window. */
  fail(limit: Limit): Promise<number>
  /** Seconds until the window of `limit` ends (for Retry-After). */
  retryAfter(limit: Limit): number
}

export function createThrottle(counters: CounterStore, clock: Clock): Throttle {
  const windowStart = (l: Limit) => {
    const now = clock.now().getTime()
    return new Date(now - (now % l.windowMs))
  }
  return {
    async isBlocked(l) {
      return (await counters.get(l.key, windowStart(l))) >= l.max
    },
    fail(l) {
      const start = windowStart(l)
      return counters.hit(l.key, start, new Date(start.getTime() + l.windowMs))
    },
    retryAfter(l) {
      const now = clock.now().getTime()
      return Math.max(1, Math.ceil((l.windowMs - (now % l.windowMs)) / 1000))
    },
  }
}
