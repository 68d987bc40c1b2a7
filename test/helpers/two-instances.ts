// One database with a second connection to it: what two app instances share. Used by the job
// and outbox tests on each engine. And the real thing: several server processes on one MongoDB
// database (test/integration/two-instances.test.ts).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'
import { freshMongoUri } from '../setup/env'
import { run, SERVER_JS, waitFor, type Running } from './proc'

export interface Harness {
  store: Store
  /** Another connection to the same database: a second app instance. */
  openSecond(): Promise<Store>
  close(): Promise<void>
}

function harness(store: Store, open: () => Promise<Store>, cleanup = () => {}): Harness {
  const others: Store[] = []
  return {
    store,
    async openSecond() {
      const s = await open()
      others.push(s)
      return s
    },
    async close() {
      for (const s of others) await s.close()
      await store.close()
      cleanup()
    },
  }
}

export async function sqliteHarness(label: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), `portal-${label}-`))
  const file = join(dir, 'portal.sqlite')
  return harness(
    await openSqliteStore({ file }),
    () => openSqliteStore({ file }),
    () => rmSync(dir, { recursive: true, force: true })
  )
}

export async function mongoHarness(label: string): Promise<Harness> {
  const uri = freshMongoUri(label)
  return harness(await openMongoStore({ uri, dropOnClose: true }), () => openMongoStore({ uri }))
}

// ---------------------------------------------------------------- two app processes

/** One running `node dist/server.js`, reached over loopback. */
export interface Instance {
  name: string
  url: string
  dataDir: string
  /** fetch on this instance, shaped like app.request so the app-level helpers work on it. */
  request(path: string, init?: RequestInit): Promise<Response>
  /** The instance's log lines (pino JSON), parsed. */
  logs(): Record<string, unknown>[]
  running: Running
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => ok(port))
    })
  })
}

/**
 * Starts the built server `count` times on one MongoDB database, as a deployment behind one
 * proxy runs them: the same PUBLIC_URL and secrets, each its own port and DATA_DIR. Every
 * variable in `env` reaches every process.
 */
export async function startInstances(
  count: number,
  env: Record<string, string>
): Promise<{ instances: Instance[]; stop(): Promise<void> }> {
  const hex = () => randomBytes(32).toString('hex')
  const shared = { SESSION_SECRET: hex(), RECEIPT_PEPPER: hex(), DATA_KEY: hex() }
  const dirs: string[] = []
  const instances: Instance[] = []
  const stop = async () => {
    for (const i of instances)
      if (i.running.child.exitCode === null) i.running.child.kill('SIGTERM')
    await Promise.all(instances.map((i) => i.running.exited))
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
  try {
    for (let n = 0; n < count; n++) {
      const name = String.fromCharCode(65 + n)
      const port = await freePort()
      const dataDir = mkdtempSync(join(tmpdir(), `portal-instance-${name}-`))
      dirs.push(dataDir)
      const running = run([SERVER_JS], {
        LOG_LEVEL: 'info',
        PORT: String(port),
        DATA_DIR: dataDir,
        ...shared,
        ...env,
      })
      const url = `http://127.0.0.1:${port}`
      instances.push({
        name,
        url,
        dataDir,
        running,
        request: (path, init = {}) => fetch(`${url}${path}`, { redirect: 'manual', ...init }),
        logs: () =>
          running
            .stdout()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>),
      })
    }
    for (const i of instances) {
      await waitFor(
        async () => {
          if (i.running.child.exitCode !== null) {
            throw new Error(`instance ${i.name} exited: ${i.running.stderr()}`)
          }
          return (await fetch(`${i.url}/healthz`).catch(() => null))?.ok === true
        },
        30_000,
        `instance ${i.name} to answer /healthz`
      )
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { instances, stop }
}
