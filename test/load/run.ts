// Load: 200 concurrent reporters sending real client-sealed reports to the server in its own
// process on 127.0.0.1, on the embedded store and on FerretDB; then a count proving every
// accepted report is stored exactly once and opens with the officer's key. Prints p50/p99,
// errors, accepted/stored/lost and the server's RSS. Never part of `npm test`.
//
//   npm run test:load                          # 60 s per engine, 200 reporters, both engines
//   npm run test:load -- --seconds 15 --concurrency 50 --engine sqlite
//   npm run test:load -- --soak                # 10 minutes per engine, memory every 30 s
import { parseArgs } from 'node:util'
import { runReporters } from './reporters'
import { startTarget, type Engine } from './server'
import { countStored } from './verify'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    concurrency: { type: 'string', default: '200' },
    engine: { type: 'string', default: 'both' },
    soak: { type: 'boolean', default: false },
    'memory-every': { type: 'string', default: '30' },
    /** Reports sealed before the clock starts (the rest are sealed live). */
    presealed: { type: 'string' },
  },
})
const seconds = Number(values.seconds ?? (values.soak ? 600 : 60))
const concurrency = Number(values.concurrency)
const engines: Engine[] = values.engine === 'both' ? ['sqlite', 'mongo'] : [values.engine as Engine]
if (
  !engines.every((e) => e === 'sqlite' || e === 'mongo') ||
  !(seconds > 0) ||
  !(concurrency > 0)
) {
  console.error('usage: --engine sqlite|mongo|both --seconds N --concurrency N [--soak]')
  process.exit(2)
}

const q = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
const mib = (n: number) => `${n.toFixed(0)} MiB`

let failed = false
for (const engine of engines) {
  console.log(`\n== ${engine}: ${concurrency} reporters for ${seconds} s ==`)
  const target = await startTarget(engine)
  try {
    const rssStart = target.rssMiB()
    console.log(`server pid ${target.pid} on ${target.base}, RSS at start ${mib(rssStart)}`)
    const t0 = performance.now()
    const memory = setInterval(
      () => {
        const s = ((performance.now() - t0) / 1000).toFixed(0)
        console.log(`  ${s.padStart(4)} s  RSS ${mib(target.rssMiB())}`)
      },
      Number(values['memory-every']) * 1000
    )
    const out = await runReporters(target.base, {
      concurrency,
      durationMs: seconds * 1000,
      label: engine,
      presealed: Number(values.presealed ?? concurrency * 3),
    })
    clearInterval(memory)
    const elapsed = out.elapsedMs / 1000
    const rssEnd = target.rssMiB()
    const lat = [...out.latencies].sort((a, b) => a - b)
    const errors = [...out.errors].map(([k, n]) => `${k}: ${n}`).join(', ') || 'none'
    console.log(
      `submissions ${lat.length} in ${elapsed.toFixed(1)} s (${(out.accepted.size / elapsed).toFixed(1)} accepted/s)`
    )
    console.log(
      `latency of POST /api/report  p50 ${q(lat, 0.5).toFixed(0)} ms  p99 ${q(lat, 0.99).toFixed(0)} ms`
    )
    console.log(`errors ${errors}`)
    console.log(`RSS start ${mib(rssStart)}  end ${mib(rssEnd)}`)

    // Requests the reporters gave up on may still be running in the server: let it finish them
    // (the count of cases stops moving) before it is stopped, so the count sees the end state.
    const store = await target.openStore()
    let last = -1
    for (let still = 0, i = 0; still < 3 && i < 300; i++) {
      const total = (await store.cases.list({}, 1, 1)).total
      still = total === last ? still + 1 : 0
      last = total
      await new Promise((r) => setTimeout(r, 1000))
    }
    await target.stopServer()
    try {
      const c = await countStored(store, target.officer, out.accepted)
      console.log(
        `accepted ${c.accepted}  stored ${c.stored}  lost ${c.lost}  duplicated ${c.duplicated}  unreadable ${c.unreadable}  stored-unacknowledged ${c.unacknowledged}`
      )
      if (c.problems.length) console.log(`  e.g. ${c.problems.slice(0, 3).join('; ')}`)
      if (c.lost || c.duplicated || c.unreadable || c.accepted === 0) failed = true
    } finally {
      await store.close()
    }
  } finally {
    await target.stop()
  }
}
if (failed) {
  console.log('\nFAILED: a report was lost, duplicated or unreadable (or none was accepted)')
  process.exit(1)
}
