// `npm run bench`: every figure of issue 12 beside a baseline measured in the same run, as one
// table, also written to bench-results/latest.json. Never a test. Load only targets 127.0.0.1,
// with autocannon; each server runs in its own process, the portal as `npm start` runs it.
//
//   npm run bench                      full run (under 10 minutes)
//   npm run bench -- --quick           short runs, fewer cases (under 2 minutes)
//   npm run bench -- --only pages,crypto
//   [--seconds 10 --connections 50 --cases 100000 --out bench-results/latest.json]
import { existsSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { spawnSync } from 'node:child_process'
import type { BenchContext, Section } from './lib/context'
import { ROOT } from './lib/server'
import { printTable, writeJson, type Row } from './lib/table'
import { pages } from './pages'
import { middleware } from './middleware'
import { submissions } from './submissions'
import { cryptoNode } from './crypto-node'
import { cryptoBrowser } from './crypto-browser'
import { downloads } from './downloads'
import { benchAnnualReport } from './annual-report'
import { inbox } from './inbox-section'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '50' },
    cases: { type: 'string' },
    out: { type: 'string', default: 'bench-results/latest.json' },
  },
})
const quick = values.quick === true

/** The annual report over `cases` cases of 2020, each format against a raw scan of the same rows. */
const annualReport: Section = {
  name: 'annual-report',
  async run(ctx) {
    // One run each: over 100,000 cases a format takes seconds on a busy 2-core machine, and the
    // whole bench must stay under 10 minutes.
    return benchAnnualReport({ cases: ctx.cases, runs: 1 })
  },
}

const SECTIONS: Section[] = [
  pages,
  middleware,
  submissions,
  inbox,
  annualReport,
  cryptoNode,
  cryptoBrowser,
  downloads,
]

const only = values.only?.split(',').map((s) => s.trim())
const chromiumPath =
  [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p): p is string => !!p && existsSync(p)
  ) ?? ''
const ctx: BenchContext = {
  quick,
  seconds: Number(values.seconds ?? (quick ? 3 : 10)),
  connections: Number(values.connections),
  cases: Number(values.cases ?? (quick ? 10_000 : 100_000)),
  mongoUri: '',
  chromiumPath,
  log: (line) => console.log(line),
}

if (!existsSync(join(ROOT, 'dist/server.js'))) {
  spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' })
}
const started = performance.now()
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  quick,
  seconds: ctx.seconds,
  connections: ctx.connections,
  cases: ctx.cases,
}
console.log(
  `node ${meta.node}, ${meta.cpus} CPUs, load ${meta.loadavg.join(' ')}; ${ctx.connections} connections, ${ctx.seconds} s a run, loopback only`
)
const rows: Row[] = []
for (const s of SECTIONS) {
  if (only && !only.includes(s.name)) continue
  const t0 = performance.now()
  console.log(`\n== ${s.name}`)
  try {
    rows.push(...(await s.run(ctx)))
  } catch (err) {
    console.log(`${s.name} failed: ${(err as Error).stack ?? String(err)}`)
    rows.push({
      section: s.name,
      name: 'FAILED',
      value: NaN,
      unit: '',
      note: (err as Error).message,
    })
  }
  console.log(`   (${((performance.now() - t0) / 1000).toFixed(0)} s)`)
}
console.log('')
printTable(rows)
const seconds = (performance.now() - started) / 1000
console.log(`\nwhole run ${seconds.toFixed(0)} s; JSON in ${values.out}`)
writeJson(resolve(ROOT, values.out), { ...meta, wallSeconds: Math.round(seconds) }, rows)
