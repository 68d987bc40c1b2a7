// Problems the watched browser pages logged (test/helpers/browser.ts), kept where the shared
// hook (test/setup/page-checks.ts) finds them; no imports, so every test file can load it.
const PROBLEMS = Symbol.for('portal.e2e.pageProblems')
type Global = typeof globalThis & { [PROBLEMS]?: string[] }

export function recordPageProblem(problem: string): void {
  const g = globalThis as Global
  ;(g[PROBLEMS] ??= []).push(problem)
}

/** What pages logged since the last call (and forgets it). */
export function takePageProblems(): string[] {
  const g = globalThis as Global
  const list = g[PROBLEMS] ?? []
  g[PROBLEMS] = []
  return list
}
