// The JavaScript path with a digit receipt: the reporter picks "32 digits" on the Ukrainian page,
// writes 8 groups of 4 down, types two groups back, and opens the case on /status with them.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { addOfficer } from '../helpers/officer'
import { confirmReceipt } from '../helpers/reporter-browser'
import { chromiumPath } from '../setup/env'

describe.skipIf(!chromiumPath)('digit receipts in the browser', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser

  beforeAll(async () => {
    t = await makeTestApp()
    await addOfficer(t.store, 'officer')
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('gives 32 digits when chosen, and they open the case', { timeout: 180_000 }, async () => {
    const page = await browser.newPage()
    await page.goto(`${server.url}/report`)
    expect(await page.isChecked('#receipt-words')).toBe(true)
    await page.fill('#q_what', 'Digits please')
    await page.selectOption('#q_how_known', 'work')
    await page.check('#receipt-digits')
    await page.click('#report-form button[type="submit"]')
    const groups = await confirmReceipt(page)
    expect(groups).toHaveLength(8)
    for (const g of groups) expect(g).toMatch(/^[0-9]{4}$/)
    expect(await page.getAttribute('.js-receipt', 'class')).toContain('js-receipt-digits')
    await page.waitForSelector('.js-step-title:text("Повідомлення надіслано")', {
      timeout: 90_000,
    })
    await page.goto(`${server.url}/status`)
    await page.fill('#receipt', groups.join('-'))
    await page.click('#status-form button[type="submit"]')
    await page.waitForSelector('.js-thread', { timeout: 90_000 })
    expect(await page.textContent('.js-thread')).toContain('Digits please')
    await page.close()
  })
})
