// Retention on both engines (REQUIRE_MONGO=1 for MongoDB): cases of 2020 past their term are
// deleted (ciphertext, attachment blobs, thread items, grants, the case record), a held case
// survives, the 2020 statistics and annual report give the same figures afterwards, every
// deletion is in the audit trail and the chain verifies, officers are warned once beforehand,
// and two instances running at once delete each case once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAuditLog, verifyAuditChain } from '../../src/audit'
import { startJobs } from '../../src/jobs/scheduler'
import { createLogger } from '../../src/log'
import { waitFor } from '../helpers/proc'
import { DEFAULT_RETENTION_RULES } from '../../src/domain/retention'
import { planSample } from '../../src/plan/samples'
import { createRetentionService, type RetentionService } from '../../src/retention/service'
import { createAnnualReportService } from '../../src/reports/annual/service'
import { createStatisticsService } from '../../src/reports/statistics'
import type { CaseState, Outcome } from '../../src/domain/vocab'
import type { NewCase, Store, StoredClock } from '../../src/store/types'
import { mongoHarness, sqliteHarness, type Harness } from '../helpers/two-instances'
import { describeMongo } from '../setup/env'

const day = (iso: string) => new Date(`${iso}T08:00:00Z`)
const met = (kind: string, from: string, due: string, at: string): StoredClock => ({
  kind,
  startedAt: day(from),
  dueAt: day(due),
  metAt: day(at),
})

/** id, state, outcome, received (and last changed) on, plan items. */
const CASES: [string, CaseState, Outcome | undefined, string, string[]][] = [
  ['c-confirmed', 'closed', 'confirmed', '2020-03-02', ['plan-2020-15', 'plan-2020-10']],
  ['c-not-confirmed', 'closed', 'not-confirmed', '2020-05-04', ['plan-2020-15']],
  ['c-lwc', 'closed', 'left-without-consideration', '2020-06-01', ['plan-2020-15']],
  ['c-referred', 'closed', 'referred', '2020-09-01', ['plan-2020-15']],
  ['c-spam', 'closed', 'spam', '2020-10-05', []],
  ['c-held', 'closed', 'confirmed', '2020-11-02', ['plan-2020-15']],
  ['c-open', 'investigation', undefined, '2020-12-01', ['plan-2020-15']],
]
const DUE = ['c-confirmed', 'c-not-confirmed', 'c-lwc', 'c-referred', 'c-spam']

function newCase(
  id: string,
  state: CaseState,
  outcome: Outcome | undefined,
  on: string,
  plan: string[]
): NewCase {
  return {
    id,
    registrationNo: `2020/${id}`,
    channel: id === 'c-referred' ? 'phone' : 'web',
    anonymity: id === 'c-lwc' ? 'confidential' : 'anonymous',
    encMode: 'client',
    state,
    outcome,
    category: 'procurement',
    tags: ['tag'],
    planItemIds: plan,
    casePublicKey: `pk-${id}`,
    receiptLookup: `lookup-${id}`,
    receivedAt: day(on),
    createdAt: day(on),
    clocks: [
      met('acknowledge', on, on, on),
      { kind: 'preliminary-review', startedAt: day(on), dueAt: day(on), metAt: undefined },
    ],
    referral: id === 'c-referred' ? { body: 'nazk', at: day(on) } : undefined,
    protectionMeasures:
      id === 'c-confirmed'
        ? [
            {
              id: 'm1',
              kind: 'confidentiality',
              takenOn: on,
              outcome: 'effective',
              recordedBy: 'o1',
              recordedAt: day(on),
            },
          ]
        : undefined,
  }
}

async function seed(store: Store) {
  for (const item of planSample(2020)!.items) await store.plan.put(item)
  await store.accounts.create({
    id: 'o1',
    email: 'officer@example.org',
    displayName: 'Officer',
    roles: ['officer'],
    status: 'active',
    notifyDigest: false,
    createdAt: day('2020-01-01'),
  })
  for (const [id, state, outcome, on, plan] of CASES) {
    await store.cases.create(newCase(id, state, outcome, on, plan))
    // Items, grants and blobs leave the case's updatedAt (2020), which the term counts from.
    await store.items.insertAt({
      caseId: id,
      seq: 1,
      id: `item-${id}`,
      kind: 'answers',
      authorRole: 'reporter',
      encMode: 'client',
      sealed: new Uint8Array([1, 2, 3, 4]),
      createdAt: day(on),
    })
    await store.grants.put({
      caseId: id,
      granteeKind: 'officer',
      granteeId: 'o1',
      sealedKey: new Uint8Array(80),
      createdAt: day(on),
    })
    await store.blobs.begin(`blob-${id}`, id, day(on))
    await store.blobs.putPiece(`blob-${id}`, 0, new Uint8Array([7, 7, 7]))
    await store.blobs.complete(`blob-${id}`, 1)
  }
}

function contract(open: (label: string) => Promise<Harness>) {
  let h: Harness
  let store: Store
  let now: Date
  const clock = { now: () => now }
  const serviceOn = (s: Store): RetentionService =>
    createRetentionService({
      store: s,
      audit: createAuditLog({ store: s, clock }),
      clock,
      random: { bytes: (n) => crypto.getRandomValues(new Uint8Array(n)) },
      config: {
        retention: DEFAULT_RETENTION_RULES,
        publicUrl: 'https://portal.example.org',
        defaultLanguage: 'uk',
      },
    })
  /** The 2020 figures as management sees them, on a fixed report clock. */
  async function figures(s: Store) {
    const reportClock = { now: () => new Date('2021-01-20T09:00:00Z') }
    const statistics = createStatisticsService({ store: s, clock: reportClock })
    const reports = createAnnualReportService({
      config: { orgName: 'Рада', statsSmallCount: 5, defaultLanguage: 'uk' },
      store: s,
      clock: reportClock,
      statistics,
    })
    const model = await reports.build(2020, 'uk')
    const csv = await reports.render(model, 'csv')
    return {
      years: await statistics.years(),
      stats2020: JSON.stringify(await statistics.forYear(2020)),
      stats2021: JSON.stringify(await statistics.forYear(2021)),
      model: JSON.stringify(model),
      csv: csv.body,
    }
  }

  beforeEach(async () => {
    h = await open('retention')
    store = h.store
    now = new Date('2021-01-20T09:00:00Z')
    await seed(store)
  })
  afterEach(async () => {
    await h.close()
  })

  it('deletes due cases with their data, keeps held and open ones, and the 2020 report adds up', async () => {
    const before = await figures(store)
    expect(JSON.parse(before.stats2020)).toBeTruthy()
    const service = serviceOn(store)
    const hold = await service.setHold({
      actorId: 'o1',
      caseId: 'c-held',
      reason: 'Суд, справа 123',
    })
    expect(hold.ok).toBe(true)

    now = new Date('2026-02-01T09:00:00Z')
    const r = await service.run('apply')
    expect(r.deleted).toBe(DUE.length)
    expect(r.held).toBe(1)
    expect(
      r.lines
        .filter((l) => l.action === 'deleted')
        .map((l) => l.caseId)
        .sort()
    ).toEqual([...DUE].sort())

    for (const id of DUE) {
      expect(await store.cases.get(id)).toBeNull()
      expect(await store.cases.getByReceiptLookup(`lookup-${id}`)).toBeNull()
      expect(await store.items.list(id)).toEqual([])
      expect(await store.items.get(id, `item-${id}`)).toBeNull()
      expect(await store.grants.listForCase(id)).toEqual([])
      expect(await store.blobs.info(`blob-${id}`)).toBeNull()
      expect(await store.retention.blobIds(id)).toEqual([])
    }
    for (const id of ['c-held', 'c-open']) {
      expect(await store.cases.get(id)).not.toBeNull()
      expect(await store.items.list(id)).toHaveLength(1)
      expect(await store.grants.listForCase(id)).toHaveLength(1)
      expect((await store.blobs.info(`blob-${id}`))?.complete).toBe(true)
    }
    expect(await store.retention.countRemnants()).toBe(DUE.length)
    expect(await store.retention.purgesInProgress()).toEqual([])

    // The same figures, in every form management reads them.
    expect(await figures(store)).toEqual(before)

    // Audit: one deletion entry per case, the hold with its reason, and the chain verifies.
    const deletions = await store.audit.search({ action: 'retention.delete' }, 100)
    expect(deletions.map((e) => e.subjectId).sort()).toEqual([...DUE].sort())
    expect(deletions.find((e) => e.subjectId === 'c-spam')?.details).toMatchObject({
      rule: 'spam',
      years: 1,
      deleteOn: '2022-01-01',
      blobs: 1,
      grants: 1,
    })
    const holds = await store.audit.search({ action: 'retention.hold-set' }, 10)
    expect(holds.map((e) => [e.subjectId, e.details.reason])).toEqual([
      ['c-held', 'Суд, справа 123'],
    ])
    expect((await verifyAuditChain(store)).ok).toBe(true)

    // Running again finds nothing more; clearing the hold lets the held case go next time.
    expect((await service.run('apply')).deleted).toBe(0)
    expect(
      (await service.clearHold({ actorId: 'o1', caseId: 'c-held', reason: 'рішення набрало сили' }))
        .ok
    ).toBe(true)
    expect((await service.run('apply')).deleted).toBe(1)
    expect(await store.cases.get('c-held')).toBeNull()
    expect(await figures(store)).toEqual(before)
    expect((await verifyAuditChain(store)).ok).toBe(true)
  })

  it('a dry run lists what is due and writes nothing', async () => {
    now = new Date('2026-02-01T09:00:00Z')
    const auditBefore = await store.audit.last()
    const r = await serviceOn(store).run('dry-run')
    expect(r.deleted).toBe(DUE.length + 1)
    expect(r.lines.every((l) => l.action === 'would-delete')).toBe(true)
    expect(r.lines.find((l) => l.caseId === 'c-spam')).toMatchObject({
      registrationNo: '2020/c-spam',
      key: 'spam',
      deleteOn: '2022-01-01',
    })
    for (const [id] of CASES) expect(await store.cases.get(id)).not.toBeNull()
    expect(await store.audit.last()).toEqual(auditBefore)
    expect(await store.outbox.list()).toEqual([])
    expect(await store.retention.countRemnants()).toBe(0)
  })

  it('warns the officer once, without content, before the deletion date', async () => {
    // 1 Jan 2026 minus 30 days: warnings from 2 Dec 2025; spam is long due by then.
    now = new Date('2025-12-10T09:00:00Z')
    const service = serviceOn(store)
    await service.setHold({ actorId: 'o1', caseId: 'c-held', reason: 'суд' })
    const r = await service.run('warn')
    expect(r.deleted).toBe(1) // the spam case, which a 'warn' run only reports
    expect(await store.cases.get('c-spam')).not.toBeNull()
    // The four due on 1 Jan 2026 and not held, one officer each.
    expect(r.warned).toBe(4)
    expect(r.lines.filter((l) => l.action === 'warned').map((l) => l.caseId)).not.toContain(
      'c-held'
    )
    const mail = await store.outbox.list()
    expect(
      mail.every((m) => m.template === 'retention-warning' && m.to === 'officer@example.org')
    ).toBe(true)
    expect(mail[0]?.params).toEqual({
      publicUrl: 'https://portal.example.org',
      deleteOn: '2026-01-01',
      lang: 'uk',
    })
    expect((await service.run('warn')).warned).toBe(0)
    expect(await store.outbox.list()).toHaveLength(mail.length)
  })

  it('the periodic job of two instances deletes each due case once (RETENTION_JOB=apply)', async () => {
    const second = await h.openSecond()
    now = new Date('2026-02-01T09:00:00Z')
    const config = {
      publicUrl: 'https://portal.example.org',
      defaultLanguage: 'uk' as const,
      retention: DEFAULT_RETENTION_RULES,
      retentionJob: 'apply' as const,
    }
    const mailer = { send: () => Promise.resolve() }
    const log = createLogger({ logLevel: 'silent' })
    const random = { bytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) }
    const jobs = [store, second].map((s) =>
      startJobs({ store: s, mailer, clock, random, log, config }, { retentionEveryMs: 60_000 })
    )
    try {
      await waitFor(
        async () => (await store.retention.countRemnants()) === DUE.length + 1,
        20_000,
        'the retention job'
      )
    } finally {
      await Promise.all(jobs.map((j) => j.stop()))
    }
    for (const [id] of CASES) {
      expect(await store.cases.get(id)).toEqual(id === 'c-open' ? expect.anything() : null)
    }
    expect(await store.audit.search({ action: 'retention.delete' }, 100)).toHaveLength(
      DUE.length + 1
    )
    expect((await verifyAuditChain(store)).ok).toBe(true)
  })

  it('two instances running at once delete each case once', async () => {
    const second = await h.openSecond()
    now = new Date('2026-02-01T09:00:00Z')
    const before = await figures(store)
    const [a, b] = await Promise.all([
      serviceOn(store).run('apply'),
      serviceOn(second).run('apply'),
    ])
    expect(a.deleted + b.deleted).toBe(DUE.length + 1)
    expect(await store.retention.countRemnants()).toBe(DUE.length + 1)
    const deletions = await store.audit.search({ action: 'retention.delete' }, 100)
    expect(deletions).toHaveLength(DUE.length + 1)
    expect((await verifyAuditChain(store)).ok).toBe(true)
    expect(await figures(store)).toEqual(before)
  })

  it('a deletion cut off half way is finished by a later run, stored once', async () => {
    now = new Date('2026-02-01T09:00:00Z')
    // A run that claimed c-spam, stored its remnant and died before deleting anything.
    const claim = await store.retention.claimPurge('c-spam', 'dead-run', 'dead-key', now, now)
    expect(claim.status).toBe('claimed')
    const c = await store.cases.get('c-spam')
    const { statsOfCase } = await import('../../src/store/remnants')
    await store.retention.putRemnant('dead-key', statsOfCase(c!))
    // Within the stale time another run leaves it alone…
    const service = serviceOn(store)
    const first = await service.run('apply')
    expect(first.busy).toBe(1)
    expect(await store.cases.get('c-spam')).not.toBeNull()
    // …later it takes the claim over and finishes under the same key.
    now = new Date('2026-02-01T10:00:00Z')
    const second = await service.run('apply')
    expect(second.finished).toBe(1)
    expect(await store.cases.get('c-spam')).toBeNull()
    expect(await store.retention.countRemnants()).toBe(DUE.length + 1)
    expect(
      await store.audit.search({ action: 'retention.delete', subjectId: 'c-spam' }, 10)
    ).toHaveLength(1)
  })

  it('refuses a hold while the case is being deleted, and a hold without a reason', async () => {
    const service = serviceOn(store)
    expect((await service.setHold({ actorId: 'o1', caseId: 'c-spam', reason: '  ' })).ok).toBe(
      false
    )
    await store.retention.claimPurge('c-spam', 'run', 'k', now, new Date(0))
    const r = await service.setHold({ actorId: 'o1', caseId: 'c-spam', reason: 'суд' })
    expect(r.ok ? 'set' : r.error.code).toBe('purging')
    expect(await store.audit.search({ action: 'retention.hold-set' }, 10)).toEqual([])
  })
}

describe('retention (sqlite)', () => contract(sqliteHarness))
describeMongo('retention (mongo)', () => contract(mongoHarness))
