// The outbox worker against a real SMTP server in this process (smtp-server + mailparser):
// content-free delivery, back-off while the server is down, and exactly one delivery per
// message when two workers (two app instances) race, on SQLite and on MongoDB (FerretDB).
import type { AddressObject } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/log'
import { createOutboxWorker, DEFAULT_BACKOFF, enqueueMail } from '../../src/mail/outbox'
import { createSmtpMailer } from '../../src/mail/transport'
import { startSmtp, type Smtp } from '../helpers/smtp'
import { mongoHarness, sqliteHarness, type Harness } from '../helpers/two-instances'
import { describeMongo } from '../setup/env'

const MINUTE = 60_000
const FROM = 'portal@example.org'
const PUBLIC_URL = 'https://portal.example.org'

function fakeClock(start = new Date('2026-03-02T09:00:00.000Z')) {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    advance: (ms: number) => void (now += ms),
  }
}

let counter = 0
const random = {
  bytes: (n: number) => {
    const out = new Uint8Array(n)
    new DataView(out.buffer).setUint32(0, ++counter)
    out.set(crypto.getRandomValues(new Uint8Array(n - 4)), 4)
    return out
  },
}

function capturedLog() {
  const lines: string[] = []
  const log = createLogger({ logLevel: 'info' }, { write: (s: string) => void lines.push(s) })
  return { log, lines }
}

function outboxSuite(open: () => Promise<Harness>) {
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

  it('delivers content-free mail: plain subject, no Reply-To, a stable Message-ID', async () => {
    const clock = fakeClock()
    const { log, lines } = capturedLog()
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${smtp!.port}`, FROM)
    const worker = createOutboxWorker({ store: h.store, mailer, clock, log, owner: 'a' })

    await enqueueMail(h.store, clock, random, {
      to: 'officer.one@example.org',
      template: 'case-attention',
      params: { publicUrl: PUBLIC_URL },
      lang: 'en',
    })
    await enqueueMail(h.store, clock, random, {
      to: 'officer.two@example.org',
      template: 'deadline-reminder',
      params: { publicUrl: PUBLIC_URL, status: 'overdue', clockGroup: 'review' },
      lang: 'uk',
    })

    expect(await worker.runOnce()).toBe(2)
    expect(await worker.runOnce()).toBe(0)

    const byTo = new Map(smtp!.inbox.map((m) => [(m.to as AddressObject).text, m]))
    const attention = byTo.get('officer.one@example.org')!
    expect(attention.subject).toBe('A case needs your attention')
    expect(attention.text).toContain(`${PUBLIC_URL}/officer`)
    const reminder = byTo.get('officer.two@example.org')!
    expect(reminder.subject).toBe('Строк минув')
    for (const mail of smtp!.inbox) {
      expect(mail.headers.has('reply-to')).toBe(false)
      expect([...mail.headers.keys()].sort()).toEqual(
        [
          'content-transfer-encoding',
          'content-type',
          'date',
          'from',
          'message-id',
          'mime-version',
          'subject',
          'to',
        ].sort()
      )
      expect(mail.from?.text).toBe(FROM)
      expect(mail.html).toBe(false)
      expect(mail.attachments).toHaveLength(0)
    }

    const sent = await h.store.outbox.list('sent')
    expect(sent).toHaveLength(2)
    for (const m of sent) {
      expect(m).toMatchObject({ attempts: 1, sentAt: clock.now() })
      // The Message-ID is the outbox id: a copy sent again after a crash has the same one.
      expect(smtp!.inbox.filter((mail) => mail.messageId === `<${m.id}@example.org>`)).toHaveLength(
        1
      )
    }
    expect(lines.join('\n')).not.toMatch(/officer\.(one|two)@/)
  })

  it('keeps mail while the SMTP server is down, backs off, then delivers each once', async () => {
    const clock = fakeClock()
    const { log, lines } = capturedLog()
    const port = smtp!.port
    await smtp!.close()
    smtp = undefined
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, FROM)
    const worker = createOutboxWorker({ store: h.store, mailer, clock, log, owner: 'a' })
    for (let i = 0; i < 3; i++) {
      await enqueueMail(h.store, clock, random, {
        to: `officer${i}@example.org`,
        template: 'invitation',
        params: { inviteUrl: `${PUBLIC_URL}/invite/token-${i}` },
      })
    }

    // Attempt 1 fails: retry in 1 minute.
    expect(await worker.runOnce()).toBe(0)
    let pending = await h.store.outbox.list('pending')
    expect(pending).toHaveLength(3)
    for (const m of pending) {
      expect(m.attempts).toBe(1)
      expect(m.notBefore).toEqual(new Date(clock.now().getTime() + DEFAULT_BACKOFF.delaysMs[0]!))
      expect(m.lastError).toMatch(/^E[A-Z]+/)
      expect(m.lastError).not.toContain('@')
      expect(m.leaseOwner).toBeUndefined()
    }

    // Not due yet: nothing is tried.
    clock.advance(30_000)
    expect(await worker.runOnce()).toBe(0)
    expect((await h.store.outbox.list('pending')).map((m) => m.attempts)).toEqual([1, 1, 1])

    // Attempt 2 fails too: retry in 5 minutes.
    clock.advance(30_000)
    expect(await worker.runOnce()).toBe(0)
    pending = await h.store.outbox.list('pending')
    for (const m of pending) {
      expect(m.attempts).toBe(2)
      expect(m.notBefore).toEqual(new Date(clock.now().getTime() + 5 * MINUTE))
    }

    // The server is back on the same port; once the retry time has come, all go, once each.
    smtp = await startSmtp(port)
    clock.advance(5 * MINUTE)
    expect(await worker.runOnce()).toBe(3)
    expect(await worker.runOnce()).toBe(0)
    const tokens = smtp.inbox.map((m) => /token-\d/.exec(m.text ?? '')?.[0]).sort()
    expect(tokens).toEqual(['token-0', 'token-1', 'token-2'])
    const sent = await h.store.outbox.list('sent')
    expect(sent.map((m) => m.attempts)).toEqual([3, 3, 3])

    const logText = lines.join('\n')
    expect(logText).toMatch(/will retry/)
    expect(logText).not.toMatch(/officer\d@|token-/)
  })

  it('two workers (two app instances) racing over 20 messages deliver each exactly once', async () => {
    const clock = fakeClock()
    const second = await h.openSecond()
    const { log } = capturedLog()
    const url = `smtp://127.0.0.1:${smtp!.port}`
    const a = createOutboxWorker({
      store: h.store,
      mailer: createSmtpMailer(url, FROM),
      clock,
      log,
      owner: 'instance-a',
    })
    const b = createOutboxWorker({
      store: second,
      mailer: createSmtpMailer(url, FROM),
      clock,
      log,
      owner: 'instance-b',
    })
    for (let i = 0; i < 20; i++) {
      await enqueueMail(h.store, clock, random, {
        to: `staff${i % 3}@example.org`,
        template: 'invitation',
        params: { inviteUrl: `${PUBLIC_URL}/invite/unique-${i}` },
      })
    }

    const [byA, byB] = await Promise.all([a.runOnce(), b.runOnce()])
    expect(byA + byB).toBe(20)
    expect(byA).toBeGreaterThan(0)
    expect(byB).toBeGreaterThan(0)

    const seen = new Map<string, number>()
    for (const mail of smtp!.inbox) {
      const id = /unique-\d+/.exec(mail.text ?? '')![0]
      seen.set(id, (seen.get(id) ?? 0) + 1)
    }
    expect(seen.size).toBe(20)
    expect([...seen.values()].every((n) => n === 1)).toBe(true)
    const sent = await second.outbox.list('sent')
    expect(sent).toHaveLength(20)
    expect(sent.every((m) => m.attempts === 1)).toBe(true)
  })

  it('a message whose worker died mid-send is sent again only after its lease ends', async () => {
    const clock = fakeClock()
    const { log } = capturedLog()
    await enqueueMail(h.store, clock, random, {
      to: 'officer@example.org',
      template: 'case-attention',
      params: { publicUrl: PUBLIC_URL },
    })
    // Instance "dead" claimed it (and perhaps sent it) and then vanished.
    expect(await h.store.outbox.claim('dead', clock.now(), 60_000)).not.toBeNull()
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${smtp!.port}`, FROM)
    const worker = createOutboxWorker({ store: h.store, mailer, clock, log, owner: 'alive' })
    expect(await worker.runOnce()).toBe(0)
    clock.advance(59_999)
    expect(await worker.runOnce()).toBe(0)
    clock.advance(1)
    expect(await worker.runOnce()).toBe(1)
    expect(smtp!.inbox).toHaveLength(1)
    expect((await h.store.outbox.list('sent'))[0]).toMatchObject({
      attempts: 2,
      leaseOwner: 'alive',
    })
  })
}

describe('outbox on sqlite', () => outboxSuite(() => sqliteHarness('outbox')))

describeMongo('outbox on mongo', () => outboxSuite(() => mongoHarness('outbox')))
