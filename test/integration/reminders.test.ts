// Deadline reminders and the daily digest end to end: jobs enqueue with dedupe keys, the outbox
// worker sends through a real SMTP server in this process. Run twice, or from two connections
// (two app instances) at once, each officer still gets exactly one mail per due reminder.
import type { AddressObject, ParsedMail } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { remindersDue } from '../../src/domain/deadlines'
import type { Role } from '../../src/domain/vocab'
import { runDailyDigest, runDeadlineReminders } from '../../src/jobs/reminders'
import { startJobs } from '../../src/jobs/scheduler'
import { createLogger } from '../../src/log'
import { createOutboxWorker } from '../../src/mail/outbox'
import { createSmtpMailer } from '../../src/mail/transport'
import type { Account, CaseRecord, NewCase, Store, StoredClock } from '../../src/store/types'
import { waitFor } from '../helpers/proc'
import { startSmtp } from '../helpers/smtp'
import { mongoHarness, sqliteHarness, type Harness } from '../helpers/two-instances'
import { describeMongo } from '../setup/env'

const DAY = 24 * 3_600_000
const NOW = new Date('2026-03-20T09:00:00.000Z') // 11:00 in Kyiv
const FROM = 'portal@example.org'
const config = { publicUrl: 'https://portal.example.org', defaultLanguage: 'en' as const }

function fakeClock(start = NOW) {
  let now = start.getTime()
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) }
}

const random = { bytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) }
const silentLog = createLogger({ logLevel: 'silent' })

/** A store that counts its outbox's empty claims and the scheduler's job-slot claims. */
function watchOutbox(store: Store) {
  let empty = 0
  let jobs = 0
  const outbox: Store['outbox'] = Object.create(store.outbox) as Store['outbox']
  outbox.claim = async (...args) => {
    const m = await store.outbox.claim(...args)
    if (!m) empty++
    return m
  }
  const tokens: Store['tokens'] = Object.create(store.tokens) as Store['tokens']
  tokens.issue = async (...args) => {
    if (args[1] === 'job-slot') jobs++
    return store.tokens.issue(...args)
  }
  const watchedStore: Store = Object.create(store) as Store
  Object.assign(watchedStore, { outbox, tokens })
  return { store: watchedStore, emptyClaims: () => empty, jobRuns: () => jobs }
}

// ---------------------------------------------------------------- the world

const at = (iso: string) => new Date(iso)

/** Preliminary review started 2 March, due end of 16 March (Kyiv): breached on 20 March. */
const breachedReview: StoredClock = {
  kind: 'preliminary-review',
  startedAt: at('2026-03-02T08:00:00.000Z'),
  dueAt: at('2026-03-16T21:59:59.999Z'),
}
const metAcknowledge: StoredClock = {
  kind: 'acknowledge',
  startedAt: at('2026-03-02T08:00:00.000Z'),
  dueAt: at('2026-03-09T21:59:59.999Z'),
  metAt: at('2026-03-03T10:00:00.000Z'),
}
/** Reached its "3 days before" stage on 20 March. */
const referSoon: StoredClock = {
  kind: 'refer',
  startedAt: at('2026-03-10T08:00:00.000Z'),
  dueAt: at('2026-03-22T08:00:00.000Z'),
}

function newCase(id: string, over: Partial<NewCase>): NewCase {
  return {
    id,
    channel: 'web',
    anonymity: 'anonymous',
    encMode: 'client',
    state: 'preliminary-review',
    tags: [],
    planItemIds: [],
    casePublicKey: `pk-${id}`,
    receivedAt: at('2026-03-02T08:00:00.000Z'),
    createdAt: at('2026-03-02T08:00:00.000Z'),
    clocks: [],
    ...over,
  }
}

interface World {
  breached: CaseRecord
  soon: CaseRecord
  closed: CaseRecord
  officers: Record<'one' | 'two' | 'digest' | 'disabled' | 'admin', Account>
}

async function seed(store: Store): Promise<World> {
  const account = (id: string, roles: Role[], over: Partial<Account> = {}) =>
    store.accounts.create({
      id,
      email: `${id}@example.org`,
      displayName: id,
      roles,
      status: 'active',
      notifyDigest: false,
      createdAt: at('2026-01-01T00:00:00.000Z'),
      ...over,
    })
  const officers = {
    one: await account('officer-one', ['officer']),
    two: await account('officer-two', ['officer', 'admin']),
    digest: await account('officer-digest', ['officer'], { notifyDigest: true }),
    disabled: await account('officer-gone', ['officer'], { status: 'disabled' }),
    admin: await account('admin-only', ['admin']),
  }
  const breached = await store.cases.create(
    newCase('case-7f3a9c1e', {
      registrationNo: '2026/0042',
      clocks: [metAcknowledge, breachedReview],
    })
  )
  const soon = await store.cases.create(
    newCase('case-b2d4e6f8', {
      state: 'referred',
      createdAt: at('2026-03-19T10:00:00.000Z'), // yesterday in Kyiv: "new" in today's digest
      receivedAt: at('2026-03-19T10:00:00.000Z'),
      clocks: [referSoon],
    })
  )
  const closed = await store.cases.create(
    newCase('case-closed01', { state: 'closed', outcome: 'spam', clocks: [breachedReview] })
  )
  const grant = (
    caseId: string,
    granteeId: string,
    granteeKind: 'officer' | 'reporter' = 'officer'
  ) =>
    store.grants.put({
      caseId,
      granteeKind,
      granteeId,
      sealedKey: new Uint8Array(80),
      createdAt: NOW,
    })
  for (const o of Object.values(officers)) await grant(breached.id, o.id)
  await grant(breached.id, 'reporter', 'reporter')
  await grant(soon.id, officers.one.id)
  await grant(soon.id, officers.digest.id)
  await grant(closed.id, officers.one.id)
  return { breached, soon, closed, officers }
}

function remindersSuite(open: () => Promise<Harness>) {
  let h: Harness
  let world: World

  beforeEach(async () => {
    h = await open()
    world = await seed(h.store)
  })
  afterEach(async () => {
    await h.close()
  })

  /** The reminders every eligible officer should get now, as dedupe keys. */
  function expectedKeys(now: Date): string[] {
    const { breached, soon, officers } = world
    return [
      ...remindersDue(breached, now).flatMap((r) =>
        [officers.one, officers.two].map((o) => `${r.key}:${o.id}`)
      ),
      ...remindersDue(soon, now).map((r) => `${r.key}:${officers.one.id}`),
    ].sort()
  }

  it('queues one reminder per officer and due reminder, however often it runs', async () => {
    const clock = fakeClock()
    const first = await runDeadlineReminders({ store: h.store, clock, random, config })
    const again = await runDeadlineReminders({ store: h.store, clock, random, config })
    expect(first).toEqual({ cases: 2, enqueued: 3 })
    expect(again).toEqual({ cases: 2, enqueued: 0 })

    const queued = await h.store.outbox.list('pending')
    expect(queued.map((m) => m.dedupeKey).sort()).toEqual(expectedKeys(NOW))
    expect(queued.map((m) => m.to).sort()).toEqual([
      'officer-one@example.org',
      'officer-one@example.org',
      'officer-two@example.org',
    ])
    const review = queued.find((m) => m.dedupeKey?.startsWith(world.breached.id))!
    expect(review.params).toEqual({
      publicUrl: config.publicUrl,
      status: 'overdue',
      clockGroup: 'review',
      lang: 'en',
    })
    const refer = queued.find((m) => m.dedupeKey?.startsWith(world.soon.id))!
    expect(refer.params).toMatchObject({ status: 'due-soon', clockGroup: 'forwarding' })
  })

  it('two instances running it at the same moment still queue each reminder once', async () => {
    const clock = fakeClock()
    const second = await h.openSecond()
    const results = await Promise.all([
      runDeadlineReminders({ store: h.store, clock, random, config }),
      runDeadlineReminders({ store: second, clock, random, config }),
      runDeadlineReminders({ store: h.store, clock, random, config }),
      runDeadlineReminders({ store: second, clock, random, config }),
    ])
    expect(results.reduce((sum, r) => sum + r.enqueued, 0)).toBe(3)
    expect((await second.outbox.list()).map((m) => m.dedupeKey).sort()).toEqual(expectedKeys(NOW))
  })

  it('delivers exactly one content-free mail per officer per due reminder, and a new one the next day', async () => {
    const smtp = await startSmtp()
    try {
      const clock = fakeClock()
      const second = await h.openSecond()
      const mailer = createSmtpMailer(`smtp://127.0.0.1:${smtp.port}`, FROM)
      const workers = [h.store, second].map((store, i) =>
        createOutboxWorker({ store, mailer, clock, log: silentLog, owner: `instance-${i}` })
      )
      const both = async () => {
        await Promise.all([
          runDeadlineReminders({ store: h.store, clock, random, config }),
          runDeadlineReminders({ store: second, clock, random, config }),
        ])
        await Promise.all(workers.map((w) => w.runOnce()))
      }

      await both()
      await both()
      const perOfficer = (mails: ParsedMail[]) => {
        const counts: Record<string, number> = {}
        for (const m of mails) {
          const to = (m.to as AddressObject).text
          counts[to] = (counts[to] ?? 0) + 1
        }
        return counts
      }
      expect(perOfficer(smtp.inbox)).toEqual({
        'officer-one@example.org': 2,
        'officer-two@example.org': 1,
      })
      expect(smtp.inbox.map((m) => m.subject).sort()).toEqual([
        'A deadline has passed',
        'A deadline has passed',
        'A deadline is coming up',
      ])
      for (const mail of smtp.inbox) {
        const everything = `${mail.subject}\n${mail.text}\n${[...mail.headers.values()].map(String).join('\n')}`
        for (const secret of [
          world.breached.id,
          world.soon.id,
          '2026/0042',
          'preliminary',
          'refer',
        ]) {
          expect(everything).not.toContain(secret)
        }
        expect(mail.headers.has('reply-to')).toBe(false)
        expect(mail.text).toContain(`${config.publicUrl}/officer`)
      }

      // A day later the breach is a day older (a new stage) and the refer clock is a day closer.
      clock.advance(DAY)
      await both()
      await both()
      expect(perOfficer(smtp.inbox)).toEqual({
        'officer-one@example.org': 4,
        'officer-two@example.org': 2,
      })
      const sent = await h.store.outbox.list('sent')
      expect(sent).toHaveLength(6)
      expect(new Set(sent.map((m) => m.dedupeKey)).size).toBe(6)
    } finally {
      await smtp.close()
    }
  })

  it('digest readers get one digest per Kyiv day with counts only, from 7:00', async () => {
    const early = fakeClock(new Date('2026-03-20T04:00:00.000Z')) // 06:00 in Kyiv
    expect(await runDailyDigest({ store: h.store, clock: early, random, config })).toEqual({
      enqueued: 0,
    })

    const clock = fakeClock()
    const second = await h.openSecond()
    const runs = await Promise.all([
      runDailyDigest({ store: h.store, clock, random, config }),
      runDailyDigest({ store: second, clock, random, config }),
      runDailyDigest({ store: h.store, clock, random, config }),
    ])
    expect(runs.reduce((sum, r) => sum + r.enqueued, 0)).toBe(1)
    const digests = (await h.store.outbox.list()).filter((m) => m.template === 'daily-digest')
    expect(digests).toHaveLength(1)
    expect(digests[0]).toMatchObject({
      to: 'officer-digest@example.org',
      dedupeKey: `digest:${world.officers.digest.id}:2026-03-20`,
      params: { newCases: '1', dueSoon: '1', breached: '1' },
    })
    // No per-event reminders for the digest reader.
    await runDeadlineReminders({ store: h.store, clock, random, config })
    const toDigestReader = (await h.store.outbox.list()).filter(
      (m) => m.to === 'officer-digest@example.org'
    )
    expect(toDigestReader).toHaveLength(1)

    // The next Kyiv day brings the next digest.
    clock.advance(DAY)
    expect(await runDailyDigest({ store: h.store, clock, random, config })).toEqual({ enqueued: 1 })
  })

  it('startJobs on two instances: the reminders arrive once each', async () => {
    const smtp = await startSmtp()
    const clock = fakeClock()
    const second = await h.openSecond()
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${smtp.port}`, FROM)
    const deps = { mailer, clock, random, log: silentLog, config }
    const watched = [h.store, second].map(watchOutbox)
    const jobs = watched.map(({ store }) =>
      startJobs({ ...deps, store }, { outboxEveryMs: 20, remindersEveryMs: 50 })
    )
    try {
      await waitFor(() => smtp.inbox.length >= 4, 10_000, 'reminders and the digest')
      // A duplicate would come from a later run: wait until both instances have run their jobs
      // and found the queue empty twice more since the fourth mail arrived.
      const seen = watched.map((w) => ({ empty: w.emptyClaims(), jobs: w.jobRuns() }))
      await waitFor(
        () =>
          watched.every(
            (w, i) => w.emptyClaims() >= seen[i]!.empty + 2 && w.jobRuns() >= seen[i]!.jobs + 2
          ),
        10_000,
        'two more job runs on each instance'
      )
    } finally {
      await Promise.all(jobs.map((j) => j.stop()))
      await smtp.close()
    }
    // Three reminders and one digest, each once.
    expect(smtp.inbox).toHaveLength(4)
    expect((await h.store.outbox.list('sent')).length).toBe(4)
  })
}

describe('deadline reminders on sqlite', () => remindersSuite(() => sqliteHarness('reminders')))

describeMongo('deadline reminders on mongo', () => remindersSuite(() => mongoHarness('reminders')))
