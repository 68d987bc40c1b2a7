// axe-core (WCAG 2.2 AA rule tags) on the page as it is now. It is put in through the DevTools
// protocol (page.evaluate), which the page's CSP does not apply to, so no inline script is
// added. With JavaScript off the page runs no timers, so axe's own are run as microtasks.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8'
)
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[] }[]
}

/** Serious and critical violations, one line each ("rule (impact): help: targets"). */
export async function axeProblems(page: Page, javaScriptEnabled = true): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  if (!javaScriptEnabled) {
    await page.evaluate(() => {
      const w = window as unknown as { setTimeout: unknown; clearTimeout: unknown }
      w.setTimeout = (fn: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) => {
        void Promise.resolve().then(() => fn(...args))
        return 0
      }
      w.clearTimeout = () => undefined
    })
  }
  const violations = await page.evaluate(
    (tags) =>
      (
        window as unknown as {
          axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> }
        }
      ).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations),
    WCAG_TAGS
  )
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}: ${v.nodes
          .slice(0, 5)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}`
    )
}
