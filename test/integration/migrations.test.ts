// Schema migrations on both engines: a database made by the FIRST schema version, with data in
// it as that version's code wrote it, opens with the current code and keeps every record;
// two processes opening one database at once migrate it once between them.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import mongoose from 'mongoose'
import { afterAll, describe, expect, it } from 'vitest'
import { openMongoStore } from '../../src/store/mongo'
import {
  migrateMongo,
  MIGRATIONS_COLLECTION,
  type MigrationDoc,
} from '../../src/store/mongo/migrate'
import { mongoMigrations } from '../../src/store/mongo/migrations'
import { createModels } from '../../src/store/mongo/models'
import { openSqliteStore } from '../../src/store/sqlite'
import { openDatabase } from '../../src/store/sqlite/db'
import { migrate } from '../../src/store/sqlite/migrate'
import { migrations } from '../../src/store/sqlite/migrations'
import type { Store } from '../../src/store/types'
import { fixture, run, waitFor } from '../helpers/proc'
import { describeMongo, freshMongoUri } from '../setup/env'

const dirs: string[] = []
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-migrate-'))
  dirs.push(dir)
  return join(dir, 'portal.sqlite')
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const DAY = 86_400_000
// Case A: received first, one clock still open (due soon), linked to plan item p1.
// Case B: received later, its only clock met. Received order: B, A; deadline order: A, B.
const receivedA = new Date('2026-02-02T09:00:00Z')
const receivedB = new Date('2026-02-03T09:00:00Z')
const dueA = new Date(receivedA.getTime() + 10 * DAY)
const sealed = new Uint8Array([1, 2, 3, 4, 5, 250])

/** What the current code must read back from a first-version database. */
async function expectFirstVersionData(store: Store) {
  const a = await store.cases.get('case-a')
  expect(a).toMatchObject({
    id: 'case-a',
    registrationNo: '2026/0001',
    channel: 'web',
    state: 'received',
    tags: ['tender'],
    planItemIds: ['p1'],
    casePublicKey: 'pk-a',
    receiptLookup: 'lookup-a',
    receivedAt: receivedA,
    lastSeq: 1,
    version: 3,
    protectionMeasures: [],
  })
  expect(a?.clocks).toEqual([{ kind: 'acknowledge', startedAt: receivedA, dueAt: dueA }])
  expect(a?.referral).toBeUndefined()
  expect(a?.pendingExtension).toBeUndefined()
  expect((await store.cases.getByReceiptLookup('lookup-a'))?.id).toBe('case-a')

  const items = await store.items.list('case-a')
  expect(items).toHaveLength(1)
  expect(items[0]).toMatchObject({ seq: 1, id: 'item-a1', kind: 'report', authorRole: 'reporter' })
  expect([...items[0]!.sealed]).toEqual([...sealed])

  // Later versions derive fields from the stored ones: they are filled in for old cases.
  const ids = (page: { items: { id: string }[] }) => page.items.map((c) => c.id)
  expect(ids(await store.cases.list({}, 1, 10))).toEqual(['case-b', 'case-a'])
  expect(ids(await store.cases.list({}, 1, 10, { sort: 'deadline', direction: 'asc' }))).toEqual([
    'case-a',
    'case-b',
  ])
  expect(ids(await store.cases.list({ planItemId: 'p1' }, 1, 10))).toEqual(['case-a'])
  const overdueLater = new Date(dueA.getTime() + DAY)
  expect(ids(await store.cases.list({ openClockDueBefore: overdueLater }, 1, 10))).toEqual([
    'case-a',
  ])

  expect(await store.accounts.getByEmail('officer@council.example')).toMatchObject({
    id: 'acc-1',
    displayName: 'Оксана',
    roles: ['officer'],
    status: 'active',
    version: 1,
  })
  expect(await store.plan.listYear(2026)).toEqual([
    {
      id: 'p1',
      year: 2026,
      number: '1',
      measure: 'Перевірка закупівель',
      deadlineText: 'протягом року',
      responsible: 'Уповноважена особа',
      doneText: '',
      covers: [],
      position: 0,
    },
  ])
  expect(await store.outbox.get('mail-1')).toMatchObject({
    to: 'officer@council.example',
    template: 'new-case',
    dedupeKey: 'new-case:case-a:acc-1',
    status: 'pending',
  })
  expect(await store.settings.get('org.name')).toBe('Міська рада')
  // And the store writes as usual on top of the old data.
  const next = await store.items.append({
    caseId: 'case-a',
    id: 'item-a2',
    kind: 'message',
    authorRole: 'officer',
    authorId: 'acc-1',
    encMode: 'client',
    sealed,
    createdAt: new Date('2026-02-04T00:00:00Z'),
  })
  expect(next.seq).toBe(2)
}

/** Rows exactly as the code of SQLite schema version 1 inserted them. */
function insertVersion1Rows(db: Database.Database) {
  const ms = (d: Date) => d.getTime()
  const caseRow = db.prepare(`INSERT INTO cases (id, registration_no, channel, anonymity, enc_mode,
    state, outcome, category, tags, assignee_id, plan_item_ids, case_public_key,
    reporter_box_public_key, reporter_sign_public_key, receipt_lookup, received_at, created_at,
    updated_at, last_seq, unread_for_officers, unread_for_reporter, clocks, version)
    VALUES (?, ?, 'web', 'anonymous', 'client', 'received', NULL, NULL, ?, NULL, ?, ?, NULL, NULL,
    ?, ?, ?, ?, ?, 1, 0, ?, ?)`)
  caseRow.run(
    'case-a',
    '2026/0001',
    JSON.stringify(['tender']),
    JSON.stringify(['p1']),
    'pk-a',
    'lookup-a',
    ms(receivedA),
    ms(receivedA),
    ms(receivedA),
    1,
    JSON.stringify([{ kind: 'acknowledge', startedAt: ms(receivedA), dueAt: ms(dueA) }]),
    3
  )
  caseRow.run(
    'case-b',
    null,
    '[]',
    '[]',
    'pk-b',
    'lookup-b',
    ms(receivedB),
    ms(receivedB),
    ms(receivedB),
    0,
    JSON.stringify([
      {
        kind: 'acknowledge',
        startedAt: ms(receivedB),
        dueAt: ms(receivedB) + DAY,
        metAt: ms(receivedB) + 3_600_000,
      },
    ]),
    1
  )
  db.prepare(
    `INSERT INTO case_items (case_id, seq, id, kind, author_role, author_id, enc_mode, sealed,
     created_at) VALUES ('case-a', 1, 'item-a1', 'report', 'reporter', NULL, 'client', ?, ?)`
  ).run(Buffer.from(sealed), ms(receivedA))
  db.prepare(
    `INSERT INTO accounts (id, email, display_name, roles, status, notify_digest, created_at,
     updated_at, version) VALUES ('acc-1', 'officer@council.example', 'Оксана', '["officer"]',
     'active', 1, ?, ?, 1)`
  ).run(ms(receivedA), ms(receivedA))
  db.prepare(
    `INSERT INTO plan_items (id, year, number, measure, deadline_text, responsible, done_text,
     position) VALUES ('p1', 2026, '1', 'Перевірка закупівель', 'протягом року',
     'Уповноважена особа', '', 0)`
  ).run()
  db.prepare(
    `INSERT INTO outbox (id, to_address, template, params, dedupe_key, status, attempts,
     not_before, created_at) VALUES ('mail-1', 'officer@council.example', 'new-case', '{}',
     'new-case:case-a:acc-1', 'pending', 0, ?, ?)`
  ).run(ms(receivedA), ms(receivedA))
  db.prepare(`INSERT INTO settings (key, value) VALUES ('org.name', 'Міська рада')`).run()
}

/** Runs two migrate-opener processes released at the same instant; returns what each applied. */
async function twoOpenersAtOnce(engine: 'sqlite' | 'mongo', target: string) {
  const goFile = join(mkdtempSync(join(tmpdir(), 'portal-go-')), 'go')
  dirs.push(dirname(goFile))
  const opener = await fixture('migrate-opener')
  const procs = [0, 1].map(() => run([opener, engine, target, goFile], {}))
  await waitFor(() => procs.every((p) => p.stdout().startsWith('ready')), 30_000, 'openers')
  writeFileSync(goFile, 'go')
  const results = []
  for (const p of procs) {
    const { code } = await p.exited
    expect(code, p.stderr()).toBe(0)
    const last = p.stdout().trim().split('\n').at(-1) ?? ''
    results.push(JSON.parse(last) as { applied: number[]; startedAt: number; endedAt: number })
  }
  // The two really ran at the same time: each began before the other finished.
  expect(Math.max(...results.map((r) => r.startedAt))).toBeLessThan(
    Math.min(...results.map((r) => r.endedAt))
  )
  return results.map((r) => r.applied)
}

describe('sqlite migrations', () => {
  it('migrates a first-version database with data in it to the current schema', async () => {
    const file = tempFile()
    const db = openDatabase(file)
    expect(migrate(db, { to: 1 })).toEqual([1])
    insertVersion1Rows(db)
    db.close()

    const store = await openSqliteStore({ file })
    try {
      await expectFirstVersionData(store)
    } finally {
      await store.close()
    }
    const check = new Database(file, { readonly: true })
    const versions = check
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
      .all()
    check.close()
    expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version))
  })

  it('lets one of two processes opening a new file at once migrate it', async () => {
    const file = tempFile()
    const [first, second] = await twoOpenersAtOnce('sqlite', file)
    const all = migrations.map((m) => m.version)
    // One ran every step, the other waited for its lock and found nothing to do.
    expect([first, second].sort((x, y) => y!.length - x!.length)).toEqual([all, []])
    const store = await openSqliteStore({ file })
    await store.settings.set('opened', 'yes')
    await store.close()
  }, 60_000)

  it('refuses a list whose numbers skip (a renumbering mistake when merging)', () => {
    const db = openDatabase(':memory:')
    const skipped = [migrations[0]!, { ...migrations[1]!, version: 3 }]
    expect(() => migrate(db, { steps: skipped })).toThrow(/expected 2/)
    db.close()
  })
})

describeMongo('mongo migrations', () => {
  /** Documents as the first version of the MongoDB engine (commit 7049afc) stored them. */
  async function firstVersionDatabase(uri: string) {
    const conn = await mongoose.createConnection(uri, { autoIndex: false }).asPromise()
    const db = conn.db
    if (!db) throw new Error('no database')
    expect(await migrateMongo(db, createModels(conn), { to: 1 })).toEqual([1])
    // Raw documents: the shapes below are the old version's, not today's models'.
    const raw = (name: string) => db.collection<{ _id: string } & Record<string, unknown>>(name)
    const clock = (startedAt: Date, dueAt: Date, metAt?: Date) => ({
      kind: 'acknowledge',
      startedAt,
      dueAt,
      ...(metAt ? { metAt } : {}),
    })
    const base = {
      channel: 'web',
      anonymity: 'anonymous',
      encMode: 'client',
      state: 'received',
      unreadForOfficers: true,
      unreadForReporter: false,
    }
    await raw('cases').insertMany([
      {
        _id: 'case-a',
        ...base,
        registrationNo: '2026/0001',
        tags: ['tender'],
        planItemIds: ['p1'],
        casePublicKey: 'pk-a',
        receiptLookup: 'lookup-a',
        receivedAt: receivedA,
        createdAt: receivedA,
        updatedAt: receivedA,
        lastSeq: 1,
        clocks: [clock(receivedA, dueA)],
        version: 3,
      },
      {
        _id: 'case-b',
        ...base,
        tags: [],
        planItemIds: [],
        casePublicKey: 'pk-b',
        receiptLookup: 'lookup-b',
        receivedAt: receivedB,
        createdAt: receivedB,
        updatedAt: receivedB,
        lastSeq: 0,
        clocks: [
          clock(
            receivedB,
            new Date(receivedB.getTime() + DAY),
            new Date(receivedB.getTime() + 3_600_000)
          ),
        ],
        version: 1,
      },
    ])
    await raw('items').insertOne({
      _id: 'item-a1',
      caseId: 'case-a',
      seq: 1,
      kind: 'report',
      authorRole: 'reporter',
      encMode: 'client',
      sealed: Buffer.from(sealed),
      createdAt: receivedA,
    })
    await raw('accounts').insertOne({
      _id: 'acc-1',
      email: 'officer@council.example',
      displayName: 'Оксана',
      roles: ['officer'],
      status: 'active',
      notifyDigest: true,
      createdAt: receivedA,
      updatedAt: receivedA,
      version: 1,
    })
    await raw('plan_items').insertOne({
      _id: 'p1',
      year: 2026,
      number: '1',
      measure: 'Перевірка закупівель',
      deadlineText: 'протягом року',
      responsible: 'Уповноважена особа',
      doneText: '',
      position: 0,
    })
    await raw('outbox').insertOne({
      _id: 'mail-1',
      to: 'officer@council.example',
      template: 'new-case',
      params: {},
      dedupeKey: 'new-case:case-a:acc-1',
      status: 'pending',
      attempts: 0,
      notBefore: receivedA,
      createdAt: receivedA,
    })
    await raw('settings').insertOne({ _id: 'org.name', value: 'Міська рада' })
    return { conn, db }
  }

  /** Index keys per collection, as comparable strings. */
  async function indexKeys(db: mongoose.mongo.Db, collection: string): Promise<string[]> {
    // A collection nothing has written to yet has no indexes (and may not exist).
    const list = await db
      .collection(collection)
      .listIndexes()
      .toArray()
      .catch(() => [])
    return list
      .map((i) => JSON.stringify(i.key))
      .filter((k) => k !== '{"_id":1}')
      .sort()
  }

  it('migrates a first-version database with data in it to the current schema', async () => {
    const uri = freshMongoUri('migrate')
    const { conn, db } = await firstVersionDatabase(uri)
    try {
      expect(await indexKeys(db, 'cases')).not.toContain('{"openDueAt":1}')
      const store = await openMongoStore({ uri })
      try {
        await expectFirstVersionData(store)
      } finally {
        await store.close()
      }
      const recorded = await db.collection(MIGRATIONS_COLLECTION).find({}).toArray()
      expect(recorded.map((r) => r._id).sort()).toEqual(mongoMigrations.map((m) => m.version))
      // The migrations build exactly the indexes the schemas declare (models.ts): an index
      // added to a schema without a migration step fails here.
      const models = createModels(conn)
      for (const model of Object.values(models)) {
        const declared = model.schema
          .indexes()
          .map(([key]) => JSON.stringify(key))
          .sort()
        expect(await indexKeys(db, model.collection.collectionName), model.modelName).toEqual(
          declared
        )
      }
    } finally {
      await conn.dropDatabase()
      await conn.close()
    }
  }, 60_000)

  it('lets one of two processes opening a new database at once migrate it', async () => {
    const uri = freshMongoUri('migratelock')
    try {
      const [first, second] = await twoOpenersAtOnce('mongo', uri)
      const all = mongoMigrations.map((m) => m.version)
      expect([first, second].sort((x, y) => y!.length - x!.length)).toEqual([all, []])
      const store = await openMongoStore({ uri, dropOnClose: true })
      await store.settings.set('opened', 'yes')
      await store.close()
    } finally {
      const conn = await mongoose.createConnection(uri).asPromise()
      await conn.dropDatabase()
      await conn.close()
    }
  }, 60_000)

  it('opens a database made before the migrations existed (indexes built at every open)', async () => {
    const uri = freshMongoUri('migrateold')
    const conn = await mongoose.createConnection(uri, { autoIndex: false }).asPromise()
    try {
      // What openMongoStore did until then: every model's indexes, no schema_migrations.
      for (const model of Object.values(createModels(conn))) await model.createIndexes()
      await conn.db
        ?.collection<{ _id: string } & Record<string, unknown>>('settings')
        .insertOne({ _id: 'org.name', value: 'Міська рада' })
      const store = await openMongoStore({ uri })
      expect(await store.settings.get('org.name')).toBe('Міська рада')
      await store.close()
      const recorded = await conn.db?.collection(MIGRATIONS_COLLECTION).countDocuments()
      expect(recorded).toBe(mongoMigrations.length)
    } finally {
      await conn.dropDatabase()
      await conn.close()
    }
  }, 60_000)

  it('refuses a database written by a newer schema', async () => {
    const uri = freshMongoUri('migratenewer')
    const store = await openMongoStore({ uri, dropOnClose: true })
    const conn = await mongoose.createConnection(uri).asPromise()
    try {
      await conn.db
        ?.collection<MigrationDoc>(MIGRATIONS_COLLECTION)
        .insertOne({ _id: 9999, name: 'from the future', appliedAt: new Date() })
      await expect(openMongoStore({ uri })).rejects.toThrow(/newer/)
    } finally {
      await conn.close()
      await store.close()
    }
  })
})
