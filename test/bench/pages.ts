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

async function measure(ctx: BenchContext, url: string): Promise<LoadResult> {
  // A short warm-up first: JIT, caches and keep-alive connections settle before the count.
  await load({ url, connections: ctx.connections, seconds: 1 })
  return load({ url, connections: ctx.connections, seconds: ctx.seconds })
}

const note = (r: LoadResult) =>
  `p50 ${r.p50} ms, p99 ${r.p99} ms${r.errors || r.unexpected ? `, errors ${r.errors + r.unexpected}` : ''}`

export const pages: Section = {
  name: 'pages',
  async run(ctx) {
    await buildBare()
    const rows: Row[] = []
    const bare = async (file: string) => {
      const s = await startNode([join(BUILD, file)], { BARE_VIEWS: join(ROOT, 'test/bench/bare') })
      try {
        return { r: await measure(ctx, `${s.url}/`), rss: s.rssMiB() }
      } finally {
        await s.stop()
      }
    }
    const hello = await bare('hello.js')
    const eta = await bare('eta.js')
    const helloBase = { name: 'bare Hono hello', value: hello.r.rps }
    const etaBase = { name: 'bare Hono+Eta 4.6 kB', value: eta.r.rps }
    rows.push(
      {
        section: 'pages',
        name: 'bare Hono "hello"',
        value: hello.r.rps,
        unit: 'req/s',
        note: note(hello.r),
      },
      {
        section: 'pages',
        name: 'bare Hono + Eta page',
        value: eta.r.rps,
        unit: 'req/s',
        note: note(eta.r),
      }
    )

    const dir = tempDir('pages')
    let portal: Running | undefined
    try {
      const env = await seedPortal({ dataDir: dir })
      portal = await startPortal(env)
      const memory: Row[] = [
        {
          section: 'memory',
          name: 'portal RSS idle (after start)',
          value: portal.rssMiB(),
          unit: 'MiB',
        },
      ]
      const targets: [string, string, { name: string; value: number }][] = [
        ['/healthz', '/healthz (store ping)', helloBase],
        ['/', 'landing page', etaBase],
        ['/report', 'report form', etaBase],
        ['/status', '/status (receipt login)', etaBase],
      ]
      for (const [path, name, base] of targets) {
        const r = await measure(ctx, `${portal.url}${path}`)
        const ok = r.errors === 0 && r.unexpected === 0
        rows.push({
          ...withBaseline(
            { section: 'pages', name, value: r.rps, unit: 'req/s', note: note(r) },
            base
          ),
          target: '≥ 0.60×',
        })
        const last = rows[rows.length - 1]!
        last.met = ok && (last.ratio ?? 0) >= 0.6
        rows.push({
          section: 'pages',
          name: `${name} p99 at ${ctx.connections} conns`,
          value: r.p99,
          unit: 'ms',
          target: '≤ 10 ms',
          met: r.p99 <= 10,
        })
        memory.push({
          section: 'memory',
          name: `portal RSS after ${path} load`,
          value: portal.rssMiB(),
          unit: 'MiB',
        })
      }
      memory.push(
        {
          section: 'memory',
          name: 'bare Hono hello RSS under load',
          value: hello.rss,
          unit: 'MiB',
        },
        { section: 'memory', name: 'bare Hono+Eta RSS under load', value: eta.rss, unit: 'MiB' }
      )
      return [...rows, ...memory]
    } finally {
      await portal?.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
