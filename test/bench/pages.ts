// Pages under load (issue 12, point 1): the portal's landing page, report form, /status and
// /healthz, each against a bare Hono "hello" and a bare Hono + Eta page of similar size, every
// server in its own process, measured in the same run. Memory (point 7) is read alongside.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { BenchContext, Section } from './lib/context'
import { load, type LoadResult } from './lib/load'
import { seedPortal, tempDir } from './lib/seed'
import { ROOT, startNode, startPortal, type Running } from './lib/server'
import { withBaseline, type Row } from './lib/table'

const BUILD = join(ROOT, 'bench-results/.build')

/** The baselines are bundled like dist/server.js, so both run the same way (plain node). */
async function buildBare(): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['test/bench/bare/hello.ts', 'test/bench/bare/eta.ts'],
    outdir: BUILD,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  })
}

/**
 * Loads every target in turn, in `rounds` short turns each, so that the baselines and the
 * portal share whatever else the machine is doing: on a busy 2-core machine, measuring one
 * after the other lets the load of the moment decide the ratio. Totals over all turns; p50/p99
 * are the median of the turns.
 */
async function interleaved(
  ctx: BenchContext,
  urls: string[],
  rounds: number
): Promise<LoadResult[]> {
  const seconds = Math.max(1, Math.round(ctx.seconds / rounds))
  for (const url of urls) await load({ url, connections: ctx.connections, seconds: 1 })
  const turns: LoadResult[][] = urls.map(() => [])
  for (let r = 0; r < rounds; r++) {
    for (const [i, url] of urls.entries()) {
      turns[i]!.push(await load({ url, connections: ctx.connections, seconds }))
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  return turns.map((ts) => ({
    rps: sum(ts.map((t) => t.rps)) / ts.length,
    okPerS: sum(ts.map((t) => t.okPerS)) / ts.length,
    p50: median(ts.map((t) => t.p50)),
    p99: median(ts.map((t) => t.p99)),
    errors: sum(ts.map((t) => t.errors)),
    unexpected: sum(ts.map((t) => t.unexpected)),
    statuses: {},
  }))
}

const note = (r: LoadResult) =>
  `p50 ${r.p50} ms, p99 ${r.p99} ms${r.errors || r.unexpected ? `, errors ${r.errors + r.unexpected}` : ''}`

export const pages: Section = {
  name: 'pages',
  async run(ctx) {
    await buildBare()
    const dir = tempDir('pages')
    const servers: Running[] = []
    try {
      const views = { BARE_VIEWS: join(ROOT, 'test/bench/bare') }
      const hello = await startNode([join(BUILD, 'hello.js')], views)
      servers.push(hello)
      const eta = await startNode([join(BUILD, 'eta.js')], views)
      servers.push(eta)
      const portal = await startPortal(await seedPortal({ dataDir: dir }))
      servers.push(portal)
      const memory: Row[] = [
        {
          section: 'memory',
          name: 'portal RSS idle (after start)',
          value: portal.rssMiB(),
          unit: 'MiB',
        },
      ]
      const paths: [string, string][] = [
        ['/healthz', '/healthz (store ping)'],
        ['/', 'landing page'],
        ['/report', 'report form'],
        ['/status', '/status (receipt login)'],
      ]
      const results = await interleaved(
        ctx,
        [`${hello.url}/`, `${eta.url}/`, ...paths.map(([p]) => `${portal.url}${p}`)],
        ctx.quick ? 2 : 4
      )
      const [h, e, ...mine] = results as [LoadResult, LoadResult, ...LoadResult[]]
      const helloBase = { name: 'bare Hono hello', value: h.rps }
      const etaBase = { name: 'bare Hono+Eta 4.6 kB', value: e.rps }
      const rows: Row[] = [
        { section: 'pages', name: 'bare Hono "hello"', value: h.rps, unit: 'req/s', note: note(h) },
        {
          section: 'pages',
          name: 'bare Hono + Eta page',
          value: e.rps,
          unit: 'req/s',
          note: note(e),
        },
      ]
      for (const [i, [path, name]] of paths.entries()) {
        const r = mine[i]!
        const row = withBaseline(
          { section: 'pages', name, value: r.rps, unit: 'req/s', note: note(r), target: '≥ 0.60×' },
          path === '/healthz' ? helloBase : etaBase
        )
        row.met = r.errors === 0 && r.unexpected === 0 && (row.ratio ?? 0) >= 0.6
        rows.push(row, {
          section: 'pages',
          name: `${name} p99 at ${ctx.connections} conns`,
          value: r.p99,
          unit: 'ms',
          target: '≤ 10 ms',
          met: r.p99 <= 10,
        })
      }
      memory.push(
        {
          section: 'memory',
          name: 'portal RSS after the page loads',
          value: portal.rssMiB(),
          unit: 'MiB',
        },
        {
          section: 'memory',
          name: 'bare Hono hello RSS after load',
          value: hello.rssMiB(),
          unit: 'MiB',
        },
        {
          section: 'memory',
          name: 'bare Hono+Eta RSS after load',
          value: eta.rssMiB(),
          unit: 'MiB',
        }
      )
      return [...rows, ...memory]
    } finally {
      for (const s of servers) await s.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
