// Submissions under load (issue 12, points 2 and 7): POST /api/report of client-sealed reports
// (4 KiB padded envelope, sealed with crypto/), each body sent once, to the portal on the
// embedded store and on MongoDB (FerretDB), and on the embedded store holding 1,000 / 10,000 /
// 100,000 cases already, with the server's RSS idle, under load and after.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { BenchContext, Section } from './lib/context'
import { startMongo } from './lib/ferret'
import { load, type LoadResult } from './lib/load'
import { bodyMaker, pageConfig } from './lib/reports'
import { precomputeProofs } from '../helpers/pow'
import { formTokenIssuer, seedPortal, tempDir } from './lib/seed'
import { startPortal } from './lib/server'
import type { Row } from './lib/table'

/** Low enough that the script solves its proofs ahead in seconds; the server's checks are the same. */
const BENCH_POW_BITS = 8
/**
 * Proofs solved ahead per second of load (each one GET /api/work), above what each engine accepts
 * on this machine, so the figure is the server's, not the stock's (4,000 in all capped an idle
 * SQLite run at 400/s). When the stock runs out anyway, the row says so: the figure is a floor.
 */
const PROOFS_PER_SECOND = { sqlite: 1_500, mongo: 150 }

interface Run {
  result: LoadResult
  rssIdle: number
  rssAfter: number
  prepareSeconds: number
  /** Every solved proof was used: requests past them were refused, so the rate is a floor. */
  stockOut: boolean
}

/** Seeds, starts the portal, prepares `n` sealed bodies, posts each once. */
async function submitRun(
  ctx: BenchContext,
  opts: { cases: number; mongoUri?: string }
): Promise<Run> {
  const stock = PROOFS_PER_SECOND[opts.mongoUri ? 'mongo' : 'sqlite'] * ctx.seconds
  const dir = tempDir('submit')
  const env = await seedPortal({ dataDir: dir, cases: opts.cases, mongoUri: opts.mongoUri })
  const portal = await startPortal({ ...env, POW_BITS_SUBMIT: String(BENCH_POW_BITS) })
  try {
    const rssIdle = portal.rssMiB()
    const t0 = performance.now()
    const body = bodyMaker(await pageConfig(portal.url), formTokenIssuer(dir, opts.mongoUri))
    // Every submission carries a proof of work, checked and spent by the server as in production;
    // the portal runs at a low difficulty (POW_BITS_SUBMIT below) so the load script can solve
    // enough of them ahead: solving is the reporter's device's cost, checking it is the server's.
    const proofs = await precomputeProofs(portal.url, 'submit', stock)
    const prepareSeconds = (performance.now() - t0) / 1000
    const result = await load({
      url: `${portal.url}/api/report`,
      method: 'POST',
      connections: ctx.connections,
      seconds: ctx.seconds,
      expect: 201,
      headers: { 'content-type': 'application/json', origin: portal.url },
      body,
      requestHeaders: (): Record<string, string> => {
        const proof = proofs.pop()
        return proof ? { 'x-proof-of-work': proof } : {}
      },
    })
    return {
      result,
      rssIdle,
      rssAfter: portal.rssMiB(),
      prepareSeconds,
      stockOut: proofs.length === 0,
    }
  } finally {
    await portal.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const statusNote = ({ result: r, stockOut }: Run) =>
  `p50 ${r.p50} ms, p99 ${r.p99} ms; ` +
  Object.entries(r.statuses)
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ') +
  (r.errors ? `, ${r.errors} socket errors` : '') +
  (stockOut ? '; the solved proofs ran out (the 400s): the rate is a floor' : '')

/**
 * One SQLite commit on the disk DATA_DIR lives on, as the store opens it (WAL, synchronous=FULL:
 * fsync'd), against synchronous=NORMAL (not fsync'd: lost on power failure, not on a crash).
 * better-sqlite3 waits for each on the event loop; the store groups the writes of one turn of
 * the loop into one commit (src/store/sqlite/db.ts), so concurrent submissions share it.
 */
function commitMs(sync: 'FULL' | 'NORMAL', n: number): number {
  const dir = tempDir('commit')
  try {
    const db = new Database(join(dir, 'c.sqlite'))
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${sync}`)
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)')
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
    const blob = Buffer.alloc(4096)
    const t0 = performance.now()
    for (let i = 0; i < n; i++) insert.run(blob)
    const ms = (performance.now() - t0) / n
    db.close()
    return ms
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One part of the section failing (a server that does not start) leaves the others standing. */
async function part(name: string, rows: Row[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (err) {
    rows.push({
      section: 'submissions',
      name: `${name}: FAILED`,
      value: NaN,
      unit: '',
      note: (err as Error).message.slice(0, 200),
    })
  }
}

export const submissions: Section = {
  name: 'submissions',
  async run(ctx) {
    const rows: Row[] = []
    const sqlite = await submitRun(ctx, { cases: 0 })
    const accepted = sqlite.result.okPerS
    rows.push({
      section: 'submissions',
      name: 'accepted reports/s, embedded SQLite',
      value: accepted,
      unit: '/s',
      target: '≥ 1000/s, 0 errors',
      met: accepted >= 1000 && sqlite.result.unexpected === 0 && sqlite.result.errors === 0,
      note: statusNote(sqlite),
    })
    const full = commitMs('FULL', ctx.quick ? 100 : 300)
    const normal = commitMs('NORMAL', ctx.quick ? 100 : 300)
    rows.push({
      section: 'submissions',
      name: 'one SQLite commit, WAL + synchronous=FULL',
      value: full,
      unit: 'ms',
      baseline: { name: 'synchronous=NORMAL', value: normal },
      ratio: full / normal,
      note: `at most ${Math.floor(1000 / full)} fsync'd commits/s on this disk, each shared by every request of one event-loop turn (group commit, src/store/sqlite/db.ts)`,
    })
    const mongo = await startMongo()
    if (mongo) {
      await part('MongoDB (FerretDB)', rows, async () => {
        const m = await submitRun(ctx, { cases: 0, mongoUri: mongo.uri })
        rows.push({
          section: 'submissions',
          name: 'accepted reports/s, MongoDB (FerretDB)',
          value: m.result.okPerS,
          unit: '/s',
          baseline: { name: 'SQLite', value: accepted },
          ratio: m.result.okPerS / accepted,
          note: statusNote(m),
        })
      }).finally(() => mongo.stop())
    } else {
      ctx.log('submissions: no FerretDB in .cache/bin and no MONGODB_URI: MongoDB figure skipped')
    }
    rows.push(
      {
        section: 'memory',
        name: 'portal RSS idle (submissions)',
        value: sqlite.rssIdle,
        unit: 'MiB',
      },
      {
        section: 'memory',
        name: 'portal RSS after submissions',
        value: sqlite.rssAfter,
        unit: 'MiB',
      }
    )

    // Growth: the same load with cases already stored.
    const sizes = [1000, 10_000, ctx.cases]
      .filter((c, i, a) => c > 0 && a.indexOf(c) === i)
      .sort((a, b) => a - b)
    for (const cases of sizes) {
      await part(`${cases} cases stored`, rows, async () => {
        const t0 = performance.now()
        const g = await submitRun(ctx, { cases })
        const seed = (performance.now() - t0) / 1000
        rows.push(
          {
            section: 'growth',
            name: `accepted/s with ${cases.toLocaleString('en')} cases stored`,
            value: g.result.okPerS,
            unit: '/s',
            baseline: { name: 'empty store', value: accepted },
            ratio: g.result.okPerS / accepted,
            note: `${statusNote(g)}; seeding+run ${seed.toFixed(0)} s`,
          },
          {
            section: 'memory',
            name: `portal RSS idle, ${cases.toLocaleString('en')} cases stored`,
            value: g.rssIdle,
            unit: 'MiB',
            note: `after submissions ${g.rssAfter.toFixed(0)} MiB`,
          }
        )
      })
    }
    return rows
  },
}
