// Benchmark: the officer's first inbox page over many cases (default 100,000) on the embedded
// store, with each filter and sort, measured with autocannon against the server in its own
// process (started as `npm start` starts it: node dist/server.js), beside /healthz measured in
// the same run. Prints the SQLite query plans (EXPLAIN QUERY PLAN) of each filter and, when a
// MongoDB server is at hand (MONGODB_URI, or FerretDB from .cache/bin), MongoDB's explain() at a
// smaller count. Figures are printed, never asserted (target: p99 ≤ 50 ms on the embedded store).
// Run alone: npx tsx test/bench/inbox.ts [--cases 100000 --duration 5 --connections 10
// --mongo-cases 10000]; test/bench/run.ts may call benchInbox().
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { MongoClient } from 'mongodb'
import { systemClock } from '../../src/deps'
import type { CaseListOptions } from '../../src/store/types'
import { inboxFilter, type InboxQuery } from '../../src/officer/case-inputs'
import { orderBy, whereClause } from '../../src/store/sqlite/case-query'
import { caseQuery, sortOf } from '../../src/store/mongo/cases'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'
import { seedInbox, type SeededCase } from '../helpers/inbox-seed'
import { addStaff, loginAs } from '../helpers/staff'

const ROOT = resolve(import.meta.dirname, '../..')
const PLAN = Array.from({ length: 12 }, (_, i) => `plan-bench-${i + 1}`)

export interface InboxBenchRow {
  name: string
  url: string
  rows: number
  requestsPerSec: number
  p50: number
  p99: number
  errors: number
}

interface Scenario {
  name: string
  query: string
  /** The same as the service's query, for the plans. */
  q: Partial<InboxQuery>
}

function scenarios(seeded: SeededCase[]): Scenario[] {
  const target = seeded[Math.floor(seeded.length * 0.37)]!
  const prefix = target.registrationNo.slice(0, 7)
  const month = target.receivedAt.toISOString().slice(0, 7)
  return [
    { name: 'newest first (no filter)', query: '', q: {} },
    {
      name: 'registration number, whole',
      query: `reg=${encodeURIComponent(target.registrationNo)}`,
      q: { registration: target.registrationNo },
    },
    {
      name: `registration number, prefix ${prefix}`,
      query: `reg=${encodeURIComponent(prefix)}`,
      q: { registration: prefix },
    },
    { name: 'state = investigation', query: 'state=investigation', q: { state: 'investigation' } },
    { name: 'overdue', query: 'overdue=1', q: { overdue: true } },
    { name: 'plan item', query: `plan=${PLAN[4]}`, q: { planItemId: PLAN[4] } },
    { name: 'channel = phone', query: 'channel=phone', q: { channel: 'phone' } },
    {
      name: `received in ${month}`,
      query: `from=${month}-01&to=${month}-28`,
      q: { receivedFrom: `${month}-01`, receivedTo: `${month}-28` },
    },
    {
      name: 'sort: nearest deadline',
      query: 'sort=deadline',
      q: { sort: 'deadline', direction: 'asc' },
    },
    {
      name: 'sort: registration number ↑',
      query: 'sort=registration&dir=asc',
      q: { sort: 'registration', direction: 'asc' },
    },
    {
      name: 'received + overdue + plan item',
      query: `state=received&overdue=1&plan=${PLAN[4]}`,
      q: { state: 'received', overdue: true, planItemId: PLAN[4] },
    },
  ]
}

const fullQuery = (q: Partial<InboxQuery>): InboxQuery => ({
  overdue: false,
  sort: 'received',
  direction: 'desc',
  page: 1,
  ...q,
})

const listOptions = (q: InboxQuery): CaseListOptions => ({ sort: q.sort, direction: q.direction })

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => ok(port))
    })
  })
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function cannon(url: string, cookie: string, duration: number, connections: number) {
  return autocannon({ url, connections, duration, headers: { cookie } })
}

async function seed(store: Store, cases: number, now: Date) {
  for (const [i, id] of PLAN.entries()) {
    await store.plan.put({
      id,
      year: now.getUTCFullYear(),
      number: String(i + 1),
      measure: `Захід ${i + 1}`,
      deadlineText: '',
      responsible: '',
      doneText: '',
      covers: [],
      position: i,
    })
  }
  const officer = await addStaff(store, { roles: ['officer'], displayName: 'Bench officer' })
  const seeded = await seedInbox(store, {
    cases,
    officerId: officer.account.id,
    now,
    planItemIds: PLAN,
    chunk: 2000,
  })
  return { officer, seeded }
}

/** SQLite's plan for the inbox's page query of each scenario (what the store runs). */
function sqlitePlans(file: string, list: Scenario[], officerId: string, now: Date): void {
  const db = new Database(file, { readonly: true })
  try {
    console.log('\nSQLite EXPLAIN QUERY PLAN (the page query of each filter):')
    for (const s of list) {
      const q = fullQuery(s.q)
      const where = whereClause(inboxFilter(q, officerId, now))
      const plan = db
        .prepare<unknown[], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT * FROM cases WHERE ${where.sql} ${orderBy(listOptions(q))} LIMIT 20 OFFSET 0`
        )
        .all(...where.params)
      console.log(`  ${s.name}:\n    ${plan.map((p) => p.detail).join('\n    ')}`)
    }
  } finally {
    db.close()
  }
}

async function startFerret(): Promise<{ uri: string; stop: () => void } | null> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: () => undefined }
  const binary = join(ROOT, '.cache/bin/ferretdb')
  if (!existsSync(binary)) return null
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-ferret-'))
  const child = spawn(
    binary,
    [`--listen-addr=127.0.0.1:${port}`, `--sqlite-url=file:${dir}/`, '--log-level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
  const uri = `mongodb://127.0.0.1:${port}/`
  const until = Date.now() + 15_000
  for (;;) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 })
    try {
      await client.connect()
      await client.close()
      break
    } catch {
      await client.close().catch(() => undefined)
      if (Date.now() > until) throw new Error('FerretDB did not start')
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  return {
    uri,
    stop: () => {
      child.kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** MongoDB's explain() of each scenario's query (the grant filter left out: see cases.ts). */
async function mongoPlans(cases: number, now: Date): Promise<void> {
  const ferret = await startFerret()
  if (!ferret) {
    console.log('\nMongoDB explain(): skipped (no MONGODB_URI and no .cache/bin/ferretdb)')
    return
  }
  const dbName = `bench_inbox_${Date.now()}`
  const uri = `${ferret.uri.replace(/\/$/, '')}/${dbName}`
  const store = await openMongoStore({ uri, dropOnClose: true })
  const client = new MongoClient(uri)
  try {
    const t0 = performance.now()
    const { officer, seeded } = await seed(store, cases, now)
    console.log(
      `\nMongoDB explain() at ${cases.toLocaleString('en')} cases (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s):`
    )
    const coll = client.db(dbName).collection('cases')
    for (const s of scenarios(seeded)) {
      const q = fullQuery(s.q)
      const { grantedTo: _scope, ...filter } = inboxFilter(q, officer.account.id, now)
      const started = performance.now()
      const explained = (await coll
        .find(caseQuery(filter))
        .sort(sortOf(listOptions(q)))
        .limit(20)
        .explain()) as Record<string, unknown>
      const ms = performance.now() - started
      console.log(`  ${s.name} (${ms.toFixed(0)} ms): ${summarisePlan(explained)}`)
    }
  } finally {
    await client.close()
    await store.close()
    ferret.stop()
  }
}

/** The winning plan's stages and index (MongoDB), or FerretDB's pushdown flags and its plan. */
function summarisePlan(e: Record<string, unknown>): string {
  const qp = e.queryPlanner as Record<string, unknown> | undefined
  const flags = ['filterPushdown', 'sortPushdown', 'limitPushdown', 'pushdown']
    .filter((k) => k in e)
    .map((k) => `${k}=${String(e[k])}`)
  const stages: string[] = []
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    const n = node as Record<string, unknown>
    if (typeof n.stage === 'string') {
      stages.push(typeof n.indexName === 'string' ? `${n.stage}(${n.indexName})` : n.stage)
    }
    walk(n.inputStage)
    if (Array.isArray(n.inputStages)) n.inputStages.forEach(walk)
  }
  walk(qp?.winningPlan)
  const text = stages.length ? stages.join(' ← ') : JSON.stringify(qp ?? e).slice(0, 300)
  return [text, ...flags].join(' · ')
}

export async function benchInbox(opts: {
  cases: number
  duration: number
  connections: number
  mongoCases: number
  /** Only the first n filters (the growth figures need the common ones, not all twelve). */
  scenarios?: number
}): Promise<InboxBenchRow[]> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
  const dir = mkdtempSync(join(base, 'portal-bench-inbox-'))
  const file = join(dir, 'portal.sqlite')
  const now = new Date()
  let server: ChildProcess | undefined
  try {
    const store = await openSqliteStore({ file })
    const t0 = performance.now()
    const { officer, seeded } = await seed(store, opts.cases, now)
    const seedS = (performance.now() - t0) / 1000
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    const cookie = await loginAs(
      { store, clock: systemClock, config: { publicUrl: origin } },
      officer.account
    )
    await store.close()
    const list = scenarios(seeded).slice(0, opts.scenarios)
    console.log(
      `\ninbox over ${opts.cases.toLocaleString('en')} cases (SQLite in ${base}; seeded through ` +
        `store.cases.createMany in ${seedS.toFixed(1)} s); autocannon ${opts.connections} ` +
        `connections × ${opts.duration} s per URL; ${cpus().length} CPUs, load ` +
        loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')
    )
    sqlitePlans(file, list, officer.account.id, now)

    if (!existsSync(join(ROOT, 'dist/server.js'))) {
      throw new Error('dist/server.js is missing: run npm run build first')
    }
    server = spawn(process.execPath, ['--enable-source-maps', 'dist/server.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: origin,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const exited = new Promise<never>((_, fail) =>
      server?.once('exit', (code) =>
        fail(new Error(`the server exited (${code}) before answering`))
      )
    )
    // A loaded machine takes a while to start node and open a 100,000-case database.
    await Promise.race([waitForHttp(`${origin}/healthz`, 180_000), exited])

    const rows: InboxBenchRow[] = []
    const measure = async (name: string, path: string, withCookie: boolean) => {
      const url = `${origin}${path}`
      let count = 0
      if (withCookie) {
        const res = await fetch(url, { headers: { cookie }, redirect: 'manual' })
        const html = await res.text()
        if (res.status !== 200) throw new Error(`${path}: ${res.status} (not signed in?)`)
        count = [...html.matchAll(/data-case-title="/g)].length
      }
      const r = await cannon(url, withCookie ? cookie : '', opts.duration, opts.connections)
      const row: InboxBenchRow = {
        name,
        url: path,
        rows: count,
        requestsPerSec: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.non2xx,
      }
      rows.push(row)
      return row
    }
    const healthz = await measure('/healthz (baseline)', '/healthz', false)
    console.log(
      `\n${'URL'.padEnd(38)} ${'rows'.padStart(4)} ${'req/s'.padStart(7)} ${'vs healthz'.padStart(10)} ` +
        `${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  target p99 ≤ 50 ms`
    )
    const print = (r: InboxBenchRow, target: boolean) =>
      console.log(
        `${r.name.padEnd(38)} ${String(r.rows).padStart(4)} ${r.requestsPerSec.toFixed(0).padStart(7)} ` +
          `${`${((r.requestsPerSec / healthz.requestsPerSec) * 100).toFixed(0)}%`.padStart(10)} ` +
          `${r.p50.toFixed(0).padStart(7)} ${r.p99.toFixed(0).padStart(7)}  ` +
          (target ? (r.p99 <= 50 ? 'met' : 'MISSED') : '') +
          (r.errors ? ` (${r.errors} errors)` : '')
      )
    print(healthz, false)
    for (const s of list) {
      print(await measure(s.name, `/officer/cases${s.query ? `?${s.query}` : ''}`, true), true)
    }
    if (opts.mongoCases > 0) await mongoPlans(opts.mongoCases, now)
    return rows
  } finally {
    server?.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '100000' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      'mongo-cases': { type: 'string', default: '10000' },
    },
  })
  await benchInbox({
    cases: Number(values.cases),
    duration: Number(values.duration),
    connections: Number(values.connections),
    mongoCases: Number(values['mongo-cases']),
  })
}
