// docs/deployment.md stays true: its environment table names exactly the variables the code reads
// (and .env.example mentions each; compose.yaml sets no other), and every command it shows is in its
// closing table with a test that exists and runs that command.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'

const ROOT = resolve(import.meta.dirname, '../..')
const guide = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8')

/** The rows of the Markdown table that follows `heading`, as arrays of cells. */
function table(heading: string): string[][] {
  const start = guide.indexOf(`\n${heading}\n`)
  expect(start, heading).toBeGreaterThan(0)
  const rows: string[][] = []
  for (const line of guide.slice(start).split('\n').slice(2)) {
    if (line.startsWith('|'))
      rows.push(
        line
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim())
      )
    else if (rows.length > 0) break
  }
  return rows.slice(2) // header and separator
}

/** Every variable loadConfig reads, in development and in production (it reads some only there). */
function variablesRead(): Set<string> {
  const read = new Set<string>()
  const bases: Record<string, string | undefined>[] = [{}, { NODE_ENV: 'production' }]
  for (const base of bases) {
    const env = new Proxy(base, {
      get(target, name) {
        if (typeof name === 'string') read.add(name)
        return typeof name === 'string' ? target[name] : undefined
      },
    })
    try {
      loadConfig(env)
    } catch {
      // Production without secrets is refused: every variable has been read by then.
    }
  }
  // Anywhere else in src/: process.env.NAME or env.NAME.
  for (const entry of readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8')
    for (const [, name] of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)) read.add(name!)
  }
  return read
}

describe('docs/deployment.md', () => {
  it('documents exactly the environment variables the code reads', () => {
    const documented = new Set(table('## Environment').map((r) => r[0]!.replace(/`/g, '')))
    const read = variablesRead()
    expect(read.size).toBeGreaterThan(25)
    expect([...read].filter((v) => !documented.has(v)).sort(), 'read but not documented').toEqual(
      []
    )
    expect([...documented].filter((v) => !read.has(v)).sort(), 'documented but not read').toEqual(
      []
    )
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8')
    expect([...read].filter((v) => !example.includes(v)).sort(), 'not in .env.example').toEqual([])
  })

  it('lists every command it shows, each with the test that runs it', () => {
    const rows = table('## Commands in this guide and the tests that run them')
    // The command is the first code span of the first cell; the rest of the cell is a note.
    const commands = rows.map(([cell = '', by = '']) => ({
      cmd: /`([^`]+)`/.exec(cell)?.[1] ?? '',
      by,
    }))
    const listed = (line: string) =>
      commands.some(({ cmd }) => {
        const pattern = cmd
          .split('…')
          .map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')
        return new RegExp(`^${pattern}`).test(line)
      })
    const shown = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(([, body]) =>
      body!.split('\n').filter((l) => l.trim() && !l.startsWith('#'))
    )
    const inline = [...guide.matchAll(/`(npx portal [^`]*)`/g)].map(([, c]) => c!)
    expect(shown.length).toBeGreaterThan(3)
    expect([...shown, ...inline].filter((l) => !listed(l))).toEqual([])

    for (const { cmd, by } of commands) {
      const tests = [...by.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map(([, f]) => f!)
      if (by.startsWith('not run') || by.startsWith('run by hand')) {
        // Said plainly, with what checks it instead.
        expect(by, cmd).toMatch(/deploy\/validate\.sh|not part of `npm test`/)
        continue
      }
      expect(tests.length, `${cmd}: names a test`).toBeGreaterThan(0)
      // The test exists and contains the command's own word.
      const word = cmd.startsWith('npx portal ')
        ? cmd.split(' ')[2]!
        : cmd.startsWith('curl')
          ? '/metrics'
          : cmd.startsWith('node -e')
            ? 'HEALTHCHECK'
            : cmd.split(' ')[0]!
      for (const file of tests) {
        expect(existsSync(join(ROOT, file)), file).toBe(true)
        expect(readFileSync(join(ROOT, file), 'utf8'), `${file} runs ${cmd}`).toContain(word)
      }
    }
  })

  it('compose.yaml sets only variables the portal or the Caddyfile reads', () => {
    const compose = readFileSync(join(ROOT, 'compose.yaml'), 'utf8')
    const caddyfile = readFileSync(join(ROOT, 'deploy/Caddyfile'), 'utf8')
    const caddyReads = new Set([...caddyfile.matchAll(/\{\$([A-Z_]+)/g)].map(([, n]) => n!))
    const read = variablesRead()
    const keys = [...compose.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map(([, n]) => n!)
    expect(keys).toContain('MONGODB_URI')
    expect(keys.filter((k) => !read.has(k) && !caddyReads.has(k))).toEqual([])
    // And the Caddyfile's placeholders are given by compose.
    expect([...caddyReads].filter((n) => !keys.includes(n))).toEqual([])
  })
})
