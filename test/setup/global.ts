// Vitest global setup: finds (or starts) a MongoDB-protocol server for the Mongo tests
// and a Chromium for the browser tests, and hands both to the workers with provide().
//
// MONGODB_URI set        -> use that server.
// .cache/bin/ferretdb    -> start FerretDB (SQLite handler) on a free loopback port, stop it after.
// neither                -> Mongo tests report themselves skipped; REQUIRE_MONGO=1 turns that into a failure.
//
// It belongs to the root config (vitest.config.ts), so one run starts one FerretDB that every
// project shares; a run of only the unit project (`npm run test:unit`) starts nothing.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string
    chromiumPath: string
  }
}

const root = resolve(import.meta.dirname, '../..')
const ferretBinary = resolve(root, '.cache/bin/ferretdb')
const chromiumCandidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
]

/** Newest modification time of the files below `dir`, in ms. */
function newest(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs)
  }
  return t
}

/**
 * Integration and e2e tests run the built server, CLI and browser bundles (faster than tsx per
 * process): refuse a build that is missing or older than the sources rather than test stale code.
 */
function checkBuild(): void {
  const built = ['dist/server.js', 'dist/cli.js'].map((f) => resolve(root, f))
  if (!built.every((f) => existsSync(f))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it first)')
  }
  const builtAt = Math.min(...built.map((f) => statSync(f).mtimeMs))
  if (['src', 'crypto'].some((d) => newest(resolve(root, d)) > builtAt)) {
    throw new Error('dist/ is older than src/: run `npm run build` (npm test does it first)')
  }
}

/**
 * The run's temporary directory, made the TMPDIR of every worker, FerretDB and child process
 * started after it: on a RAM file system (/dev/shm) when it has room, so that SQLite's fsync on
 * every commit (synchronous = FULL, src/store/sqlite/db.ts) and FerretDB's costs no disk wait.
 * A flood of 3,000 receipt logins took 24 s on /tmp and 9 s here on the loaded 2-core machine
 * (issue 12, point 8). The same code runs, fsync included; only the device differs.
 * TEST_TMPDIR chooses another parent.
 */
function runTmpDir(): string {
  const GiB = 2 ** 30
  const roomy = (dir: string) => {
    try {
      const s = statfsSync(dir)
      return s.bavail * s.bsize >= 2 * GiB
    } catch {
      return false
    }
  }
  const parent = process.env.TEST_TMPDIR ?? (roomy('/dev/shm') ? '/dev/shm' : tmpdir())
  return mkdtempSync(join(parent, 'portal-tests-'))
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() =>
        typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))
      )
    })
  })
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => (s.destroy(), done(true)))
      s.once('error', () => done(false))
    })
    if (ok) return
    if (Date.now() > until) {
      throw new Error(`FerretDB did not listen on ${port} within ${timeoutMs} ms`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

export default async function setup(project: TestProject) {
  // Unit tests use neither server: a unit-only run neither starts nor requires them.
  const needsServers = project.vitest.projects.some((p) => p.name !== 'unit')
  if (needsServers) checkBuild()
  const runTmp = runTmpDir()
  process.env.TMPDIR = runTmp
  let ferret: ChildProcess | undefined
  const stop = () => {
    ferret?.kill('SIGTERM')
    // FerretDB and a closing Chromium may still write into it for a moment (ENOTEMPTY): retry,
    // and leave a temporary folder behind rather than fail a run that passed.
    try {
      rmSync(runTmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
    } catch (err) {
      console.warn(`left the test run's temporary folder ${runTmp}: ${String(err)}`)
    }
  }
  if (!needsServers) {
    project.provide('mongoUri', '')
    project.provide('chromiumPath', '')
    return stop
  }

  let mongoUri = process.env.MONGODB_URI ?? ''
  const chromiumPath = chromiumCandidates.find((p): p is string => !!p && existsSync(p)) ?? ''
  try {
    if (!mongoUri && existsSync(ferretBinary)) {
      const port = await freePort()
      const ferretDir = mkdtempSync(join(runTmp, 'ferretdb-'))
      ferret = spawn(
        ferretBinary,
        [`--listen-addr=127.0.0.1:${port}`, `--sqlite-url=file:${ferretDir}/`, '--log-level=error'],
        { stdio: ['ignore', 'ignore', 'inherit'] }
      )
      await waitForPort(port, 15_000)
      mongoUri = `mongodb://127.0.0.1:${port}/`
    }
    if (!mongoUri && process.env.REQUIRE_MONGO === '1') {
      throw new Error(
        'REQUIRE_MONGO=1 but no MongoDB server: set MONGODB_URI or run npm run build:ferretdb first'
      )
    }

    if (!chromiumPath && process.env.REQUIRE_BROWSER === '1') {
      throw new Error(
        'REQUIRE_BROWSER=1 but no Chromium: install Debian chromium or set CHROMIUM_PATH'
      )
    }
  } catch (e) {
    stop()
    throw e
  }

  project.provide('mongoUri', mongoUri)
  project.provide('chromiumPath', chromiumPath)

  return stop
}
