// Engine-specific checks of the MongoDB store on a real wire server (FerretDB in CI): round
// trips, duplicates, conflicts and the races FerretDB's non-atomic updates would otherwise lose.
import { randomBytes, createHash } from 'node:crypto'
import mongoose from 'mongoose'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openMongoStore } from '../../src/store/mongo'
import {
  ConflictError,
  DuplicateError,
  type AuditEntry,
  type NewCase,
  type Store,
} from '../../src/store/types'
import { describeMongo, freshMongoUri } from '../setup/env'

const t0 = new Date(Date.UTC(2026, 2, 10, 9, 0, 0))
const at = (min: number) => new Date(t0.getTime() + min * 60_000)
let n = 0
const uid = (p: string) => `${p}-${++n}-${randomBytes(3).toString('hex')}`

function newCase(over: Partial<NewCase> = {}): NewCase {
  return {
    id: uid('case'),
    channel: 'web',
    anonymity: 'anonymous',
    encMode: 'client',
    state: 'received',
    tags: [],
    planItemIds: [],
    casePublicKey: 'cpk',
    receivedAt: t0,
    createdAt: t0,
    clocks: [],
    ...over,
  }
}

describeMongo('mongo store (engine specifics)', () => {
  let uri: string
  let store: Store
  /** A second app instance on the same database: its own connection and process-local queues. */
  let other: Store

  beforeAll(async () => {
    uri = freshMongoUri('mongostore')
    store = await openMongoStore({ uri, dropOnClose: true })
    other = await openMongoStore({ uri })
  })
  afterAll(async () => {
    await other?.close()
    await store?.close()
  })

  it('pings', async () => {
    await expect(store.ping()).resolves.toBeUndefined()
    expect(store.engine).toBe('mongo')
  })

  it('round-trips a case with optional fields absent and present', async () => {
    const bare = await store.cases.create(newCase())
    expect(bare).not.toHaveProperty('receiptLookup')
    expect(await store.cases.get(bare.id)).toEqual(bare)

    const clocks = [{ kind: 'ack', startedAt: t0, dueAt: at(60 * 24 * 7), extendedDays: 5 }]
    const full = await store.cases.create(
      newCase({ receiptLookup: uid('rl'), registrationNo: '2026/0001', tags: ['a'], clocks })
    )
    const got = await store.cases.get(full.id)
    expect(got).toEqual(full)
    expect(got).toMatchObject({ lastSeq: 0, version: 1, unreadForOfficers: false, clocks })
    expect(got?.receivedAt).toBeInstanceOf(Date)
    expect(await store.cases.getByReceiptLookup(full.receiptLookup!)).toEqual(full)
    expect(await store.cases.getByReceiptLookup('nope')).toBeNull()
  })

  it('lets many cases lack a receipt lookup but refuses a repeated one', async () => {
    await store.cases.create(newCase())
    await store.cases.create(newCase())
    const rl = uid('rl')
    await store.cases.create(newCase({ receiptLookup: rl }))
    await expect(store.cases.create(newCase({ receiptLookup: rl }))).rejects.toBeInstanceOf(
      DuplicateError
    )
    const c = newCase()
    await store.cases.create(c)
    await expect(store.cases.create(c)).rejects.toBeInstanceOf(DuplicateError)
  })

  it('updates with the expected version, clears fields given as undefined, and conflicts', async () => {
    const c = await store.cases.create(newCase({ category: 'bribery', assigneeId: 'o1' }))
    const u = await store.cases.update(
      c.id,
      1,
      { state: 'investigation', assigneeId: undefined },
      at(5)
    )
    expect(u).toMatchObject({ state: 'investigation', version: 2, updatedAt: at(5) })
    expect(u).not.toHaveProperty('assigneeId')
    expect(u.category).toBe('bribery')
    await expect(store.cases.update(c.id, 1, { state: 'closed' }, at(6))).rejects.toBeInstanceOf(
      ConflictError
    )
    await expect(store.cases.update('missing', 1, {}, at(6))).rejects.toBeInstanceOf(ConflictError)
  })

  it('lets exactly one of several concurrent updates at one version win', async () => {
    const c = await store.cases.create(newCase())
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.cases.update(c.id, 1, { tags: [`t${i}`] }, at(i)))
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((await store.cases.get(c.id))?.version).toBe(2)
  })

  it('lists newest first with paging, filters and counts', async () => {
    const cat = uid('cat')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const c = await store.cases.create(
        newCase({
          category: cat,
          receivedAt: new Date(Date.UTC(2025, i * 2, 15)),
          state: i < 2 ? 'closed' : 'received',
          planItemIds: i === 0 ? ['p1'] : [],
        })
      )
      ids.push(c.id)
    }
    const page1 = await store.cases.list({ category: cat }, 1, 2)
    expect(page1.total).toBe(5)
    expect(page1.items.map((c) => c.id)).toEqual([ids[4], ids[3]])
    const page3 = await store.cases.list({ category: cat }, 3, 2)
    expect(page3.items.map((c) => c.id)).toEqual([ids[0]])
    expect((await store.cases.list({ category: cat, planItemId: 'p1' }, 1, 10)).total).toBe(1)
    expect(
      (await store.cases.list({ category: cat, states: ['closed'] }, 1, 10)).items.map((c) => c.id)
    ).toEqual([ids[1], ids[0]])
    const byState = await store.cases.countByState({ category: cat })
    expect(byState).toEqual({
      received: 3,
      'preliminary-review': 0,
      investigation: 0,
      referred: 0,
      closed: 2,
    })
    const byMonth = await store.cases.countByMonth(2025, { category: cat })
    expect(Object.keys(byMonth)).toHaveLength(12)
    expect(byMonth).toMatchObject({ '01': 1, '03': 1, '05': 1, '07': 1, '09': 1, '02': 0 })
    const all = await store.cases.all({
      category: cat,
      receivedFrom: new Date(Date.UTC(2025, 4, 1)),
    })
    expect(all.map((c) => c.id)).toEqual([ids[4], ids[3], ids[2]])

    await store.grants.put({
      caseId: ids[2]!,
      granteeKind: 'officer',
      granteeId: 'off-filter',
      sealedKey: new Uint8Array([1]),
      createdAt: t0,
    })
    expect((await store.cases.all({ grantedTo: 'off-filter' })).map((c) => c.id)).toEqual([ids[2]])
  })

  it('appends items with gap-free sequence numbers under Promise.all', async () => {
    const c = await store.cases.create(newCase())
    const items = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.items.append({
          caseId: c.id,
          id: uid('item'),
          kind: 'message',
          authorRole: i % 2 ? 'officer' : 'reporter',
          encMode: 'client',
          sealed: new Uint8Array([i, 1, 2]),
          createdAt: at(i),
        })
      )
    )
    expect(items.map((i) => i.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1)
    )
    const after = await store.cases.get(c.id)
    expect(after).toMatchObject({ lastSeq: 12, unreadForOfficers: true, unreadForReporter: true })
    const listed = await store.items.list(c.id)
    expect(listed.map((i) => i.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(listed[0]!.sealed).toEqual(items.find((i) => i.seq === 1)!.sealed)
    expect(Buffer.isBuffer(listed[0]!.sealed)).toBe(false)
    expect((await store.items.list(c.id, 10)).map((i) => i.seq)).toEqual([11, 12])
    const one = await store.items.get(c.id, listed[3]!.id)
    expect(one).toEqual(listed[3])
  })

  it('inserts at a chosen seq, refuses a taken one, and appends after it', async () => {
    const c = await store.cases.create(newCase())
    const base = {
      caseId: c.id,
      kind: 'note' as const,
      authorRole: 'system' as const,
      encMode: 'server' as const,
      sealed: new Uint8Array([9]),
      createdAt: t0,
    }
    await store.items.insertAt({ ...base, id: uid('i'), seq: 1 })
    await expect(store.items.insertAt({ ...base, id: uid('i'), seq: 1 })).rejects.toBeInstanceOf(
      DuplicateError
    )
    const next = await store.items.append({ ...base, id: uid('i') })
    expect(next.seq).toBe(2)
    const dupId = await store.items.append({ ...base, id: uid('i') })
    await expect(store.items.append({ ...base, id: dupId.id })).rejects.toBeInstanceOf(
      DuplicateError
    )
    // A refused append hands out no number: the thread stays gap-free.
    expect((await store.items.append({ ...base, id: uid('i') })).seq).toBe(dupId.seq + 1)
    expect((await store.items.list(c.id)).map((i) => i.seq)).toEqual([1, 2, 3, 4])
    expect(await store.cases.get(c.id)).toMatchObject({ lastSeq: 4, unreadForOfficers: false })
  })

  it('puts, replaces, lists and revokes grants', async () => {
    const g = {
      caseId: uid('c'),
      granteeKind: 'officer' as const,
      granteeId: 'o-1',
      sealedKey: new Uint8Array([1, 2, 3]),
      grantedBy: 'admin',
      createdAt: t0,
    }
    await store.grants.put(g)
    expect(await store.grants.get(g.caseId, 'officer', 'o-1')).toEqual(g)
    await store.grants.put({ ...g, sealedKey: new Uint8Array([4]), grantedBy: undefined })
    const replaced = await store.grants.get(g.caseId, 'officer', 'o-1')
    expect(replaced?.sealedKey).toEqual(new Uint8Array([4]))
    expect(replaced).not.toHaveProperty('grantedBy')
    await store.grants.put({ ...g, granteeKind: 'reporter', granteeId: 'reporter' })
    expect(await store.grants.listForCase(g.caseId)).toHaveLength(2)
    expect(await store.grants.revoke(g.caseId, 'reporter', 'reporter')).toBe(true)
    expect(await store.grants.revoke(g.caseId, 'reporter', 'reporter')).toBe(false)

    for (const id of ['a', 'b', 'c']) {
      await store.grants.put({ ...g, caseId: `gx-${id}`, granteeId: 'o-2' })
    }
    const first = await store.grants.listForGrantee('officer', 'o-2', undefined, 2)
    expect(first.map((x) => x.caseId)).toEqual(['gx-a', 'gx-b'])
    const rest = await store.grants.listForGrantee('officer', 'o-2', 'gx-b')
    expect(rest.map((x) => x.caseId)).toEqual(['gx-c'])
  })

  it('round-trips accounts, refuses duplicate emails on create and update', async () => {
    const keys = { wrapped: 'w', salt: 's', kdf: { m: 65536, t: 3, p: 1 } }
    const a = await store.accounts.create({
      id: uid('acc'),
      email: `${uid('a')}@example.org`,
      displayName: 'A',
      roles: ['officer'],
      status: 'invited',
      inviteTokenHash: uid('inv'),
      inviteExpiresAt: at(60),
      keys,
      notifyDigest: true,
      createdAt: t0,
    })
    expect(await store.accounts.get(a.id)).toEqual(a)
    expect(await store.accounts.getByEmail(a.email)).toEqual(a)
    expect(await store.accounts.getByInviteTokenHash(a.inviteTokenHash!)).toEqual(a)
    const b = await store.accounts.create({
      ...a,
      id: uid('acc'),
      email: `${uid('b')}@example.org`,
    })
    await expect(store.accounts.create({ ...a, id: uid('acc') })).rejects.toBeInstanceOf(
      DuplicateError
    )
    await expect(store.accounts.update(b.id, 1, { email: a.email }, at(1))).rejects.toBeInstanceOf(
      DuplicateError
    )
    const active = await store.accounts.update(
      a.id,
      1,
      { status: 'active', inviteTokenHash: undefined, inviteExpiresAt: undefined, totpLastStep: 7 },
      at(2)
    )
    expect(active).toMatchObject({ status: 'active', totpLastStep: 7, version: 2, keys })
    expect(active).not.toHaveProperty('inviteTokenHash')
    await expect(store.accounts.update(a.id, 1, {}, at(3))).rejects.toBeInstanceOf(ConflictError)
    expect(await store.accounts.count()).toBeGreaterThanOrEqual(2)
  })

  it('keeps sessions until they expire, touches and deletes them', async () => {
    const s = {
      id: uid('sess'),
      kind: 'staff' as const,
      accountId: 'acc-s',
      data: new Uint8Array([7, 7]),
      createdAt: t0,
      lastSeenAt: t0,
      expiresAt: at(30),
    }
    await store.sessions.create(s)
    await expect(store.sessions.create(s)).rejects.toBeInstanceOf(DuplicateError)
    expect(await store.sessions.get(s.id, at(1))).toEqual(s)
    expect(await store.sessions.get(s.id, at(30))).toBeNull()
    await store.sessions.touch(s.id, at(2))
    expect((await store.sessions.get(s.id, at(3)))?.lastSeenAt).toEqual(at(2))
    await store.sessions.create({ ...s, id: uid('sess'), data: undefined })
    expect(await store.sessions.deleteForAccount('acc-s')).toBe(2)
  })

  it('stores the plan by year and position', async () => {
    const item = (id: string, year: number, position: number) => ({
      id,
      year,
      number: String(position),
      measure: 'm',
      deadlineText: 'd',
      responsible: 'r',
      doneText: '',
      covers: [],
      position,
    })
    await store.plan.put(item('p-b', 2026, 2))
    await store.plan.put(item('p-a', 2026, 1))
    await store.plan.put(item('p-c', 2025, 1))
    await store.plan.put({ ...item('p-b', 2026, 2), doneText: 'done' })
    expect((await store.plan.listYear(2026)).map((p) => p.id)).toEqual(['p-a', 'p-b'])
    expect((await store.plan.get('p-b'))?.doneText).toBe('done')
    expect(await store.plan.years()).toEqual([2025, 2026])
    expect(await store.plan.delete('p-c')).toBe(true)
    expect(await store.plan.delete('p-c')).toBe(false)
  })

  it('appends audit entries at unique sequence numbers', async () => {
    const e = (seq: number): AuditEntry => ({
      seq,
      at: at(seq),
      actorRole: 'officer',
      action: 'case.view',
      subjectId: 'case-audit',
      details: seq === 1 ? {} : { n: seq, ok: true, s: 'x' },
      prevHash: `h${seq - 1}`,
      hash: `h${seq}`,
    })
    await store.audit.append(e(1))
    const race = await Promise.allSettled([store.audit.append(e(2)), store.audit.append(e(2))])
    expect(race.filter((r) => r.status === 'rejected')).toHaveLength(1)
    await expect(store.audit.append(e(1))).rejects.toBeInstanceOf(DuplicateError)
    await store.audit.append(e(3))
    expect(await store.audit.last()).toEqual(e(3))
    expect((await store.audit.range(2, 5)).map((x) => x.seq)).toEqual([2, 3])
    const forSubject = await store.audit.listForSubject('case-audit')
    expect(forSubject[0]).toEqual(e(1))
  })

  it('leases each outbox message to exactly one of many racing claimers', async () => {
    const ids = Array.from({ length: 6 }, () => uid('mail'))
    for (const [i, id] of ids.entries()) {
      expect(
        await store.outbox.enqueue({
          id,
          to: 'o@example.org',
          template: 'new-report',
          params: { lang: 'uk' },
          dedupeKey: i === 0 ? 'once' : undefined,
          notBefore: at(i),
          createdAt: t0,
        })
      ).toBe(true)
    }
    expect(
      await store.outbox.enqueue({
        id: uid('mail'),
        to: 'x',
        template: 't',
        params: {},
        dedupeKey: 'once',
        notBefore: t0,
        createdAt: t0,
      })
    ).toBe(false)
    const now = at(100)
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.outbox.claim(`w${i}`, now, 60_000))
    )
    const won = claims.filter((c) => c !== null)
    expect(won.map((c) => c.id).sort()).toEqual([...ids].sort())
    expect(
      won.every((c) => c.attempts === 1 && c.leaseUntil?.getTime() === now.getTime() + 60_000)
    ).toBe(true)
    expect(await store.outbox.claim('late', now, 60_000)).toBeNull()

    const [m0, m1] = [won[0]!, won[1]!]
    expect(await store.outbox.markSent(m0.id, 'someone-else', now)).toBe(false)
    expect(await store.outbox.markSent(m0.id, m0.leaseOwner!, now)).toBe(true)
    expect(await store.outbox.get(m0.id)).toMatchObject({ status: 'sent', sentAt: now })
    expect(await store.outbox.markFailed(m1.id, m1.leaseOwner!, 'smtp 451', at(200))).toBe(true)
    const retried = await store.outbox.get(m1.id)
    expect(retried).toMatchObject({ status: 'pending', lastError: 'smtp 451', notBefore: at(200) })
    expect(retried).not.toHaveProperty('leaseOwner')
    // Leases run out: the others come back after their lease.
    const again = await store.outbox.claim('w-again', at(102), 1000)
    expect(again?.attempts).toBe(2)
    expect((await store.outbox.list('sent')).map((m) => m.id)).toEqual([m0.id])
  })

  it('stores a resumable attachment of a few MiB in GridFS and reads it back piece by piece', async () => {
    const id = uid('blob')
    await store.blobs.begin(id, 'case-b', t0)
    await expect(store.blobs.begin(id, 'case-b', t0)).rejects.toBeInstanceOf(DuplicateError)
    const pieces = [1024 * 1024, 1024 * 1024, 700_001, 3].map(
      (len) => new Uint8Array(randomBytes(len))
    )
    await Promise.all([
      store.blobs.putPiece(id, 2, pieces[2]!),
      store.blobs.putPiece(id, 0, pieces[0]!),
    ])
    await store.blobs.putPiece(id, 0, pieces[0]!)
    expect(await store.blobs.pieces(id)).toEqual([0, 2])
    await expect(store.blobs.complete(id, 4)).rejects.toThrow(/missing pieces 1, 3/)
    await store.blobs.putPiece(id, 1, pieces[1]!)
    await store.blobs.putPiece(id, 3, pieces[3]!)
    const info = await store.blobs.complete(id, 4)
    const whole = Buffer.concat(pieces)
    expect(info).toEqual({
      id,
      caseId: 'case-b',
      pieces: 4,
      size: whole.length,
      complete: true,
      sha256: createHash('sha256').update(whole).digest('hex'),
      createdAt: t0,
    })
    expect(await store.blobs.complete(id, 4)).toEqual(info)
    expect(await store.blobs.info(id)).toEqual(info)
    await store.blobs.putPiece(id, 3, pieces[3]!)
    const read: Uint8Array[] = []
    for await (const p of store.blobs.read(id)) read.push(p)
    // Element-wise toEqual on MiBs of bytes is slow; compare as Buffers, check the type apart.
    expect(read.map((p) => p.length)).toEqual(pieces.map((p) => p.length))
    expect(read.every((p, i) => Buffer.from(p).equals(pieces[i]!))).toBe(true)
    expect(read.every((p) => p.constructor === Uint8Array)).toBe(true)
    await store.blobs.delete(id)
    expect(await store.blobs.info(id)).toBeNull()
    await expect(
      (async () => {
        for await (const _ of store.blobs.read(id)) void _
      })()
    ).rejects.toThrow()
  })

  it('consumes a token exactly once, even when raced', async () => {
    const tok = uid('tok')
    await store.tokens.issue(tok, 'form', at(10))
    await expect(store.tokens.issue(tok, 'form', at(10))).rejects.toBeInstanceOf(DuplicateError)
    expect(await store.tokens.consume(tok, 'other', at(1))).toBe(false)
    const race = await Promise.all(
      Array.from({ length: 8 }, () => store.tokens.consume(tok, 'form', at(1)))
    )
    expect(race.filter(Boolean)).toHaveLength(1)
    const late = uid('tok')
    await store.tokens.issue(late, 'form', at(10))
    expect(await store.tokens.consume(late, 'form', at(10))).toBe(false)
  })

  it('counts hits exactly under Promise.all, resets and sweeps them', async () => {
    const key = uid('login')
    const counts = await Promise.all(
      Array.from({ length: 10 }, () => store.counters.hit(key, t0, at(15)))
    )
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1))
    expect(await store.counters.get(key, t0)).toBe(10)
    expect(await store.counters.get(key, at(15))).toBe(0)
    await store.counters.reset(key)
    expect(await store.counters.get(key, t0)).toBe(0)
    await store.counters.hit(key, t0, at(15))

    await store.tokens.issue(uid('tok'), 'x', at(15))
    await store.sessions.create({
      id: uid('s'),
      kind: 'reporter',
      caseId: 'c',
      createdAt: t0,
      lastSeenAt: t0,
      expiresAt: at(15),
    })
    expect(await store.sweepExpired(at(15))).toBeGreaterThanOrEqual(3)
    expect(await store.counters.get(key, t0)).toBe(0)
  })

  it('stores settings', async () => {
    expect(await store.settings.get('org.name')).toBeNull()
    await store.settings.set('org.name', 'A')
    await Promise.all([store.settings.set('org.name', 'B'), store.settings.set('x', 'y')])
    expect(await store.settings.get('org.name')).toBe('B')
  })

  it('keeps two instances on one database from double-claiming, double-consuming or losing counts', async () => {
    const c = await store.cases.create(newCase())
    const ids = Array.from({ length: 4 }, () => uid('mail2'))
    for (const id of ids) {
      await store.outbox.enqueue({
        id,
        to: 'x@example.org',
        template: 't',
        params: {},
        notBefore: t0,
        createdAt: t0,
      })
    }
    const tok = uid('tok2')
    await store.tokens.issue(tok, 'form', at(10))
    const key = uid('ctr2')
    const both = <T>(fn: (s: Store, i: number) => Promise<T>, times: number) =>
      Promise.all(Array.from({ length: times }, (_, i) => fn(i % 2 ? other : store, i)))

    const [claims, consumed, counts, items] = await Promise.all([
      both((s, i) => s.outbox.claim(`i${i}`, at(500), 60_000), 8),
      both((s) => s.tokens.consume(tok, 'form', at(1)), 6),
      both((s) => s.counters.hit(key, t0, at(15)), 8),
      both(
        (s, i) =>
          s.items.append({
            caseId: c.id,
            id: uid('it2'),
            kind: 'message',
            authorRole: 'reporter',
            encMode: 'client',
            sealed: new Uint8Array([i]),
            createdAt: t0,
          }),
        8
      ),
    ])
    const claimed = claims.filter((m) => m !== null).map((m) => m.id)
    expect(claimed.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort())
    expect(new Set(claimed).size).toBe(claimed.length)
    expect(consumed.filter(Boolean)).toHaveLength(1)
    expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(items.map((i) => i.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect((await other.cases.get(c.id))?.lastSeq).toBe(8)
  })

  it('breaks a lock left behind by a crashed instance', async () => {
    const tok = uid('tok3')
    await store.tokens.issue(tok, 'form', at(10))
    const conn = await mongoose.createConnection(uri).asPromise()
    try {
      await conn
        .db!.collection<{ _id: string; owner: string; until: Date }>('store_locks')
        .insertOne({ _id: `token:${tok}`, owner: 'crashed', until: new Date(Date.now() - 1000) })
      expect(await store.tokens.consume(tok, 'form', at(1))).toBe(true)
      expect(await conn.db!.collection('store_locks').countDocuments()).toBe(0)
    } finally {
      await conn.close()
    }
  })

  it('fails to open when the server is unreachable', async () => {
    await expect(
      openMongoStore({ uri: 'mongodb://127.0.0.1:9/unreachable', serverSelectionTimeoutMS: 300 })
    ).rejects.toThrow()
  })
})
