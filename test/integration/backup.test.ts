// `portal backup` → wipe → `portal restore` into an empty store, on SQLite and on MongoDB
// (FerretDB): the officer opens the same cases, messages and attachments with their own keys, and
// the audit chain still verifies. A tampered, truncated or foreign backup is refused with a clear
// error and nothing is written. The commands run in-process through runCli, as `portal` runs them.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { encryptAttachment, decryptAttachmentStream } from '../../crypto/attachment'
import { toBase64 } from '../../crypto/encoding'
import { generateCaseKeyPair, grantCaseKey } from '../../crypto/keys'
import { createAuditLog } from '../../src/audit'
import { storeContents } from '../../src/backup'
import { runCli } from '../../src/cli/run'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'
import { addOfficer, officerReadCase, officerReply, type TestOfficer } from '../helpers/officer'
import { CLI_JS, run } from '../helpers/proc'
import { describeMongo, freshMongoUri } from '../setup/env'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-backup-'))
  dirs.push(dir)
  return dir
}

async function portal(args: string[], env: Record<string, string>) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, {
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

interface Seeded {
  officer: TestOfficer
  cases: { id: string; texts: string[]; file: Uint8Array; blobId: string }[]
}

/** Three cases, each with two officer messages and one attachment, and five audit entries. */
async function seed(store: Store): Promise<Seeded> {
  const officer = await addOfficer(store)
  const at = new Date('2026-03-02T09:00:00Z')
  const cases: Seeded['cases'] = []
  for (let n = 1; n <= 3; n++) {
    const id = randomBytes(16).toString('base64url')
    const keys = generateCaseKeyPair()
    await store.cases.create({
      id,
      channel: 'web',
      anonymity: 'anonymous',
      encMode: 'client',
      state: 'received',
      tags: [],
      planItemIds: [],
      casePublicKey: toBase64(keys.publicKey),
      receivedAt: at,
      createdAt: at,
      clocks: [],
    })
    await store.grants.put({
      caseId: id,
      granteeKind: 'officer',
      granteeId: officer.account.id,
      sealedKey: grantCaseKey(keys.secretKey, officer.keys.box.publicKey),
      createdAt: at,
    })
    // An attachment as the officer page uploads it: encrypted frames as blob pieces; its manifest
    // (the file key) travels in a sealed message of the thread.
    const file = new Uint8Array(randomBytes(150_000 + n))
    const blobId = randomBytes(16).toString('base64url')
    const { manifest, frames } = encryptAttachment(file, {
      name: `doc${n}.pdf`,
      type: '',
      ref: blobId,
    })
    await store.blobs.begin(blobId, id, at)
    for (const [i, frame] of frames.entries()) await store.blobs.putPiece(blobId, i, frame)
    await store.blobs.complete(blobId, frames.length)
    const texts = [`Повідомлення ${n}: перевірка закупівлі`, JSON.stringify(manifest)]
    for (const text of texts) await officerReply(store, id, officer, text)
    cases.push({ id, texts, file, blobId })
  }
  let t = at.getTime()
  const log = createAuditLog({ store, clock: { now: () => new Date((t += 1000)) } })
  for (const c of cases) {
    await log.record({
      actorRole: 'officer',
      actorId: officer.account.id,
      action: 'case.opened',
      subjectId: c.id,
      details: {},
    })
  }
  await log.record({ actorRole: 'system', action: 'backup.test', details: { n: 2 } })
  await log.record({ actorRole: 'system', action: 'backup.test', details: { n: 3 } })
  return { officer, cases }
}

/** The officer reads every case of the restored store with their own keys, as before. */
async function expectSameCases(store: Store, seeded: Seeded) {
  for (const c of seeded.cases) {
    const read = await officerReadCase(store, c.id, seeded.officer)
    expect(read.envelopes.map((e) => (e.body as { text: string }).text)).toEqual(c.texts)
    expect(read.envelopes.every((e) => e.verified)).toBe(true)
    const manifest = JSON.parse(c.texts[1]!) as Parameters<typeof decryptAttachmentStream>[1]
    const parts: Uint8Array[] = []
    for await (const p of decryptAttachmentStream(store.blobs.read(c.blobId), manifest))
      parts.push(p)
    expect(Buffer.concat(parts).equals(Buffer.from(c.file))).toBe(true)
  }
}

interface Engine {
  /** The environment that makes `portal` use a fresh, empty store, and a way to open it. */
  fresh(): { env: Record<string, string>; open(): Promise<Store> }
}

function backupSuite(name: string, engine: Engine) {
  describe(`portal backup and restore on ${name}`, () => {
    it('backup → wipe → restore: the officer decrypts the same cases, the audit chain verifies', async () => {
      const keys = tempDir()
      const keyFile = join(keys, 'backup.key')
      const keygen = await portal(['backup:keygen', '--out', keyFile], {})
      expect(keygen.code).toBe(0)
      expect(statSync(keyFile).mode & 0o777).toBe(0o600)
      const publicKey = /^BACKUP_PUBLIC_KEY=(\S+)$/m.exec(keygen.stdout)![1]!

      // The portal's store, seeded, then backed up while it is open.
      const source = engine.fresh()
      const live = await source.open()
      const seeded = await seed(live)
      const before = await portal(['audit:verify'], source.env)
      expect(before.stdout).toMatch(/audit chain OK: 5 entries/)
      const lastHash = /last hash: (\w+)/.exec(before.stdout)![1]

      const file = join(keys, 'portal.backup')
      const backup = await portal(['backup', '--out', file], {
        ...source.env,
        BACKUP_PUBLIC_KEY: publicKey,
      })
      expect(backup.stderr).toBe('')
      expect(backup.code).toBe(0)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      // Encrypted: nothing of the store is readable in the file.
      const raw = readFileSync(file)
      expect(raw.includes(Buffer.from(seeded.officer.account.email))).toBe(false)
      expect(raw.includes(Buffer.from('case.opened'))).toBe(false)

      // The wipe: the store is gone (SQLite folder deleted, MongoDB database dropped).
      await live.close()

      const target = engine.fresh()
      const restored = await portal(['restore', '--in', file, '--key', keyFile], target.env)
      expect(restored.stderr).toBe('')
      expect(restored.stdout).toMatch(/audit chain OK: 5 entries/)
      expect(restored.code).toBe(0)
      const after = await portal(['audit:verify'], target.env)
      expect(after.stdout).toContain(`last hash: ${lastHash}`)

      const store = await target.open()
      try {
        await expectSameCases(store, seeded)
        // A second restore into the now full store is refused unless --force.
        const again = await portal(['restore', '--in', file, '--key', keyFile], target.env)
        expect(again.code).toBe(1)
        expect(again.stderr).toMatch(
          /refused \(not-empty\): the store is not empty \(3 cases, 1 staff accounts, 5 audit entries\).*--force/
        )
        const first = (await store.cases.get(seeded.cases[0]!.id))!
        await store.cases.update(first.id, first.version, { state: 'closed' }, new Date())
        const forced = await portal(
          ['restore', '--in', file, '--key', keyFile, '--force'],
          target.env
        )
        expect(forced.code).toBe(0)
        expect((await store.cases.get(seeded.cases[0]!.id))?.state).toBe('received')
        await expectSameCases(store, seeded)
      } finally {
        await store.close()
      }
    })

    it('a tampered, truncated or foreign backup is refused with a clear error and nothing written', async () => {
      const keys = tempDir()
      const keyFile = join(keys, 'backup.key')
      const otherKey = join(keys, 'other.key')
      const publicKey = /^BACKUP_PUBLIC_KEY=(\S+)$/m.exec(
        (await portal(['backup:keygen', '--out', keyFile], {})).stdout
      )![1]!
      await portal(['backup:keygen', '--out', otherKey], {})
      const source = engine.fresh()
      const live = await source.open()
      await seed(live)
      const file = join(keys, 'portal.backup')
      expect(
        (await portal(['backup', '--out', file], { ...source.env, BACKUP_PUBLIC_KEY: publicKey }))
          .code
      ).toBe(0)
      await live.close()
      const good = readFileSync(file)

      const flipped = Buffer.from(good)
      flipped[Math.floor(good.length / 2)]! ^= 0x01
      const variants: [string, Uint8Array, string, RegExp][] = [
        ['flipped', flipped, keyFile, /refused \(damaged\): chunk \d+ of the backup does not open/],
        [
          'truncated',
          good.subarray(0, good.length - 100),
          keyFile,
          /refused \((damaged|truncated)\)/,
        ],
        // Cut at a chunk boundary: every chunk left opens, but the final one is missing.
        [
          'cut at a chunk',
          good.subarray(0, 24 + 2 + 100 + 262160),
          keyFile,
          /refused \(truncated\): the backup is cut off/,
        ],
        ['extended', Buffer.concat([good, good.subarray(-200)]), keyFile, /refused \(damaged\)/],
        ['wrong key', good, otherKey, /refused \(wrong-key\): this key does not open the backup/],
        [
          'not a backup',
          Buffer.from('SQLite format 3\0 and more'),
          keyFile,
          /refused \(not-a-backup\)/,
        ],
      ]
      for (const [label, bytes, key, message] of variants) {
        const bad = join(keys, `${label}.backup`)
        writeFileSync(bad, bytes)
        const target = engine.fresh()
        const r = await portal(['restore', '--in', bad, '--key', key], target.env)
        expect(r.stderr, label).toMatch(message)
        expect(r.code, label).toBe(1)
        const store = await target.open()
        try {
          expect(await storeContents(store), label).toEqual([])
          expect(await store.audit.last(), label).toBeNull()
        } finally {
          await store.close()
        }
      }
    })
  })
}

describe('the built portal command', () => {
  it('keygen, backup and restore run as an operator runs them (dist/cli.js)', async () => {
    const dir = tempDir()
    const portalJs = async (args: string[], env: Record<string, string>) => {
      const p = run([CLI_JS, ...args], env)
      const { code } = await p.exited
      return { code, stdout: p.stdout(), stderr: p.stderr() }
    }
    const keyFile = join(dir, 'backup.key')
    const keygen = await portalJs(['backup:keygen', '--out', keyFile], {})
    const publicKey = /^BACKUP_PUBLIC_KEY=(\S+)$/m.exec(keygen.stdout)![1]!
    const source = await openSqliteStore({ file: join(dir, 'a', 'portal.sqlite') })
    const seeded = await seed(source)
    await source.close()
    const file = join(dir, 'portal.backup')
    const env = { DATA_DIR: join(dir, 'a'), BACKUP_PUBLIC_KEY: publicKey }
    expect((await portalJs(['backup', '--out', file], env)).code).toBe(0)
    const restored = await portalJs(['restore', '--in', file, '--key', keyFile], {
      DATA_DIR: join(dir, 'b'),
    })
    expect(restored.stdout).toMatch(/audit chain OK: 5 entries/)
    expect(restored.code).toBe(0)
    const store = await openSqliteStore({ file: join(dir, 'b', 'portal.sqlite') })
    try {
      await expectSameCases(store, seeded)
    } finally {
      await store.close()
    }
  })
})

backupSuite('SQLite', {
  fresh() {
    const dir = tempDir()
    return {
      env: { DATA_DIR: dir },
      open: () => openSqliteStore({ file: join(dir, 'portal.sqlite') }),
    }
  },
})

describeMongo('on MongoDB (FerretDB)', () => {
  backupSuite('MongoDB', {
    fresh() {
      const uri = freshMongoUri('backup')
      return {
        env: { MONGODB_URI: uri, DATA_DIR: tempDir() },
        open: () => openMongoStore({ uri, dropOnClose: true }),
      }
    },
  })
})
