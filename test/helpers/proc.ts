// Child processes for start-up, CLI and crash tests: the built server and CLI (dist/, built by
// `npm test`'s pretest; test/setup/global.ts refuses a missing or stale build) or a fixture.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, renameSync } from 'node:fs'
import { resolve } from 'node:path'
import { threadId } from 'node:worker_threads'
import { build } from 'esbuild'

export const ROOT = resolve(import.meta.dirname, '../..')
export const SERVER_JS = resolve(ROOT, 'dist/server.js')
export const CLI_JS = resolve(ROOT, 'dist/cli.js')

export interface Running {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function run(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.on('exit', (code, signal) => ok({ code, signal }))
  )
  return { child, stdout: () => out, stderr: () => err, exited }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string
) {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const fixtures = new Map<string, Promise<string>>()

/**
 * A fixture (test/fixtures/<name>.ts) bundled to plain JavaScript the way tools/scripts/build.mjs
 * bundles the server (packages stay external), for `run([await fixture(name), ...args])`.
 * `node --import tsx` compiled the fixture and the store code it imports in every child, with a
 * cold cache in each run's temporary directory (issue 12, point 8). Bundled once per worker into
 * .cache/test-fixtures (ignored by git; node_modules resolves from there), written under a
 * temporary name and renamed, so two workers never see half a file.
 */
export function fixture(name: string): Promise<string> {
  let built = fixtures.get(name)
  if (!built) {
    built = (async () => {
      const dir = resolve(ROOT, '.cache/test-fixtures')
      mkdirSync(dir, { recursive: true })
      const out = resolve(dir, `${name}.mjs`)
      const tmp = resolve(dir, `${name}.${process.pid}.${threadId}.tmp.mjs`)
      await build({
        absWorkingDir: ROOT,
        entryPoints: [resolve(ROOT, `test/fixtures/${name}.ts`)],
        outfile: tmp,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        logLevel: 'warning',
      })
      renameSync(tmp, out)
      return out
    })()
    fixtures.set(name, built)
  }
  return built
}
