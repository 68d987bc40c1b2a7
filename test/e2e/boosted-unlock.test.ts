// A page reached by hx-boost works as if loaded directly: the officer starts in the inbox
// (keys not unlocked in this tab), follows boosted links to a case and to the unlock page, and
// the passphrase field is there; the passphrase unlocks the keys and the case decrypts.
// (Before: htmx dropped the unlock page's data block and its script never loaded.)
import { randomBytes } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { toBase64 } from '../../crypto/encoding'
import {
  deriveOfficerKeys,
  generateKdfSalt,
  OFFICER_KDF_FLOOR,
  wrapSecrets,
} from '../../crypto/keys'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { chromiumPath, describeBrowser } from '../setup/env'

const PASSPHRASE = 'boosted navigation keeps every page working'
const TITLE = `Boosted unlock ${randomBytes(4).toString('hex')}`

describeBrowser('hx-boost navigation to the unlock page', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser
  let officer: TestStaff
  let caseId = ''

  beforeAll(async () => {
    t = await makeTestApp()
    officer = await addStaff(t.store, { roles: ['officer'] })
    // The account's secrets wrapped under a real passphrase (the floor KDF keeps the test quick).
    const salt = generateKdfSalt()
    const { wrapKey } = await deriveOfficerKeys(PASSPHRASE, salt, OFFICER_KDF_FLOOR, nativeArgon2id)
    await t.store.accounts.update(
      officer.account.id,
      officer.account.version,
      {
        keys: {
          wrapped: wrapSecrets(wrapKey, officer.keys.box.secretKey, officer.keys.signSeed),
          salt: toBase64(salt),
          kdf: { ...OFFICER_KDF_FLOOR },
        },
      },
      new Date()
    )
    caseId = (await submitClientReport(t, TITLE)).caseId
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it(
    'shows the passphrase field and unlocks after boosted links',
    { timeout: 90_000 },
    async () => {
      const context = await browser.newContext()
      const [name, value] = (await loginAs(t, officer.account)).split('=') as [string, string]
      await context.addCookies([
        { name, value, url: server.url, httpOnly: true, sameSite: 'Strict' },
      ])
      const page = await context.newPage()
      let fullLoads = 0
      page.on('load', () => fullLoads++)
      await page.goto(`${server.url}/officer`)
      expect(fullLoads).toBe(1)

      // Boosted link from the inbox to the case (same document), then to the unlock page.
      await page.click(`a[href*="/officer/cases/${caseId}"]`)
      await page.waitForURL(`**/officer/cases/${caseId}`)
      await page.click('#officer-keys a.js-unlock')
      await page.waitForURL('**/staff/unlock**')
      expect(fullLoads).toBe(1)
      await page.waitForSelector('#staff-unlock:not([hidden]) #passphrase')

      await page.fill('#passphrase', PASSPHRASE)
      await page.click('#staff-unlock button[type="submit"]')
      // Back on the case, now decrypted in the page.
      await page.waitForURL(`**/officer/cases/${caseId}`, { timeout: 60_000 })
      await page.waitForFunction(
        (title) => document.querySelector('.js-answer')?.textContent?.includes(title),
        TITLE,
        { timeout: 30_000 }
      )
      await context.close()
    }
  )
})
