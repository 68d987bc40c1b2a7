// The shared page hook can fail: a page with an inline style attribute (refused by the portal's
// CSP) and a script error are recorded, with JavaScript on and off, as the hook would report.
import { Hono } from 'hono'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { securityHeaders } from '../../src/http/security'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { takePageProblems } from '../helpers/page-problems'
import { chromiumPath, describeBrowser } from '../setup/env'

describeBrowser('the e2e page hook', () => {
  let server: { url: string; close(): Promise<void> }
  let browser: Browser

  beforeAll(async () => {
    const app = new Hono()
    app.use(securityHeaders({ hsts: false }))
    app.get('/static/bad.js', (c) =>
      c.body('document.body.dataset.x = missing.value', 200, { 'Content-Type': 'text/javascript' })
    )
    app.get('/', (c) =>
      c.html(
        '<!doctype html><html lang="en"><head><title>t</title><link rel="icon" href="data:,">' +
          '<script src="/static/bad.js" defer></script></head>' +
          '<body><p style="color: red">inline style</p></body></html>'
      )
    )
    server = await serveOnLoopback(app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('records a CSP violation with JavaScript off, and a page error with it on', async () => {
    takePageProblems()
    for (const javaScriptEnabled of [false, true]) {
      const context = await browser.newContext({ javaScriptEnabled })
      const page = await context.newPage()
      await page.goto(server.url)
      await page.waitForLoadState('networkidle')
      await context.close()
    }
    const problems = takePageProblems()
    expect(problems.filter((p) => p.startsWith('CSP')).length).toBeGreaterThanOrEqual(2)
    expect(problems.some((p) => p.startsWith('page error') && p.includes('missing'))).toBe(true)
  })
})
