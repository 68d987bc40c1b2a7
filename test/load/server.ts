// The server under load, in its own process as `npm start` runs it (node dist/server.js), on
// 127.0.0.1, over a fresh embedded store or a fresh database on a FerretDB started here.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { MongoClient } from 'mongodb'
import { openMongoStore } from '../../src/store/mongo'
import { toItem } from '../../src/store/mongo/items'
import type { ItemDoc } from '../../src/store/mongo/models'
import type { AllItems } from './verify'
import { openSqliteStore } from '../../src/store/sqlite'
import type { CaseItem, Store } from '../../src/store/types'
import { addOfficer, type TestOfficer } from '../helpers/officer'
import { run, SERVER_JS, waitFor, type Running, ROOT } from '../helpers/proc'

export type Engine = 'sqlite' | 'mongo'

export interface LoadTarget {
  engine: Engine
  base: string
  pid: number
  officer: TestOfficer
  /** A fresh connection to the server's database, for the count after the run. */
  openStore(): Promise<Store>
  /** Every item by case in one read, where one query a case is slow (FerretDB); else undefined. */
  allItems?: AllItems
  /** The server's resident set size now, in MiB (from /proc). */
  rssMiB(): number
  /** What the server logged at error level, by error type and message, with counts. */
  errorsLogged(): Map<string, number>
  /** Stops the server (SIGTERM), so the count reads a database nobody writes to any more. */
  stopServer(): Promise<void>
  /** Stops everything and removes the data. */
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

async function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), done(true)))
    s.once('error', () => done(false))
  })
}

/** FerretDB from .cache/bin (npm run build:ferretdb), as the test setup starts it. */
async function startFerret(dir: string): Promise<{ uri: string; child: ChildProcess }> {
  const binary = resolve(ROOT, '.cache/bin/ferretdb')
  if (!existsSync(binary)) throw new Error('no .cache/bin/ferretdb: run npm run build:ferretdb')
  const port = await freePort()
  const child = spawn(
    binary,
    [`--listen-addr=127.0.0.1:${port}`, `--sqlite-url=file:${dir}/`, '--log-level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
  await waitFor(() => listening(port), 15_000, 'FerretDB to listen')
  return { uri: `mongodb://127.0.0.1:${port}/load_${randomBytes(4).toString('hex')}`, child }
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

/** pino's JSON lines at error level and above, as "Type: message" (the log names no request). */
function errorsIn(log: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const entry = JSON.parse(line) as {
        level?: number
        msg?: string
        err?: { type?: string; message?: string }
      }
      if ((entry.level ?? 0) < 50) continue
      const what = entry.err
        ? `${entry.err.type ?? 'Error'}: ${(entry.err.message ?? '').slice(0, 160)}`
        : (entry.msg ?? '')
      out.set(what, (out.get(what) ?? 0) + 1)
    } catch {
      // not a log line
    }
  }
  return out
}

/** The items collection read once (the store's own mapping), grouped by case in seq order. */
async function mongoItems(uri: string): Promise<Map<string, CaseItem[]>> {
  const client = await MongoClient.connect(uri)
  try {
    const byCase = new Map<string, CaseItem[]>()
    for await (const doc of client.db().collection<ItemDoc>('items').find({})) {
      const item = toItem(doc)
      const list = byCase.get(item.caseId) ?? []
      list.push(item)
      byCase.set(item.caseId, list)
    }
    for (const list of byCase.values()) list.sort((a, b) => a.seq - b.seq)
    return byCase
  } finally {
    await client.close()
  }
}

export async function startTarget(engine: Engine, opts: { powBits: number }): Promise<LoadTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), `portal-load-${engine}-`))
  let ferret: ChildProcess | undefined
  let uri = ''
  if (engine === 'mongo') {
    const f = await startFerret(mkdtempSync(join(tmpdir(), 'portal-load-ferret-')))
    ferret = f.child
    uri = f.uri
  }
  const openStore = () =>
    engine === 'mongo'
      ? openMongoStore({ uri })
      : openSqliteStore({ file: join(dataDir, 'portal.sqlite') })
  const seed = await openStore()
  const officer = await addOfficer(seed)
  await seed.close()

  const port = await freePort()
  const server: Running = run([SERVER_JS], {
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    POW_BITS_SUBMIT: String(opts.powBits),
    ...(engine === 'mongo' ? { MONGODB_URI: uri } : {}),
  })
  const base = `http://127.0.0.1:${port}`
  await waitFor(
    async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok === true,
    30_000,
    `the server to start (${server.stderr()})`
  )
  const pid = server.child.pid!
  const stopServer = async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM')
      await server.exited
    }
  }
  return {
    engine,
    base,
    pid,
    officer,
    openStore,
    ...(engine === 'mongo' ? { allItems: () => mongoItems(uri) } : {}),
    rssMiB: () => rssMiB(pid),
    errorsLogged: () => errorsIn(server.stdout()),
    stopServer,
    async stop() {
      await stopServer()
      if (engine === 'mongo') {
        const s = await openMongoStore({ uri, dropOnClose: true })
        await s.close()
      }
      ferret?.kill('SIGTERM')
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
