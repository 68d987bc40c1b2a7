// The mail server down for an hour of simulated time (issue 10, point 3b): notifications queued
// before and during the outage stay in the outbox, are retried on the back-off schedule (not on
// every tick), nothing is failed for good, and after the server comes back each is delivered
// exactly once, with two app instances' workers racing over the same outbox.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Mailer } from '../../src/deps'
import { createLogger } from '../../src/log'
import { createOutboxWorker, DEFAULT_BACKOFF, enqueueMail } from '../../src/mail/outbox'
import { createSmtpMailer } from '../../src/mail/transport'
import { startSmtp, type Smtp } from '../helpers/smtp'
import { mongoHarness, sqliteHarness, type Harness } from '../helpers/two-instances'
import { describeMongo } from '../setup/env'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const random = { bytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) }

function suite(open: () => Promise<Harness>) {
  let h: Harness
  let smtp: Smtp | undefined
  beforeEach(async () => {
    h = await open()
    smtp = await startSmtp()
  })
  afterEach(async () => {
    await smtp?.close()
    await h.close()
  })

  it('retries with back-off through a one-hour outage, then sends each message exactly once', async () => {
    let now = new Date('2026-03-02T09:00:00.000Z').getTime()
    const clock = { now: () => new Date(now) }
    const lines: string[] = []
    const log = createLogger({ logLevel: 'info' }, { write: (s: string) => void lines.push(s) })
    const port = smtp!.port
    await smtp!.close()
    smtp = undefined

    // Two instances, each with its worker; every send attempt is counted.
    let attempts = 0
    const smtpMailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, 'portal@example.org')
    const mailer: Mailer = { send: (m) => (attempts++, smtpMailer.send(m)) }
    const second = await h.openSecond()
    const workers = [
      createOutboxWorker({
        store: h.store,
        mailer,
        clock,
        log,
        owner: 'one',
        sleep: async () => {},
      }),
      createOutboxWorker({
        store: second,
        mailer,
        clock,
        log,
        owner: 'two',
        sleep: async () => {},
      }),
    ]
    const tick = async () => {
      let sent = 0
      for (const w of workers) sent += await w.runOnce()
      return sent
    }

    // An hour of outage, a worker tick every simulated minute; a new notification every 6 min.
    const start = now
    let queued = 0
    for (let minute = 0; minute < 60; minute++) {
      if (minute % 6 === 0) {
        await enqueueMail(h.store, clock, random, {
          to: `officer${queued}@example.org`,
          template: 'invitation',
          params: { inviteUrl: `https://portal.example.org/invite/token-${queued}` },
          dedupeKey: `outage-${queued}`,
        })
        queued++
      }
      expect(await tick()).toBe(0)
      now += MINUTE
    }
    const pending = await h.store.outbox.list('pending')
    expect(pending).toHaveLength(10)
    expect(await h.store.outbox.list('failed')).toEqual([])
    // Back-off, not one attempt per tick: the first message was tried at 0, 1, 6 and 21 minutes
    // (the next at 81), and all ten together far fewer times than 2 workers × 60 ticks.
    const firstMessage = pending.find((m) => m.to === 'officer0@example.org')!
    expect(firstMessage.attempts).toBe(4)
    expect(firstMessage.notBefore.getTime()).toBe(
      start + 21 * MINUTE + DEFAULT_BACKOFF.delaysMs[3]!
    )
    expect(attempts).toBeLessThan(40)
    for (const m of pending) expect(m.notBefore.getTime()).toBeGreaterThan(now - MINUTE)

    // The server is back. Ticks go on until every message has had its next retry.
    smtp = await startSmtp(port)
    let sent = 0
    for (let minute = 0; minute < 7 * 60 && sent < 10; minute++) {
      sent += await tick()
      now += MINUTE
    }
    expect(sent).toBe(10)
    expect(await tick()).toBe(0)
    const tokens = smtp.inbox.map((m) => /token-\d+/.exec(m.text ?? '')?.[0]).sort()
    expect(tokens).toEqual(Array.from({ length: 10 }, (_, i) => `token-${i}`).sort())
    expect(await h.store.outbox.list('sent')).toHaveLength(10)
    expect(await h.store.outbox.list('pending')).toEqual([])
    expect(await h.store.outbox.list('failed')).toEqual([])
    // Nothing about recipients or links in the log, even while failing.
    expect(lines.join('\n')).toMatch(/will retry/)
    expect(lines.join('\n')).not.toMatch(/officer\d+@|token-/)
    expect(now - start).toBeGreaterThan(HOUR)
  }, 120_000)
}

describe('an hour without a mail server (sqlite)', () => suite(() => sqliteHarness('mailhour')))
describeMongo('an hour without a mail server (mongo)', () => suite(() => mongoHarness('mailhour')))
