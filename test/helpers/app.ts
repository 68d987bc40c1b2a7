// Builds the real app on a temporary embedded store, a fixed clock and a recording mailer.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../src/app'
import { loadConfig, type Config } from '../../src/config'
import type { Clock, Mailer, OutgoingMail } from '../../src/deps'
import type { WorkingCalendar } from '../../src/domain/calendar'
import { createLogger } from '../../src/log'
import type { Metrics } from '../../src/metrics'
import type { Secrets } from '../../src/secrets'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'

export const TEST_ORIGIN = 'http://localhost'

export interface TestApp {
  app: ReturnType<typeof createApp>
  store: Store
  config: Config
  secrets: Secrets
  clock: Clock & { set(d: Date): void; advance(ms: number): void; sleep(ms: number): Promise<void> }
  mail: OutgoingMail[]
  logs: string[]
  dir: string
  close(): Promise<void>
}

export async function makeTestApp(
  opts: {
    env?: Record<string, string>
    store?: Store
    mailer?: Mailer
    now?: Date
    calendar?: WorkingCalendar
    /** Another instance's secrets, for two instances of one deployment. */
    secrets?: Secrets
    /** The process's figures (GET /metrics), to share with jobs the test starts. */
    metrics?: Metrics
  } = {}
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-test-'))
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    PUBLIC_URL: TEST_ORIGIN,
    LOG_LEVEL: 'info',
    // Proof of work off unless a test asks for it (POW_BITS): its own tests
    // (test/integration/proof-of-work.test.ts, test/e2e/proof-of-work.test.ts) turn it on, and the
    // helpers (reporter-api.ts, pow.ts) solve whatever the app asks for.
    POW_BITS: '0',
    // New staff passphrases at the floor the browser accepts (helpers/staff.ts TEST_KDF): real
    // Argon2id at a ninth of the production cost, which test/unit/config.test.ts checks.
    STAFF_KDF_MIB: '19',
    STAFF_KDF_PASSES: '2',
    ...opts.env,
  })
  const secrets: Secrets = opts.secrets ?? {
    SESSION_SECRET: new Uint8Array(randomBytes(32)),
    RECEIPT_PEPPER: new Uint8Array(randomBytes(32)),
    DATA_KEY: new Uint8Array(randomBytes(32)),
  }
  const store = opts.store ?? (await openSqliteStore({ file: join(dir, 'portal.sqlite') }))
  let now = opts.now ?? new Date('2026-03-02T09:00:00Z')
  const clock = {
    now: () => new Date(now),
    set: (d: Date) => (now = d),
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
    // No real waiting: time moves on instead. Waits begun together end together, as they would.
    sleep: (ms: number) => {
      const until = now.getTime() + ms
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          if (now.getTime() < until) now = new Date(until)
          resolve()
        })
      )
    },
  }
  const mail: OutgoingMail[] = []
  const mailer: Mailer = opts.mailer ?? { send: (m) => Promise.resolve(void mail.push(m)) }
  const logs: string[] = []
  const log = createLogger(config, { write: (line: string) => void logs.push(line) })
  const app = createApp({
    config,
    secrets,
    store,
    mailer,
    clock,
    random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
    log,
    ...(opts.calendar ? { calendar: opts.calendar } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  })
  return {
    app,
    store,
    config,
    secrets,
    clock,
    mail,
    logs,
    dir,
    async close() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A same-origin form post, as a browser would send it. */
export function formPost(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: TEST_ORIGIN,
      ...headers,
    },
  }
}
