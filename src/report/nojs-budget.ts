// The no-JavaScript fallback of the proof of work (crypto/PROTOCOL.md §15 "Without JavaScript").
// A browser without scripts cannot do the work, yet this path is the costly one for the server:
// it runs Argon2id natively for every report and every receipt sign-in. GlobaLeaks answers the
// same problem with global caps (threshold_reports_per_hour), SecureDrop with Tor's onion-service
// proof of work in front; we keep a cap the operator sets. So instead of work, each such post
//   - waits NOJS_LIMITS.delayMs on the server first (a timer, no CPU: a flood from one client
//     is slowed to one post per second per connection), and
//   - counts against a budget per purpose and minute held in the store, so all instances share
//     it and no IP address is kept; beyond it posts are refused at once with Retry-After,
//     which caps the Argon2id work a flood can cause, whatever it costs the attacker.
// At most maxWaiting posts wait at once in one instance; more are refused without a store
// write. Reporters with JavaScript are not affected: their work replaces the budget.
import type { WorkPurpose } from '../../crypto/pow'
import type { Clock } from '../deps'
import type { CounterStore } from '../store/types'
import type { Hold } from './receipt-guard'

export const NOJS_LIMITS = {
  windowMs: 60_000,
  /** Every no-JS post waits this long before anything else happens. */
  delayMs: 1_000,
  /** Posts waiting at once in one instance. */
  maxWaiting: 16,
}

export interface NoJsBudget {
  /** Counts one no-JS post of `purpose` and waits; a Hold (seconds) when it is refused. */
  admit(purpose: WorkPurpose): Promise<Hold>
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createNoJsBudget(
  counters: CounterStore,
  clock: Clock,
  perMinute: number
): NoJsBudget {
  const { windowMs, delayMs, maxWaiting } = NOJS_LIMITS
  const sleep = (ms: number) => (clock.sleep ?? realSleep)(ms)
  let waiting = 0
  return {
    async admit(purpose) {
      if (waiting >= maxWaiting) return Math.ceil(delayMs / 1000)
      const now = clock.now().getTime()
      const start = now - (now % windowMs)
      const count = await counters.hit(
        `nojs:${purpose}`,
        new Date(start),
        new Date(start + windowMs)
      )
      if (count > perMinute) return Math.max(1, Math.ceil((start + windowMs - now) / 1000))
      waiting++
      try {
        await sleep(delayMs)
      } finally {
        waiting--
      }
      return null
    },
  }
}
