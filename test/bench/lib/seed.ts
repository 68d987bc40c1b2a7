// A DATA_DIR ready for load: secrets, a certified officer (so the report form is live) and,
// for the growth figures, `cases` stored cases. Written through the store port before the
// server starts. SQLite is seeded on tmpfs and then copied to DATA_DIR on disk: the port's
// inserts are fsync'd one by one, which takes minutes for 100,000 cases on a disk.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../../src/config'
import { createFormTokens } from '../../../src/report/form-token'
import { ensureSecrets } from '../../../src/secrets'
import { openStore } from '../../../src/store'
import { openSqliteStore } from '../../../src/store/sqlite'
import type { Store } from '../../../src/store/types'
import { addOfficer } from '../../helpers/officer'

export function tempDir(prefix: string, shm = false): string {
  const base = shm && existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  return mkdtempSync(join(base, `portal-bench-${prefix}-`))
}

async function addCases(store: Store, n: number): Promise<void> {
  const at = new Date()
  for (let i = 0; i < n; i++) {
    await store.cases.create({
      id: `seed-${String(i).padStart(7, '0')}`,
      channel: 'web',
      anonymity: 'anonymous',
      encMode: 'client',
      state: 'received',
      tags: [],
      planItemIds: [],
      casePublicKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      receiptLookup: `seed-lookup-${i}`,
      receivedAt: at,
      createdAt: at,
      clocks: [],
    })
  }
}

/** Seeds DATA_DIR (and the MongoDB database when `mongoUri` is given); returns the env to start with. */
export async function seedPortal(opts: {
  dataDir: string
  mongoUri?: string
  cases?: number
}): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    DATA_DIR: opts.dataDir,
    ...(opts.mongoUri ? { MONGODB_URI: opts.mongoUri } : {}),
  }
  mkdirSync(opts.dataDir, { recursive: true })
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' })
  ensureSecrets(config)
  if (opts.mongoUri) {
    const store = await openStore(config)
    await addOfficer(store)
    await addCases(store, opts.cases ?? 0)
    await store.close()
    return env
  }
  const shm = tempDir('seed', true)
  try {
    const store = await openSqliteStore({ file: join(shm, 'portal.sqlite') })
    await addOfficer(store)
    await addCases(store, opts.cases ?? 0)
    await store.close()
    copyFileSync(join(shm, 'portal.sqlite'), join(opts.dataDir, 'portal.sqlite'))
  } finally {
    rmSync(shm, { recursive: true, force: true })
  }
  return env
}

/** Issues report-form tokens exactly as the server does for a page view (they are stateless). */
export function formTokenIssuer(dataDir: string, mongoUri?: string): () => string {
  const config = loadConfig({
    DATA_DIR: dataDir,
    ...(mongoUri ? { MONGODB_URI: mongoUri } : {}),
    LOG_LEVEL: 'silent',
  })
  const secrets = ensureSecrets(config)
  const tokens = createFormTokens({
    secrets,
    clock: { now: () => new Date() },
    random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
    // issue() signs and writes nothing; only consume() (the server's) records the nonce.
    tokens: undefined as never,
  })
  return tokens.issue
}
