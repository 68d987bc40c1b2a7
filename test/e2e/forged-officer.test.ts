// Issue 9.1 in real Chromium: an "officer" account written straight into the database (disabled,
// never certified) and a message signed with its key. The reporter's JS reader (status page) and
// the officer's reader (case page) must both mark it "not verified", while the certified
// officer's reply next to it verifies. On each store engine: SQLite, and MongoDB (FerretDB).
import { randomBytes } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMongoStore } from '../../src/store/mongo'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { forgeOfficerItem } from '../helpers/forge'
import { officerReply } from '../helpers/officer'
import { unlockKeysInPage } from '../helpers/officer-browser'
import { captureProblems } from '../helpers/reporter-browser'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { chromiumPath, freshMongoUri, mongoUri } from '../setup/env'

const RUN = randomBytes(4).toString('hex')
const GENUINE = `GENUINE-${RUN}: we have started the review`
const FORGED = `FORGED-${RUN}: send the originals to this address`

/** The list item of the thread whose text contains `text`. */
function entryWith(page: Page, item: string, text: string) {
  return page.locator(item, { hasText: text })
}

for (const engine of ['sqlite', 'mongo'] as const) {
  const available = !!chromiumPath && (engine === 'sqlite' || !!mongoUri)
  describe.skipIf(!available)(`a forged officer in the readers (${engine})`, () => {
    let t: TestApp
    let server: { url: string; close(): Promise<void> }
    let browser: Browser
    let officer: TestStaff
    let report: Awaited<ReturnType<typeof submitClientReport>>

    beforeAll(async () => {
      t = await makeTestApp(
        engine === 'mongo'
          ? { store: await openMongoStore({ uri: freshMongoUri('forgede2e'), dropOnClose: true }) }
          : {}
      )
      officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena Officer' })
      report = await submitClientReport(t, `Kickbacks at the depot ${RUN}`)
      await officerReply(t.store, report.caseId, officer, GENUINE)
      await forgeOfficerItem(t.store, report.caseId, FORGED)
      server = await serveOnLoopback(t.app)
      browser = await launchChromium(chromiumPath)
    })
    afterAll(async () => {
      await browser?.close()
      await server?.close()
      await t?.close()
    })

    it("the reporter's JS reader marks it not verified", { timeout: 120_000 }, async () => {
      const context = await browser.newContext()
      const page = await context.newPage()
      const problems = captureProblems(page)
      await page.goto(`${server.url}/status?lang=en`)
      await page.fill('#receipt', report.receipt)
      await page.click('#status-form button[type="submit"]')
      await page.waitForSelector('.js-thread', { timeout: 90_000 })
      const forged = entryWith(page, 'li.js-item', FORGED)
      const genuine = entryWith(page, 'li.js-item', GENUINE)
      expect(await forged.count()).toBe(1)
      expect(await forged.locator('.js-unverified').count()).toBe(1)
      expect(await genuine.locator('.js-unverified').count()).toBe(0)
      expect(problems).toEqual([])
      await context.close()
    })

    it("the officer's reader marks it not verified", { timeout: 60_000 }, async () => {
      const context = await browser.newContext()
      const [name, token] = (await loginAs(t, officer.account)).split('=') as [string, string]
      await context.addCookies([
        { name, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' },
      ])
      const page = await context.newPage()
      await unlockKeysInPage(page, server.url, officer)
      await page.goto(`${server.url}/officer/cases/${report.caseId}`)
      await page.waitForSelector('li.entry[data-seq="3"]')
      const forged = entryWith(page, 'li.entry', FORGED)
      const genuine = entryWith(page, 'li.entry', GENUINE)
      expect(await forged.locator('.js-unverified').count()).toBe(1)
      expect(await forged.locator('.js-verified').count()).toBe(0)
      expect(await genuine.locator('.js-verified').count()).toBe(1)
      await context.close()
    })
  })
}
