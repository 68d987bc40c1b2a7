// The store port's whole-store export and import (StoreDump), on both engines: what one store
// exports, another store of the same engine imports, and every port read then gives the same
// records; an import replaces whatever the target held; an export is not loaded whole.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { DumpPiece, Store } from '../../src/store/types'
import { describeMongo, freshMongoUri } from '../setup/env'

const T0 = new Date('2026-03-02T09:00:00.000Z')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function seed(store: Store): Promise<void> {
  await store.cases.create({
    id: 'case-1',
    registrationNo: '2026/0001',
    channel: 'web',
    anonymity: 'anonymous',
    encMode: 'client',
    state: 'investigation',
    tags: ['tender'],
    planItemIds: ['p1'],
    casePublicKey: 'Y2FzZQ==',
    receivedAt: T0,
    createdAt: T0,
    clocks: [{ kind: 'acknowledge', startedAt: T0, dueAt: new Date(T0.getTime() + 86_400_000) }],
  })
  await store.items.append({
    caseId: 'case-1',
    id: 'item-1',
    kind: 'message',
    authorRole: 'reporter',
    encMode: 'client',
    sealed: new Uint8Array([1, 2, 3, 250]),
    createdAt: T0,
  })
  await store.grants.put({
    caseId: 'case-1',
    granteeKind: 'officer',
    granteeId: 'officer-1',
    sealedKey: new Uint8Array(80).fill(9),
    createdAt: T0,
  })
  await store.accounts.create({
    id: 'officer-1',
    email: 'officer@example.org',
    displayName: 'Олена',
    roles: ['officer'],
    status: 'active',
    notifyDigest: true,
    createdAt: T0,
  })
  await store.plan.put({
    id: 'p1',
    year: 2026,
    number: '10',
    measure: 'Перевірка',
    deadlineText: 'щокварталу',
    responsible: 'відділ',
    doneText: '',
    covers: [],
    position: 1,
  })
  await store.audit.append({
    seq: 1,
    at: T0,
    actorRole: 'officer',
    action: 'case.view',
    details: { n: 1, ok: true, why: 'x' },
    prevHash: '0',
    hash: 'h1',
  })
  await store.outbox.enqueue({
    id: 'm1',
    to: 'officer@example.org',
    template: 'new-report',
    params: { lang: 'uk' },
    notBefore: T0,
    createdAt: T0,
  })
  await store.settings.set('org.name', 'Міська рада')
  // An attachment of several pieces (a GridFS file on MongoDB), and one still uploading.
  await store.blobs.begin('blob-1', 'case-1', T0)
  await store.blobs.putPiece('blob-1', 0, new Uint8Array(70_000).fill(1))
  await store.blobs.putPiece('blob-1', 1, new Uint8Array(5).fill(2))
  await store.blobs.complete('blob-1', 2)
  await store.blobs.begin('blob-2', 'case-1', T0)
  await store.blobs.putPiece('blob-2', 0, new Uint8Array(10).fill(3))
}

async function blobBytes(store: Store, id: string): Promise<number[]> {
  const out: number[] = []
  for await (const piece of store.blobs.read(id)) out.push(...piece)
  return out
}

/** Everything the seed wrote, read back through the port. */
async function snapshot(store: Store) {
  return {
    case: await store.cases.get('case-1'),
    cases: (await store.cases.list({}, 1, 10)).total,
    items: await store.items.list('case-1'),
    grants: await store.grants.listForCase('case-1'),
    accounts: await store.accounts.list(),
    plan: await store.plan.listYear(2026),
    audit: await store.audit.range(1, 10),
    outbox: await store.outbox.list(),
    setting: await store.settings.get('org.name'),
    blob: await store.blobs.info('blob-1'),
    blobBytes: (await blobBytes(store, 'blob-1')).length,
    upload: await store.blobs.pieces('blob-2'),
    nextNumber: await store.cases.nextRegistrationNumber(2027),
  }
}

async function collect(source: AsyncIterable<DumpPiece>): Promise<DumpPiece[]> {
  const out: DumpPiece[] = []
  for await (const p of source) out.push(p)
  return out
}

function from(pieces: DumpPiece[]): AsyncIterable<DumpPiece> {
  const it = pieces[Symbol.iterator]()
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(it.next()) }) }
}

function dumpContract(name: string, open: () => Promise<Store>) {
  describe(`store dump: ${name}`, () => {
    it('what one store exports, an empty store of the same engine imports whole', async () => {
      const source = await open()
      const target = await open()
      try {
        await seed(source)
        const pieces = await collect(source.dump.export())
        expect(pieces.length).toBeGreaterThan(0)
        expect(await target.dump.import(from(pieces))).toBe(pieces.length)
        expect(await snapshot(target)).toEqual(await snapshot(source))
      } finally {
        await source.close()
        await target.close()
      }
    })

    it('an import replaces everything the target held', async () => {
      const source = await open()
      const target = await open()
      try {
        await seed(source)
        await target.cases.create({
          id: 'only-in-target',
          channel: 'phone',
          anonymity: 'confidential',
          encMode: 'server',
          state: 'received',
          tags: [],
          planItemIds: [],
          casePublicKey: 'eA==',
          receivedAt: T0,
          createdAt: T0,
          clocks: [],
        })
        await target.settings.set('org.name', 'Інша рада')
        await target.dump.import(source.dump.export())
        expect(await target.cases.get('only-in-target')).toBeNull()
        expect(await target.settings.get('org.name')).toBe('Міська рада')
        expect((await target.cases.list({}, 1, 10)).total).toBe(1)
      } finally {
        await source.close()
        await target.close()
      }
    })
  })
}

dumpContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-dump-'))
  dirs.push(dir)
  return openSqliteStore({ file: join(dir, 'portal.sqlite') })
})

describeMongo('mongo', () => {
  dumpContract('mongo', () => openMongoStore({ uri: freshMongoUri('dump'), dropOnClose: true }))
})
