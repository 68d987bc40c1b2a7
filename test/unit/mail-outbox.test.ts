// The outbox worker's decisions, with a fake mailer: the back-off schedule, giving up, bad
// templates, a store that fails after a successful send, and never overlapping runs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Mailer, OutgoingMail } from '../../src/deps'
import { createLogger } from '../../src/log'
import {
  createOutboxWorker,
  DEFAULT_BACKOFF,
  describeMailError,
  enqueueMail,
  nextRetryAt,
} from '../../src/mail/outbox'
import { MailTemplateError } from '../../src/mail/messages'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

function fakeClock() {
  let now = Date.parse('2026-03-02T09:00:00.000Z')
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) }
}
let n = 0
const random = { bytes: (len: number) => new Uint8Array(len).fill(++n % 256) }

function capture() {
  const lines: string[] = []
  return {
    log: createLogger({ logLevel: 'info' }, { write: (s: string) => void lines.push(s) }),
    lines,
  }
}

const failing = (err: Error): Mailer & { tries: number } => {
  const m = {
    tries: 0,
    send() {
      m.tries++
      return Promise.reject(err)
    },
  }
  return m
}

describe('nextRetryAt', () => {
  it('follows 1 min, 5 min, 15 min, 1 h, then 6 h, and gives up after 20 attempts', () => {
    const now = new Date(0)
    const delays = Array.from({ length: 19 }, (_, i) =>
      nextRetryAt(DEFAULT_BACKOFF, i + 1, now)!.getTime()
    )
    expect(delays.slice(0, 6)).toEqual([MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, 6 * HOUR])
    expect(delays.at(-1)).toBe(6 * HOUR)
    expect(nextRetryAt(DEFAULT_BACKOFF, 20, now)).toBeNull()
  })
})

describe('describeMailError', () => {
  it('keeps the kind and reply code, never the message (it quotes addresses)', () => {
    const err = Object.assign(new Error('550 <bob@example.org>: Recipient address rejected'), {
      code: 'EENVELOPE',
      responseCode: 550,
    })
    expect(describeMailError(err)).toBe('EENVELOPE 550')
    expect(describeMailError(new TypeError('x@y'))).toBe('TypeError')
    expect(describeMailError('weird')).toBe('Error')
  })
})

describe('outbox worker', () => {
  let store: Store
  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' })
  })
  afterEach(async () => {
    await store.close()
  })

  it('retries on the schedule, then marks the message failed for good after 20 attempts', async () => {
    const clock = fakeClock()
    const { log, lines } = capture()
    const mailer = failing(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))
    const worker = createOutboxWorker({ store, mailer, clock, log, owner: 'w' })
    await enqueueMail(store, clock, random, {
      to: 'officer@example.org',
      template: 'case-attention',
      params: { publicUrl: 'https://p.example' },
    })
    const waits: number[] = []
    for (let attempt = 1; attempt <= 20; attempt++) {
      await worker.runOnce()
      const [m] = await store.outbox.list()
      expect(m!.attempts).toBe(attempt)
      if (m!.status === 'failed') break
      waits.push(m!.notBefore.getTime() - clock.now().getTime())
      clock.advance(m!.notBefore.getTime() - clock.now().getTime())
    }
    expect(mailer.tries).toBe(20)
    expect(waits).toHaveLength(19)
    expect(await store.outbox.list('failed')).toMatchObject([
      { attempts: 20, lastError: 'ESOCKET' },
    ])
    clock.advance(24 * HOUR)
    expect(await worker.runOnce()).toBe(0)
    expect(mailer.tries).toBe(20)
    expect(lines.join('\n')).toMatch(/failed for good/)
    expect(lines.join('\n')).not.toContain('officer@')
  })

  it('fails a message with an unknown template at once, without sending', async () => {
    const clock = fakeClock()
    const sent: OutgoingMail[] = []
    const worker = createOutboxWorker({
      store,
      mailer: {
        send(m) {
          sent.push(m)
          return Promise.resolve()
        },
      },
      clock,
      log: capture().log,
      owner: 'w',
    })
    await store.outbox.enqueue({
      id: 'bad',
      to: 'a@example.org',
      template: 'retired-template',
      params: {},
      notBefore: clock.now(),
      createdAt: clock.now(),
    })
    expect(await worker.runOnce()).toBe(0)
    expect(sent).toHaveLength(0)
    expect(await store.outbox.get('bad')).toMatchObject({
      status: 'failed',
      lastError: 'MailTemplateError',
    })
  })

  it('a send whose markSent keeps failing is not repeated forever', async () => {
    const clock = fakeClock()
    const { log, lines } = capture()
    const broken: Store['outbox'] = {
      ...store.outbox,
      markSent: () => Promise.reject(new Error('store unreachable')),
    }
    let sends = 0
    const worker = createOutboxWorker({
      store: { outbox: broken },
      mailer: { send: () => Promise.resolve(void sends++) },
      clock,
      log,
      owner: 'w',
      leaseMs: MINUTE,
      backoff: { delaysMs: [MINUTE], maxAttempts: 3 },
      sleep: () => Promise.resolve(),
    })
    await enqueueMail(store, clock, random, {
      to: 'a@example.org',
      template: 'case-attention',
      params: { publicUrl: 'https://p.example' },
    })
    for (let i = 0; i < 10; i++) {
      await worker.runOnce()
      clock.advance(MINUTE)
    }
    // Sent once per lease while the store could not record it, up to the attempt cap, then dropped.
    expect(sends).toBe(3)
    expect(await store.outbox.list('failed')).toMatchObject([
      { attempts: 4, lastError: 'attempts exhausted' },
    ])
    expect(lines.join('\n')).toMatch(/sent but not recorded/)
  })

  it('refuses bad input when enqueueing, not later in the worker', async () => {
    const clock = fakeClock()
    await expect(
      enqueueMail(store, clock, random, {
        to: 'a@example.org\r\nBcc: b@example.org',
        template: 'case-attention',
        params: { publicUrl: 'https://p.example' },
      })
    ).rejects.toThrow(MailTemplateError)
    await expect(
      enqueueMail(store, clock, random, {
        to: 'a@example.org',
        template: 'daily-digest',
        params: { publicUrl: 'https://p.example', newCases: 'many', dueSoon: '0', breached: '0' },
      })
    ).rejects.toThrow(MailTemplateError)
    expect(await store.outbox.list()).toHaveLength(0)
  })

  it('enqueues once per dedupe key', async () => {
    const clock = fakeClock()
    const input = {
      to: 'a@example.org',
      template: 'case-attention' as const,
      params: { publicUrl: 'https://p.example' },
      dedupeKey: 'k1',
    }
    expect(await enqueueMail(store, clock, random, input)).toBe(true)
    expect(await enqueueMail(store, clock, random, input)).toBe(false)
    expect(await store.outbox.list()).toHaveLength(1)
  })

  it('start() runs at once and on a timer, never two runs at a time; stop() waits for the run', async () => {
    const clock = fakeClock()
    let inFlight = 0
    let maxInFlight = 0
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let sending!: () => void
    const firstSend = new Promise<void>((r) => (sending = r))
    const mailer: Mailer = {
      async send() {
        maxInFlight = Math.max(maxInFlight, ++inFlight)
        sending()
        await gate
        inFlight--
      },
    }
    for (let i = 0; i < 3; i++) {
      await enqueueMail(store, clock, random, {
        to: `a${i}@example.org`,
        template: 'case-attention',
        params: { publicUrl: 'https://p.example' },
      })
    }
    const worker = createOutboxWorker({ store, mailer, clock, log: capture().log, owner: 'w' })
    // The timer is vitest's: fifteen ticks fire while the first run waits on its send.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      worker.start(2)
      await firstSend
      await vi.advanceTimersByTimeAsync(30)
      expect(maxInFlight).toBe(1)
      release()
      await worker.stop()
    } finally {
      vi.useRealTimers()
    }
    expect(await store.outbox.list('sent')).toHaveLength(3)
    expect(maxInFlight).toBe(1)
  })
})
