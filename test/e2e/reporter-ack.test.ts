// The printable acknowledgement in Chromium, JavaScript on and off: printed to PDF (A4, print
// styles), it has the dates the clocks give and not the receipt, unless the reporter ticks the
// box. Also the contact fields, shown only for a confidential report, with and without script.
// SWEEP_SHOTS=dir keeps 360 px pictures of these states (light and dark) for a person to look at.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { addOfficer } from '../helpers/officer'
import { captureProblems, confirmReceipt } from '../helpers/reporter-browser'
import { chromiumPath, describeBrowser } from '../setup/env'

let printed = 0

/** The text of the page as printed: A4 PDF through the print stylesheet, then pdftotext. */
async function printedText(page: Page): Promise<string> {
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
  if (process.env.SWEEP_SHOTS) writeFileSync(`${process.env.SWEEP_SHOTS}/ack-${++printed}.pdf`, pdf)
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8')
}

/** Pixels the page is wider than the 360 px screen (0 when it fits). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

const squash = (s: string) => s.replace(/\s+/g, ' ')

/** Receipt words found in `text` as whole words (a word may also occur in the page's prose). */
const wordsIn = (text: string, words: string[]) =>
  words.filter((w) => new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(text))

/** The whole page, and the part a person should look at (`part`), light and dark. */
async function shot(page: Page, name: string, part: string) {
  const dir = process.env.SWEEP_SHOTS
  if (!dir) return
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: `${dir}/ack-${name}-${scheme}.png`, fullPage: true })
    await page
      .locator(part)
      .first()
      .screenshot({ path: `${dir}/ack-${name}-${scheme}-part.png` })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

describeBrowser('printable acknowledgement and contact fields', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser

  beforeAll(async () => {
    t = await makeTestApp()
    await addOfficer(t.store)
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it(
    'without JavaScript (uk): contact fields by choice, the acknowledgement printed',
    { timeout: 90_000 },
    async () => {
      const context = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 360, height: 740 },
      })
      const page = await context.newPage()
      await page.goto(`${server.url}/report`)
      // Anonymous (the default): no contact fields, a line saying why.
      expect(await page.isVisible('#c_name')).toBe(false)
      expect(await page.isVisible('.contact-none')).toBe(true)
      await page.check('#anon-confidential')
      expect(await page.isVisible('#c_name')).toBe(true)
      expect(await page.isVisible('#c_contact')).toBe(true)
      expect(await page.isVisible('.contact-none')).toBe(false)
      await shot(page, 'form-confidential-uk', 'fieldset.anonymity')
      // Sent without the way to reach them: the server names the field, keeps the name typed.
      await page.fill('#q_what', 'Завищені рахунки за ремонт школи')
      await page.selectOption('#q_how_known', 'witness')
      await page.fill('#c_name', 'Олена')
      await Promise.all([page.waitForLoadState(), page.click('#report-form button[type="submit"]')])
      expect(await page.textContent('#form-error')).toContain('заповніть: «Як з вами зв’язатися')
      expect(await page.inputValue('#c_name')).toBe('Олена')
      expect(await page.isVisible('#c_contact')).toBe(true)
      await page.check('#anon-anonymous')
      expect(await page.isVisible('#c_contact')).toBe(false)
      await page.fill('#q_what', 'Завищені рахунки за ремонт школи')
      await Promise.all([page.waitForLoadState(), page.click('#report-form button[type="submit"]')])
      await page.waitForSelector('.receipt-word')
      const words = await page.$$eval('.receipt-word', (els) =>
        els.map((e) => e.textContent.replace(/^\s*\d+\s*/, '').trim())
      )
      expect(words).toHaveLength(8)
      expect(await page.isVisible('.ack')).toBe(true)
      await shot(page, 'receipt-uk', '.ack')

      // Printed as it is: the dates, not the receipt; the checkbox (no script needed) adds it.
      const plain = squash(await printedText(page))
      expect(plain).toContain('Підтвердження подання повідомлення')
      expect(plain).toContain('2 березня 2026')
      expect(plain).toContain('не пізніше 9 березня 2026')
      expect(plain).toContain('не пізніше 16 березня 2026')
      expect(plain).toContain('не пізніше 9 червня 2026')
      expect(wordsIn(plain, words).length).toBeLessThan(3)
      expect(plain).not.toContain('Швидкий вихід')
      await page.check('#ack-include-receipt')
      const withReceipt = squash(await printedText(page))
      expect(wordsIn(withReceipt, words)).toEqual(words)
      await page.uncheck('#ack-include-receipt')

      // Typed back: the done page prints the same dates, and has no receipt to print.
      for (const input of await page.$$('input[name^="word_"]')) {
        const n = Number((await input.getAttribute('name'))!.slice(5))
        await input.fill(words[n - 1]!)
      }
      await Promise.all([
        page.waitForURL(/\/report\/done\?on=2026-03-02/),
        page.click('form[action^="/report/confirm"] button'),
      ])
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await shot(page, 'done-uk', '.ack')
      const done = squash(await printedText(page))
      expect(done).toContain('не пізніше 9 березня 2026')
      expect(done).toContain('не пізніше 9 червня 2026')
      expect(done).toMatch(/Відбиток ключа організації[^]*[0-9a-f]{4}/)
      expect(wordsIn(done, words).length).toBeLessThan(3)
      // The print "button" is a plain link to a printable page.
      await Promise.all([page.waitForURL(/print=1/), page.click('.ack a[data-print]')])
      expect(await page.isVisible('.ack')).toBe(true)
      await context.close()
    }
  )

  it(
    'with JavaScript (en): the done step has the acknowledgement, printed without the receipt',
    { timeout: 120_000 },
    async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } })
      const page = await context.newPage()
      const problems = captureProblems(page)
      await page.goto(`${server.url}/report?lang=en`)
      // The script disables the hidden group, so its required fields do not block an anonymous report.
      expect(await page.isDisabled('#c_name')).toBe(true)
      await page.check('#anon-confidential')
      expect(await page.isDisabled('#c_name')).toBe(false)
      await page.check('#anon-anonymous')
      await page.fill('#q_what', 'Inflated invoices for school repairs')
      await page.selectOption('#q_how_known', 'witness')
      await page.click('#report-form button[type="submit"]')
      const words = await confirmReceipt(page)
      await page.waitForSelector('.ack', { timeout: 90_000 })
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await shot(page, 'done-js-en', '.js-step')
      expect(await page.textContent('.ack-dates')).toContain('by 9 March 2026')

      const printed = squash(await printedText(page))
      expect(printed).toContain('Acknowledgement of your report')
      expect(printed).toContain('2 March 2026')
      expect(printed).toContain('by 9 March 2026')
      expect(printed).toContain('by 16 March 2026')
      expect(printed).toContain('by 9 June 2026')
      expect(printed).toContain('not assigned yet')
      expect(wordsIn(printed, words).length).toBeLessThan(3)
      // Nor the rest of the screen: the "sent" step, the status button.
      expect(printed).not.toContain('Check the status')
      await page.check('#ack-include-receipt')
      const withReceipt = squash(await printedText(page))
      expect(wordsIn(withReceipt, words)).toEqual(words)
      expect(problems).toEqual([])
      await context.close()
    }
  )
})
