// The image's commands without Docker (issue 13, point 2; there is no Docker engine on the build
// machines). The test reads the Dockerfile, so it follows the file: the build stage's npm commands
// are .ci/run's, its `npm run build` runs on exactly the files the stage copies (node_modules from
// the same lock file linked in, instead of a second `npm ci`), and the runtime stage's CMD is started with the stage's ENV on a read-only tree (a private mount namespace, as root), with
// DATA_DIR its only writable place; then the HEALTHCHECK command is run as Docker would run it.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, waitFor } from '../helpers/proc'

interface Stage {
  name: string
  instructions: { op: string; args: string }[]
}

/** Dockerfile → stages of (instruction, arguments), continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const stages: Stage[] = []
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? []
    if (op.toUpperCase() === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '', instructions: [] })
    }
    stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args })
  }
  return stages
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
const stages = parseDockerfile(dockerfile)
const runtime = stages.at(-1)!
const all = (stage: Stage, op: string) =>
  stage.instructions.filter((i) => i.op === op).map((i) => i.args)

/** ENV a=b c=d (and the legacy ENV a b) → a record. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {}
  for (const args of all(stage, 'ENV')) {
    if (!args.includes('=')) {
      const [k = '', ...v] = args.split(/\s+/)
      env[k] = v.join(' ')
      continue
    }
    for (const [, k = '', v = ''] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env[k] = v.replace(/^"|"$/g, '')
    }
  }
  return env
}

/** HEALTHCHECK [options] CMD <shell form> → the shell command. */
function healthcheckCommand(stage: Stage): string {
  const args = all(stage, 'HEALTHCHECK')[0] ?? ''
  const m = /\bCMD\s+(.*)$/.exec(args)
  if (!m?.[1] || m[1].startsWith('[')) throw new Error(`unexpected HEALTHCHECK: ${args}`)
  return m[1]
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

/** Whether this machine lets us make a read-only bind mount in a private mount namespace. */
function canMountReadOnly(): boolean {
  const probe = spawnSync(
    'unshare',
    [
      '-m',
      'sh',
      '-c',
      `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && ! touch "$1/.ro-probe" 2>/dev/null`,
      'sh',
      ROOT,
    ],
    { stdio: 'ignore' }
  )
  return probe.status === 0
}

const tracked = () => execFileSync('git', ['status', '--porcelain'], { cwd: ROOT }).toString()

describe('the container commands, without Docker', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-container-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('builds with the same npm commands as CI', () => {
    const build = stages.find((s) => s.name === 'build')
    expect(build, 'a stage named build').toBeDefined()
    const npm = all(build!, 'RUN').filter((r) => r.startsWith('npm '))
    expect(npm).toEqual(['npm ci --no-audit --no-fund', 'npm run build'])
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8').split('\n')
    for (const command of npm) expect(ci).toContain(command)
    // What `npm run build` made (npm test runs it first) is what the runtime stage copies.
    for (const copy of all(runtime, 'COPY')) {
      // From another stage: its WORKDIR /app is the repository here.
      const [from = ''] = copy.split(/\s+/).filter((w) => !w.startsWith('--'))
      const source = from.replace(/^\/app\//, '')
      expect(existsSync(join(ROOT, source)), `${source} (COPY ${copy})`).toBe(true)
    }
  })

  it("runs the build stage's build on exactly the files the stage copies", () => {
    const build = stages.find((s) => s.name === 'build')!
    const dir = mkdtempSync(join(tmpdir(), 'portal-image-build-'))
    try {
      for (const copy of all(build, 'COPY')) {
        const words = copy.split(/\s+/).filter((w) => !w.startsWith('--'))
        const dest = words.pop() ?? ''
        // COPY a b ./ copies into the folder; COPY src ./src copies to that name.
        const intoFolder = dest.endsWith('/') || dest === '.' || words.length > 1
        for (const source of words) {
          const target = intoFolder ? join(dir, dest, basename(source)) : join(dir, dest)
          cpSync(join(ROOT, source), target, {
            recursive: true,
            // .dockerignore keeps local build output out of the context.
            filter: (f) => !/\/static\/(js|vendor)(\/|$)|\.(br|gz)$/.test(f),
          })
        }
      }
      // `npm ci` is what made ./node_modules from the same lock file: linked, not repeated.
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
      for (const command of all(build, 'RUN').filter((r) => r.startsWith('npm run '))) {
        execFileSync('sh', ['-c', command], { cwd: dir, stdio: 'pipe', env: process.env })
      }
      expect(existsSync(join(dir, 'dist/server.js'))).toBe(true)
      expect(existsSync(join(dir, 'dist/cli.js'))).toBe(true)
      expect(readdirSync(join(dir, 'static/js')).length).toBeGreaterThan(5)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it('runs as a user other than root, with a health check that needs no curl', () => {
    const user = all(runtime, 'USER').at(-1) ?? 'root'
    expect(user).not.toMatch(/^(root|0)(:|$)/)
    expect(healthcheckCommand(runtime)).toMatch(/^node -e /)
    expect(all(runtime, 'VOLUME').join(' ')).toContain(envOf(runtime).DATA_DIR)
  })

  it('starts CMD with the image ENV on a read-only tree and passes HEALTHCHECK', async () => {
    const cmd = JSON.parse(all(runtime, 'CMD').at(-1) ?? '[]') as string[]
    expect(cmd[0]).toBe('node')
    const port = String(await freePort())
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...envOf(runtime),
      // The volume and the secrets the operator gives (compose.yaml): a free port, since the
      // machine runs other servers.
      DATA_DIR: dataDir,
      PORT: port,
      PUBLIC_URL: 'https://report.example.gov.ua',
      SESSION_SECRET: 'a'.repeat(64),
      RECEIPT_PEPPER: 'b'.repeat(64),
      DATA_KEY: 'c'.repeat(64),
      POW_BITS: '8',
    }
    expect(env.NODE_ENV).toBe('production')
    const before = tracked()
    const readOnly = canMountReadOnly()
    // With unshare: the repository (the image's /app) is mounted read-only for the server alone.
    const argv = readOnly
      ? [
          'unshare',
          '-m',
          'sh',
          '-c',
          'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && cd "$0" && exec "$@"',
          ROOT,
          process.execPath,
          ...cmd.slice(1),
        ]
      : [process.execPath, ...cmd.slice(1)]
    if (!readOnly) console.warn('container-commands: no mount namespace here; tree left writable')
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)))

    const healthcheck = (p: string) =>
      spawnSync('sh', ['-c', healthcheckCommand(runtime)], {
        cwd: ROOT,
        env: { ...env, PORT: p },
        timeout: 5_000,
      }).status
    try {
      await waitFor(() => healthcheck(port) === 0 || child.exitCode !== null, 30_000, 'health')
      expect(child.exitCode, output).toBeNull()
      expect(healthcheck(port)).toBe(0)
      // A page and a first-run write (the setup link, into DATA_DIR) worked on the read-only tree.
      // (The report form answers 503 until an officer is certified: the landing page instead.)
      const res = await fetch(`http://127.0.0.1:${port}/`)
      expect(res.status, output).toBe(200)
      expect(readdirSync(dataDir)).toEqual(
        expect.arrayContaining(['portal.sqlite', 'setup-link.txt'])
      )
      expect(output).not.toMatch(/EROFS|read-only file system/i)
    } finally {
      child.kill('SIGTERM')
    }
    // STOPSIGNAL SIGTERM: a clean exit.
    expect(await exited).toBe(0)
    // The check fails when nothing answers.
    expect(healthcheck(port)).not.toBe(0)
    expect(tracked()).toBe(before)
  }, 60_000)
})
