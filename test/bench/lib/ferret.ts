// FerretDB (.cache/bin/ferretdb, SQLite handler) on a free loopback port, started as
// test/setup/global.ts starts it; MONGODB_URI when set is used instead.
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { tempDir } from './seed'
import { freePort, ROOT } from './server'

const BINARY = join(ROOT, '.cache/bin/ferretdb')

async function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), done(true)))
    s.once('error', () => done(false))
  })
}

export async function startMongo(): Promise<{ uri: string; stop(): void } | undefined> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: () => undefined }
  if (!existsSync(BINARY)) return undefined
  const port = await freePort()
  const dir = tempDir('ferret')
  const child = spawn(
    BINARY,
    [`--listen-addr=127.0.0.1:${port}`, `--sqlite-url=file:${dir}/`, '--log-level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
  const until = Date.now() + 15_000
  while (!(await listening(port))) {
    if (Date.now() > until) throw new Error('FerretDB did not start within 15 s')
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    stop: () => {
      child.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
