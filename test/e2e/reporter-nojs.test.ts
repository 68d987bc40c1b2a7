// The reporter's whole path in Chromium with JavaScript off (as in Tor Browser "Safest"), by
// keyboard alone: report, type the receipt back, come back, read the officer's reply, answer.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { addOfficer, officerReadCase, officerReply, type TestOfficer } from '../helpers/officer'
import { chromiumPath, describeBrowser } from '../setup/env'

/** Presses Tab until `selector` has the focus; fails if it is not reachable that way. */
async function tabTo(page: Page, selector: string, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`${selector} is not reachable with the Tab key`)
}

describeBrowser('reporter without JavaScript, by keyboard', () => {
  let t: TestApp
  let officer: TestOfficer
  let server: { url: string; close(): Promise<void> }
  let browser: Browser

  beforeAll(async () => {
    t = await makeTestApp()
    officer = await addOfficer(t.store)
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  for (const lang of ['uk', 'en'] as const) {
    it(`reports and comes back (${lang})`, { timeout: 60_000 }, async () => {
      t.clock.advance(60_000) // so this round's case is the newest in the list
      const q = lang === 'en' ? '?lang=en' : ''
      const context = await browser.newContext({ javaScriptEnabled: false })
      const page = await context.newPage()
      const hosts = new Set<string>()
      page.on('request', (r) => hosts.add(new URL(r.url()).hostname))
      const sentinel = `SENTINEL-keyboard-${lang}-${Date.now()}`

      await page.goto(`${server.url}/report${q}`)
      expect(await page.isVisible('.nojs-notice')).toBe(true)
      await tabTo(page, '#q_what')
      await page.keyboard.type(`Inflated invoices for school repairs ${sentinel}`)
      await tabTo(page, '#q_how_known')
      // "— choose —", work, studies, service, witness
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown')
      expect(await page.inputValue('#q_how_known')).toBe('witness')
      await tabTo(page, '#report-form button[type="submit"]')
      await page.keyboard.press('Enter')
      await page.waitForSelector('.receipt-word')

      // The receipt, then two of its words typed back.
      const words = await page.$$eval('.receipt-word', (els) =>
        els.map((e) => e.textContent.replace(/^\s*\d+\s*/, '').trim())
      )
      expect(words).toHaveLength(8)
      for (const input of await page.$$('input[name^="word_"]')) {
        const n = Number((await input.getAttribute('name'))!.slice(5))
        await tabTo(page, `input[name="word_${n}"]`)
        await page.keyboard.type(words[n - 1]!)
      }
      await Promise.all([page.waitForURL(/\/report\/done/), page.keyboard.press('Enter')])
      expect(await context.cookies()).toEqual([])

      await tabTo(page, 'main a.button.primary')
      await Promise.all([page.waitForURL(/\/status/), page.keyboard.press('Enter')])
      const caseId = (await t.store.cases.list({}, 1, 1)).items[0]!.id
      await officerReply(t.store, caseId, officer, `Reply for ${lang}: which school?`)

      await tabTo(page, '#receipt')
      await page.keyboard.type(words.join(' '))
      await Promise.all([page.waitForURL(/\/status\/case/), page.keyboard.press('Enter')])
      const thread = await page.textContent('.thread')
      expect(thread).toContain(sentinel)
      expect(thread).toContain(`Reply for ${lang}: which school?`)
      expect(await page.getAttribute('html', 'lang')).toBe(lang)

      await tabTo(page, '#reply-text')
      await page.keyboard.type(`School no. 5 (${lang})`)
      await tabTo(page, 'form[action^="/status/case/reply"] button[type="submit"]')
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')])
      await page.waitForSelector(`.message-text:text("School no. 5 (${lang})")`)

      const { envelopes } = await officerReadCase(t.store, caseId, officer)
      expect(envelopes.at(-1)!.body).toEqual({ text: `School no. 5 (${lang})` })
      expect([...hosts]).toEqual(['127.0.0.1'])
      expect((await t.store.cases.get(caseId))!.encMode).toBe('server')
      await context.close()
    })
  }
})
