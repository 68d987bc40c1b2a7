// What each middleware every request pays costs (issue 12, point 1): the same fixed page behind
// the first n layers of createApp's stack (n = 0…6), timed in process with app.request(), in
// interleaved rounds, as CPU time (process.cpuUsage) and each depth's cheapest round: on a
// shared machine that is the figure least disturbed by other load. The HTTP side (node-server) is in the pages rows.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { LAYERS, stackApp } from './bare/stack'
import type { Section } from './lib/context'
import { tempDir } from './lib/seed'
import type { Row } from './lib/table'
import { loadConfig } from '../../src/config'
import { createLogger } from '../../src/log'
import { openSqliteStore } from '../../src/store/sqlite'

export const middleware: Section = {
  name: 'middleware',
  async run(ctx) {
    const dir = tempDir('stack')
    const config = loadConfig({ DATA_DIR: dir })
    const store = await openSqliteStore({ file: join(dir, 'portal.sqlite') })
    // The log line goes where `npm start` sends it (stdout), here a sink that drops it.
    const log = createLogger(config, { write: () => undefined })
    try {
      const apps = Array.from({ length: LAYERS.length + 1 }, (_, d) =>
        stackApp(d, { config, store, log })
      )
      const n = ctx.quick ? 1000 : 3000
      const best = apps.map(() => Infinity)
      for (let round = 0; round < (ctx.quick ? 3 : 7); round++) {
        for (const [d, app] of apps.entries()) {
          const t0 = process.cpuUsage()
          for (let i = 0; i < n; i++) await (await app.request('/')).arrayBuffer()
          const used = process.cpuUsage(t0)
          best[d] = Math.min(best[d]!, (used.user + used.system) / n)
        }
      }
      return best.map((us, d): Row => {
        const added = d === 0 ? undefined : us - best[d - 1]!
        return {
          section: 'middleware',
          name: d === 0 ? 'fixed page, no middleware' : `+ ${LAYERS[d - 1]}`,
          value: us,
          unit: 'µs/req',
          ...(d === 0 ? {} : { baseline: { name: 'one layer less', value: best[d - 1]! } }),
          note: added === undefined ? 'CPU time, app.request()' : `adds ${added.toFixed(1)} µs`,
        }
      })
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
