// Background work of one app instance: mail delivery every few seconds, deadline reminders and
// the daily digest every few minutes.
//
// Safe on several instances at once, by construction rather than by a leader:
// - the reminder and digest jobs only enqueue, and every message they enqueue has a dedupe key
//   the store keeps unique, so two instances running them at the same moment queue each
//   reminder once;
// - the outbox worker of each instance claims messages under its own lease, so each message is
//   sent by one instance (see mail/outbox.ts for what a crash in mid-send means).
// On top of that, each reminder period is claimed as a single-use token (claimJobSlot), so in
// the usual case only one instance does the walk over the cases per period. That claim saves
// work only; correctness never depends on it (clock skew can let two instances in, harmlessly).
import type { AppDeps } from '../deps'
import { createOutboxWorker, describeMailError } from '../mail/outbox'
import { DuplicateError, type Store } from '../store/types'
import { startPeriodic, type Periodic } from '../lib/periodic'
import { runDailyDigest, runDeadlineReminders } from './reminders'

export type JobDeps = Pick<AppDeps, 'store' | 'mailer' | 'clock' | 'random' | 'log' | 'metrics'> & {
  config: Pick<AppDeps['config'], 'publicUrl' | 'defaultLanguage'>
}

export interface JobOptions {
  outboxEveryMs?: number
  remindersEveryMs?: number
  /** Lease owner of this instance's outbox worker (default: random). */
  owner?: string
}

export interface RunningJobs {
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>
}

/**
 * True for the first caller in this period of `job` across all instances. Kept as a single-use
 * token that outlives the period by one more, after which sweepExpired removes it.
 */
export async function claimJobSlot(
  store: Pick<Store, 'tokens'>,
  job: string,
  now: Date,
  periodMs: number
): Promise<boolean> {
  const slot = Math.floor(now.getTime() / periodMs)
  try {
    await store.tokens.issue(`job:${job}:${slot}`, 'job-slot', new Date((slot + 2) * periodMs))
    return true
  } catch (err) {
    if (err instanceof DuplicateError) return false
    throw err
  }
}

export function startJobs(deps: JobDeps, opts: JobOptions = {}): RunningJobs {
  const { store, mailer, clock, random, log, config } = deps
  const { outboxEveryMs = 5_000, remindersEveryMs = 5 * 60_000 } = opts
  const owner = opts.owner ?? `worker-${Buffer.from(random.bytes(8)).toString('hex')}`

  const worker = createOutboxWorker({
    store,
    mailer,
    clock,
    log,
    owner,
    defaultLanguage: config.defaultLanguage,
  })
  worker.start(outboxEveryMs)

  const deadlineJobs = async () => {
    const claimedAt = clock.now()
    if (!(await claimJobSlot(store, 'deadline-reminders', claimedAt, remindersEveryMs))) {
      deps.metrics?.job('deadline-reminders', 'skipped', clock.now())
      return
    }
    let reminders, digest
    try {
      reminders = await runDeadlineReminders({ store, clock, random, config })
      digest = await runDailyDigest({ store, clock, random, config })
    } catch (err) {
      deps.metrics?.job('deadline-reminders', 'error', clock.now())
      throw err
    }
    deps.metrics?.job('deadline-reminders', 'ok', clock.now())
    // One line per walk, with its period: how an operator (and the two-instance test) sees that
    // of several instances one did the walk in each period.
    log.info(
      {
        period: Math.floor(claimedAt.getTime() / remindersEveryMs),
        cases: reminders.cases,
        reminders: reminders.enqueued,
        digests: digest.enqueued,
      },
      'deadline jobs ran'
    )
  }
  const periodic: Periodic = startPeriodic(deadlineJobs, remindersEveryMs, (err) =>
    log.error({ error: describeMailError(err) }, 'deadline job failed')
  )

  return {
    async stop() {
      await Promise.all([periodic.stop(), worker.stop()])
    },
  }
}
