// Servers under load, each in its own process: the portal exactly as `npm start` runs it
// (node --enable-source-maps dist/server.js), and the bare Hono baselines built the same way.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../../..')

export async function freePort(): Promise<number> {
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

export interface Running {
  url: string
  pid: number
  /** Resident set size of the server process, in MiB (from /proc). */
  rssMiB(): number
  stop(): Promise<void>
}

export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

async function waitFor(url: string, child: ChildProcess, err: () => string): Promise<void> {
  const until = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${err()}`)
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server did not answer ${url}: ${err()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Starts `node <args>` with PORT set; resolves once `ready` (a path) answers 200. */
export async function startNode(
  args: string[],
  env: Record<string, string>,
  ready = '/healthz'
): Promise<Running> {
  const port = await freePort()
  let stderr = ''
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: `${port}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000)
  })
  const url = `http://127.0.0.1:${port}`
  await waitFor(`${url}${ready}`, child, () => stderr)
  const pid = child.pid!
  return {
    url,
    pid,
    rssMiB: () => rssMiB(pid),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
      }),
  }
}

/**
 * The portal as `npm start` starts it, on its own DATA_DIR (and MONGODB_URI when given). With
 * BENCH_CPU_PROF=dir each portal runs under `node --cpu-prof` and writes a .cpuprofile into dir
 * when it stops (Chrome DevTools or speedscope open it): the profile behind a missed target.
 */
export function startPortal(env: Record<string, string>): Promise<Running> {
  const dir = process.env.BENCH_CPU_PROF
  const profile = dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []
  return startNode([...profile, '--enable-source-maps', 'dist/server.js'], {
    HOST: '127.0.0.1',
    ...env,
  })
}
