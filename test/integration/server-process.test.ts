// The built server as a real process: start-up errors, health, data location, clean shutdown.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { run, SERVER_JS, waitFor } from '../helpers/proc'

const dirs: string[] = []
function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'portal-proc-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

function expectOneParagraphWithoutStack(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /)
  expect(stderr).toMatch(/^portal: cannot start\./)
}

describe('server process', () => {
  it('exists (npm test builds it first)', () => {
    expect(existsSync(SERVER_JS)).toBe(true)
  })

  it('refuses a bad configuration with one readable message', async () => {
    const p = run([SERVER_JS], { PORT: 'abc', MONGODB_URI: 'http://nope', DATA_DIR: tempDir() })
    const { code } = await p.exited
    expect(code).not.toBe(0)
    expectOneParagraphWithoutStack(p.stderr())
    expect(p.stderr()).toContain('PORT must be a whole number')
    expect(p.stderr()).toContain('MONGODB_URI must start with mongodb://')
  })

  it('refuses production without secrets', async () => {
    const p = run([SERVER_JS], { NODE_ENV: 'production', DATA_DIR: tempDir() })
    expect((await p.exited).code).not.toBe(0)
    expectOneParagraphWithoutStack(p.stderr())
    expect(p.stderr()).toContain('SESSION_SECRET is required in production')
  })

  it('names an unreachable MongoDB', async () => {
    const port = await freePort() // nothing listens there
    const p = run([SERVER_JS], {
      MONGODB_URI: `mongodb://127.0.0.1:${port}/portal`,
      PORT: String(await freePort()),
      DATA_DIR: tempDir(),
    })
    const { code } = await p.exited
    expect(code).not.toBe(0)
    expectOneParagraphWithoutStack(p.stderr())
    expect(p.stderr()).toContain('MONGODB_URI')
  }, 30_000)

  it('serves, keeps its data in DATA_DIR and shuts down cleanly on SIGTERM', async () => {
    const dataDir = tempDir()
    const port = await freePort()
    const p = run([SERVER_JS], { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' })
    await waitFor(
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok
        } catch {
          return false
        }
      },
      15_000,
      'the server to answer /healthz'
    )
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()
    expect(health).toEqual({ status: 'ok', store: 'sqlite' })
    const landing = await fetch(`http://127.0.0.1:${port}/`)
    expect(await landing.text()).toContain('lang="uk"')
    // Idle connections outlive a proxy's pool (Caddy: 2 minutes), so the proxy closes them first.
    expect(landing.headers.get('keep-alive')).toBe('timeout=125')
    expect(existsSync(join(dataDir, 'portal.sqlite'))).toBe(true)
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(true)
    p.child.kill('SIGTERM')
    const { code } = await p.exited
    expect(code).toBe(0)
    expect(p.stdout()).not.toContain('127.0.0.1:' + String(port) + '/healthz')
  }, 30_000)

  it('keeps the first-run setup link out of the log when stdout is not a terminal', async () => {
    const dataDir = tempDir()
    const port = await freePort()
    const p = run([SERVER_JS], { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' })
    const file = join(dataDir, 'setup-link.txt')
    await waitFor(
      () => p.stdout().includes('portal listening') && existsSync(file),
      15_000,
      'the server to start'
    )
    const link = readFileSync(file, 'utf8').trim()
    expect(link).toMatch(/^http:\/\/[^/]+\/staff\/setup\?token=[A-Za-z0-9_-]{43}$/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const token = new URL(link).searchParams.get('token')!
    const output = p.stdout() + p.stderr()
    expect(output).not.toContain(token)
    expect(output).not.toContain('token=')
    expect(output).toContain('setup-link.txt')
    p.child.kill('SIGTERM')
    expect((await p.exited).code).toBe(0)
  }, 30_000)
})
