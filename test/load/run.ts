// Load: 200 concurrent reporters sending real client-sealed reports to the server in its own
// process on 127.0.0.1, on the embedded store and on FerretDB; then a count proving every
// accepted report is stored exactly once and opens with the officer's key. Prints p50/p99,
// errors, accepted/stored/lost and the server's RSS. Never part of `npm test`.
//
//   npm run test:load                          # 60 s per engine, 200 reporters, both engines
//   npm run test:load -- --seconds 15 --concurrency 50 --engine sqlite
//   npm run test:load -- --soak                # 10 minutes per engine, memory every 30 s
//   npm run test:load -- --pow-bits 15         # the submission proof of work at production cost
//
// The portal runs at --pow-bits 8 unless told (as the submissions bench does): its check and spend
// of each proof are the same at any difficulty, while solving 15 bits (2^15 SHA-256 per report)
// for 200 reporters in this one process made the load script, not the server, the bottleneck.
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
    'pow-bits': { type: 'string', default: '8' },
    /** Reports sealed before the clock starts (the rest are sealed live). */
    presealed: { type: 'string' },
  },
})
const seconds = Number(values.seconds ?? (values.soak ? 600 : 60))
const concurrency = Number(values.concurrency)
const powBits = Number(values['pow-bits'])
const engines: Engine[] = values.engine === 'both' ? ['sqlite', 'mongo'] : [values.engine as Engine]
if (
  !engines.every((e) => e === 'sqlite' || e === 'mongo') ||
  !(seconds > 0) ||
  !(concurrency > 0) ||
  !(Number.isInteger(powBits) && powBits >= 0)
) {
  console.error(
    'usage: --engine sqlite|mongo|both --seconds N --concurrency N [--soak] [--pow-bits N]'
  )
  process.exit(2)
}

const q = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
const mib = (n: number) => `${n.toFixed(0)} MiB`

let failed = false
for (const engine of engines) {
  console.log(
    `\n== ${engine}: ${concurrency} reporters for ${seconds} s, proof of work ${powBits} bits ==`
  )
  const target = await startTarget(engine, { powBits })
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
    for (const [what, n] of target.errorsLogged()) console.log(`  server logged ${n}× ${what}`)
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
      const c = await countStored(store, target.officer, out.accepted, target.allItems)
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
