// Documents that code comments cite live in the repository: every Markdown file named in src/,
// crypto/, test/ and views/ is a file here (a path from the repository root, or a name next to
// the citing file or in docs/), so a reader can follow every reference.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const FOLDERS = ['src', 'crypto', 'test', 'views']

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|eta|js|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

describe('documents cited in code', () => {
  it('exist in the repository', () => {
    const missing: string[] = []
    let cited = 0
    for (const file of FOLDERS.flatMap(files)) {
      for (const [name] of readFileSync(file, 'utf8').matchAll(/[\w./-]*\b[\w-]+\.md\b/g)) {
        cited++
        const found = [ROOT, dirname(file), join(ROOT, 'docs')].some((base) =>
          existsSync(join(base, name))
        )
        if (!found) missing.push(`${file.slice(ROOT.length + 1)}: ${name}`)
      }
    }
    expect(cited).toBeGreaterThan(5)
    expect(missing).toEqual([])
  })
})
