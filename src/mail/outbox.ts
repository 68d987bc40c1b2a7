// The mail outbox: code that wants to send mail enqueues a message in the store; a worker on
// every app instance claims due messages one by one, renders and sends them, and records the
// result. Nothing is sent from a request handler, so a slow or absent SMTP server never slows
// a page, and mail survives restarts.
//
// Delivery guarantees, precisely:
// - Enqueueing is exactly-once per dedupeKey: the store refuses a second message with the same
//   key, however many instances or runs try (reminders rely on this).
// - Claiming is exactly-once per lease: `claim` atomically leases one message to one owner for
//   `leaseMs`; no other worker can take it until the lease ends or the owner releases it. So
//   while instances are healthy, each message is sent by exactly one of them, once.
// - Sending is at-least-once. SMTP and the store cannot commit together: if the process dies
//   (or the store is unreachable) after the SMTP server accepted a message but before markSent
//   is stored, the message is still pending; once its lease expires another worker (or this
//   one, restarted) claims and sends it again. The recipient may then get a second copy with the
//   same Message-ID (the outbox id), which many servers and clients fold into one. The attempt
//   cap bounds this: every claim counts an attempt, and a message claimed more than
//   `maxAttempts` times is marked failed without being sent again.
// - A send that takes longer than the lease can be claimed by another worker meanwhile; the
//   SMTP transport's timeouts (createSmtpMailer) keep a send well inside the default lease.
import type { Logger } from 'pino'
import { LANGUAGES, type Language } from '../config'
import type { Clock, Mailer, Random } from '../deps'
import { startPeriodic, type Periodic } from '../lib/periodic'
import type { OutboxMessage, Store } from '../store/types'
import { MailTemplateError, renderMail, type MailParams, type MailTemplate } from './messages'
import type { DeliverableMail } from './transport'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

export interface BackoffPolicy {
  /** Wait after the 1st, 2nd, … failed attempt; the last value repeats (the cap). */
  delaysMs: readonly number[]
  /** Attempts in all; the message is failed for good when this many have failed. */
  maxAttempts: number
}

/** 1 min, 5 min, 15 min, 1 h, then every 6 h; 20 attempts span about four days. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  delaysMs: [MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, HOUR_MS, 6 * HOUR_MS],
  maxAttempts: 20,
}

/** When to try again after attempt number `attempt` (1-based) failed; null: give up. */
export function nextRetryAt(policy: BackoffPolicy, attempt: number, now: Date): Date | null {
  if (attempt >= policy.maxAttempts || policy.delaysMs.length === 0) return null
  const index = Math.min(Math.max(attempt, 1), policy.delaysMs.length) - 1
  return new Date(now.getTime() + (policy.delaysMs[index] ?? 0))
}

/**
 * What may be stored and logged about a failure: the error's kind and SMTP reply code, never
 * its message (SMTP replies quote recipient addresses).
 */
export function describeMailError(err: unknown): string {
  if (err instanceof MailTemplateError) return 'MailTemplateError'
  const e = err as { name?: unknown; code?: unknown; responseCode?: unknown } | null
  const parts: string[] = []
  if (typeof e?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(e.code)) parts.push(e.code)
  else if (typeof e?.name === 'string' && /^[A-Za-z]{1,40}$/.test(e.name)) parts.push(e.name)
  else parts.push('Error')
  if (typeof e?.responseCode === 'number') parts.push(String(e.responseCode))
  return parts.join(' ')
}

export interface OutboxWorkerDeps {
  store: Pick<Store, 'outbox'>
  mailer: Mailer
  clock: Clock
  log: Logger
  /** Unique per worker (per app instance): leases are held in its name. */
  owner: string
  leaseMs?: number
  backoff?: BackoffPolicy
  /** For messages enqueued without a language. */
  defaultLanguage?: Language
  /** Safety valve: most messages one run handles before yielding to the next tick. */
  maxPerRun?: number
  /** Waits between retries of markSent (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>
}

export interface OutboxWorker {
  /** Sends every message due now, one claim at a time; resolves to how many were sent. */
  runOnce(): Promise<number>
  /** Runs runOnce now and every intervalMs (never two at once) until stop(). */
  start(intervalMs?: number): void
  stop(): Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function languageOf(params: Record<string, string>, fallback: Language): Language {
  const lang = params.lang
  return (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : fallback
}

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const {
    store,
    mailer,
    clock,
    log,
    owner,
    leaseMs = 60_000,
    backoff = DEFAULT_BACKOFF,
    defaultLanguage = 'uk',
    maxPerRun = 1000,
    sleep = defaultSleep,
  } = deps
  const outbox = store.outbox
  let periodic: Periodic | undefined

  /** Logged about every message: never the address, never the parameters. */
  const about = (m: OutboxMessage) => ({
    outboxId: m.id,
    template: m.template,
    attempt: m.attempts,
  })

  async function giveUp(m: OutboxMessage, reason: string): Promise<void> {
    await outbox.markFailed(m.id, owner, reason, null)
    log.error({ ...about(m), reason }, 'mail failed for good')
  }

  // The send succeeded; only the bookkeeping is left. A store hiccup gets a few quick retries
  // (still inside the lease); if they all fail, the message is sent again after the lease.
  async function recordSent(m: OutboxMessage): Promise<void> {
    const delays = [0, 250, 1000]
    for (let i = 0; ; i++) {
      try {
        if (!(await outbox.markSent(m.id, owner, clock.now()))) {
          log.warn(about(m), 'mail sent after its lease ended; another worker may send it again')
        }
        return
      } catch (err) {
        const wait = delays[i + 1]
        if (wait === undefined) {
          log.error(
            { ...about(m), error: describeMailError(err) },
            'mail sent but not recorded; it will be sent again once its lease ends'
          )
          return
        }
        await sleep(wait)
      }
    }
  }

  /** True when the message was sent. */
  async function deliver(m: OutboxMessage): Promise<boolean> {
    // Claimed more often than the policy allows: earlier claims ended without a result (a crash,
    // or the store failing after sends), so stop rather than risk sending it forever.
    if (m.attempts > backoff.maxAttempts) {
      await giveUp(m, 'attempts exhausted')
      return false
    }
    let mail: DeliverableMail
    try {
      const rendered = renderMail(m.template, m.params, languageOf(m.params, defaultLanguage))
      mail = { to: m.to, subject: rendered.subject, text: rendered.text, idempotencyKey: m.id }
    } catch (err) {
      // A bad template or parameters will not get better with time.
      await giveUp(m, describeMailError(err))
      return false
    }
    try {
      await mailer.send(mail)
    } catch (err) {
      const error = describeMailError(err)
      const retryAt = nextRetryAt(backoff, m.attempts, clock.now())
      await outbox.markFailed(m.id, owner, error, retryAt)
      if (retryAt) log.warn({ ...about(m), error, retryAt }, 'mail not sent; will retry')
      else log.error({ ...about(m), error }, 'mail failed for good')
      return false
    }
    await recordSent(m)
    log.info(about(m), 'mail sent')
    return true
  }

  async function runOnce(): Promise<number> {
    let sent = 0
    for (let i = 0; i < maxPerRun; i++) {
      const m = await outbox.claim(owner, clock.now(), leaseMs)
      if (!m) break
      if (await deliver(m)) sent++
    }
    return sent
  }

  return {
    runOnce,
    start(intervalMs = 5000) {
      periodic ??= startPeriodic(runOnce, intervalMs, (err) =>
        log.error({ error: describeMailError(err) }, 'outbox run failed')
      )
    },
    async stop() {
      const running = periodic
      periodic = undefined
      await running?.stop()
    },
  }
}

export interface EnqueueMailInput<T extends MailTemplate> {
  to: string
  template: T
  params: MailParams[T]
  /** Stored with the message; the worker's default language applies when absent. */
  lang?: Language
  /** At most one message per key is ever queued (see OutboxStore.enqueue). */
  dedupeKey?: string
  /** Not sent before this time (default: now). */
  notBefore?: Date
}

// One address, no display name, nothing that could smuggle a header or a second recipient.
const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/

/**
 * Queues a mail; false when a message with the same dedupeKey is already queued. Renders it once
 * first, so bad parameters fail here, in the caller, not later in the worker.
 */
export async function enqueueMail<T extends MailTemplate>(
  store: Pick<Store, 'outbox'>,
  clock: Clock,
  random: Random,
  input: EnqueueMailInput<T>
): Promise<boolean> {
  if (!ADDRESS.test(input.to) || input.to.length > 254) {
    throw new MailTemplateError('mail recipient is not a plain address')
  }
  const params: Record<string, string> = {}
  for (const [k, v] of Object.entries(input.params as Record<string, string | undefined>)) {
    if (v !== undefined) params[k] = v
  }
  if (input.lang) params.lang = input.lang
  renderMail(input.template, params, input.lang ?? 'en')
  const now = clock.now()
  return store.outbox.enqueue({
    id: Buffer.from(random.bytes(16)).toString('hex'),
    to: input.to,
    template: input.template,
    params,
    dedupeKey: input.dedupeKey,
    notBefore: input.notBefore ?? now,
    createdAt: now,
  })
}
