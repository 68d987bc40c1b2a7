// Browser smoke test: the landing page in real Chromium, its headers, and proof that
// no request leaves 127.0.0.1 (no CDN, font, analytics or prefetch anywhere).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { chromiumPath, describeBrowser } from '../setup/env'

describeBrowser('browser smoke', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser

  beforeAll(async () => {
    t = await makeTestApp()
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('loads the landing page with strict headers and only loopback requests', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const requested: string[] = []
    const cspErrors: string[] = []
    page.on('request', (r) => requested.push(r.url()))
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text())
    })

    const res = await page.goto(`${server.url}/`)
    expect(res?.status()).toBe(200)
    const h = res!.headers()
    expect(h['content-security-policy']).toContain("script-src 'self'")
    expect(h['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/)
    expect(h['cache-control']).toBe('no-store')
    expect(h['x-frame-options']).toBe('DENY')
    expect(h['referrer-policy']).toBe('same-origin')
    expect(h['set-cookie']).toBeUndefined()

    await expect
      .poll(() => page.evaluate(() => typeof (window as { htmx?: unknown }).htmx))
      .toBe('object')
    expect(await page.textContent('h1')).toContain('Повідомте про можливу корупцію')

    // Switch language by keyboard: Tab to the switch and follow it.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
      'Перейти до змісту'
    )
    await page.click('a[hreflang="en"]')
    await page.waitForURL(/lang=en/)
    expect(await page.textContent('h1')).toContain('Report possible corruption')

    expect(cspErrors).toEqual([])
    expect(requested.length).toBeGreaterThanOrEqual(4)
    for (const url of requested) expect(new URL(url).hostname).toBe('127.0.0.1')
    expect(await context.cookies()).toEqual([])
    await context.close()
  })

  it('fits a 360 px wide screen without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } })
    await page.goto(`${server.url}/`)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth
    )
    expect(overflow).toBeLessThanOrEqual(0)
    await page.close()
  })
})
