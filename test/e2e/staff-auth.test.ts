// Staff accounts in real Chromium: the first admin sets up with the printed token, enrols (keys,
// passphrase and recovery code made in the browser), sets up TOTP and lands on the admin page;
// makes the organisation key in the browser and invites an officer, who enrols in a second
// browser and gets certified (signed in the admin's tab), signs out and in again with a
// TOTP code, and ends up with keys unlocked in the tab: in sessionStorage only as ciphertext
// under the session's Ks, which signing out destroys.
import { join } from 'node:path'
import nacl from 'tweetnacl'
import type { BrowserContext, Page } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { OFFICER_KDF_DEFAULT, unwrapSecrets } from '../../crypto/keys'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { ensureSetupToken } from '../../src/staff/accounts'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { sqliteFilesContain } from '../helpers/db-scan'
import { browserDerive, staffDeps } from '../helpers/staff'
import {
  certifyInPage,
  createOrgKeyInPage,
  enrolInPage,
  setUpTotp,
  signInWithTotp,
  unlockInPage,
} from '../helpers/staff-browser'
import { chromiumPath, describeBrowser } from '../setup/env'

const ADMIN_EMAIL = 'admin@council.example'
const OFFICER_EMAIL = 'officer@council.example'

describeBrowser('staff sign-up and sign-in in the browser', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser

  beforeAll(async () => {
    // New passphrases at the floor the browser accepts (STAFF_KDF_MIB/PASSES), so enrolment,
    // change and recovery take a fraction of the time; the design's 64 MiB runs in Chromium when
    // officer-workspace unlocks keys made with it (test/helpers/staff.ts).
    t = await makeTestApp({ env: { STAFF_KDF_MIB: '19', STAFF_KDF_PASSES: '2' } })
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  /** Page errors and CSP refusals on the staff pages (other areas are tested elsewhere). */
  function watch(page: Page): string[] {
    const problems: string[] = []
    const onStaffPage = () => new URL(page.url()).pathname.startsWith('/staff')
    page.on('pageerror', (e) => {
      if (onStaffPage()) problems.push(`pageerror: ${e.message}`)
    })
    page.on('console', (m) => {
      if (onStaffPage() && /Content Security Policy|Refused to/i.test(m.text())) {
        problems.push(`console: ${m.text()}`)
      }
    })
    return problems
  }

  it(
    'sets up the first admin, invites an officer who enrols, signs in and unlocks the keys',
    { timeout: 240_000 },
    async () => {
      const token = await ensureSetupToken(staffDeps(t))
      expect(token).not.toBeNull()

      // ---- the first admin
      const adminContext = await browser.newContext()
      const admin = await adminContext.newPage()
      const adminProblems = watch(admin)
      await admin.goto(`${server.url}/staff/setup?token=${token}`)
      await admin.fill('#setup-email', ADMIN_EMAIL)
      await admin.fill('#setup-name', 'Олена Адміністраторка')
      await admin.click('form button[type="submit"]')
      await admin.waitForURL(/\/staff\/enrol\?token=/)
      const adminEnrol = await enrolInPage(admin)
      console.log(
        `[timing] officer Argon2id (m=${t.config.staffKdf.m} KiB, t=${t.config.staffKdf.t}, pure JS in a worker, Chromium): ~${adminEnrol.kdfMs} ms`
      )
      await setUpTotp(admin, t)
      // After setting up, an admin lands on the setup checklist; its first item leads to accounts.
      await admin.waitForURL(/\/staff\/admin\/setup$/)
      await admin.click('a[href$="/staff/admin/accounts"] >> nth=0')
      await admin.waitForURL(/\/staff\/admin\/accounts$/)
      expect(await admin.textContent('h1')).toContain('Облікові записи')
      expect(await ensureSetupToken(staffDeps(t))).toBeNull()

      // ---- the organisation key: made in the admin's tab, which needs the keys unlocked first
      expect(await admin.getAttribute('#org-key', 'data-state')).toBe('none')
      await admin.click('.org-create-form button')
      await admin.waitForSelector('#certify-status a')
      await unlockInPage(admin, server.url, adminEnrol.passphrase, '/staff/admin/accounts')
      const orgFingerprint = await createOrgKeyInPage(admin)
      expect(orgFingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/)
      // The admin's own keys were certified with it (no read-out: the same browser).
      expect(await admin.getAttribute(`tr[data-email="${ADMIN_EMAIL}"]`, 'data-cert')).toBe(
        'certified'
      )
      // The server holds the public half and a sealed seed, never the secret itself.
      expect(await t.store.settings.get('org.publicKey')).toBeTruthy()

      // ---- inviting an officer (no mail configured: the link is shown)
      await admin.fill('#invite-email', OFFICER_EMAIL)
      await admin.fill('#invite-name', 'Петро Уповноважений')
      await admin.check('#invite-role-officer')
      await admin.click('#invite-form button[type="submit"]')
      await admin.waitForSelector('#invite-link')
      const link = new URL(await admin.inputValue('#invite-link'))
      expect(link.pathname).toBe('/staff/enrol')

      // ---- the officer enrols in a second browser
      const officerContext = await browser.newContext()
      const officer = await officerContext.newPage()
      const officerProblems = watch(officer)
      await officer.goto(`${server.url}${link.pathname}${link.search}`)
      const officerEnrol = await enrolInPage(officer)
      await setUpTotp(officer, t)
      await officer.waitForURL(/\/officer$/)

      // Their own account page shows the fingerprint to read out to the admin.
      await officer.goto(`${server.url}/staff/account`)
      const shown = (await officer.textContent('#own-fingerprint'))!.trim()
      expect(shown).toBe(officerEnrol.fingerprint)
      expect(await officer.textContent('.cert')).toContain('Ще не засвідчено')

      // ---- the admin certifies it (signed in the admin's tab; htmx swaps the list in place)
      await admin.goto(`${server.url}/staff/admin/accounts`)
      const row = `tr[data-email="${OFFICER_EMAIL}"]`
      expect(await admin.getAttribute(row, 'data-cert')).toBe('uncertified')
      // A wrong read-out is caught in the browser: nothing is signed or sent.
      await admin.fill(`${row} input[name="fingerprint"]`, '0000 1111 2222 3333')
      await admin.click(`${row} .certify-form button`)
      await admin.waitForSelector('#certify-status .error')
      expect(await admin.getAttribute(row, 'data-cert')).toBe('uncertified')
      await certifyInPage(admin, OFFICER_EMAIL, shown.toUpperCase().replace(/ /g, ':'))
      expect(await admin.textContent('#staff-accounts .ok')).toContain('ключі засвідчено')
      // A revocation is signed in the admin's tab too; a later certificate certifies again.
      await admin.click(`${row} .action-revoke-certificate button`)
      await admin.waitForSelector(`${row}[data-cert="uncertified"]`)
      t.clock.advance(60_000)
      await admin.goto(`${server.url}/staff/admin/accounts`)
      await certifyInPage(admin, OFFICER_EMAIL, shown)

      // ---- the officer signs out, and in again with the passphrase and a TOTP code
      await officer.click('.staff-logout button')
      await officer.waitForURL(/\/staff\/login\?out=1$/)
      const officerAccount = (await t.store.accounts.getByEmail(OFFICER_EMAIL))!
      const { openTotpSecret } = await import('../../src/staff/totp')
      const secret = openTotpSecret(t.secrets.DATA_KEY, officerAccount.totpSecretSealed)!
      await signInWithTotp(officer, t, {
        email: OFFICER_EMAIL,
        passphrase: officerEnrol.passphrase,
        totpSecret: secret,
      })

      // ---- keys unlocked in this tab (unlockedKeys() on the account page), stored only sealed
      await officer.goto(`${server.url}/staff/account`)
      await officer.waitForSelector('#keys-state[data-state="unlocked"]')
      expect(await officer.getAttribute('#keys-state', 'data-fingerprint')).toBe(shown)

      const stored = await officer.evaluate(() => sessionStorage.getItem('portal.officer-keys'))
      const blob = JSON.parse(stored!) as Record<string, string>
      expect(Object.keys(blob).sort()).toEqual(['accountId', 'nonce', 'sealed'])
      expect(blob.accountId).toBe(officerAccount.id)
      // The real secret keys, opened here from the stored wrap with the passphrase read off the page.
      const { wrapKey } = await browserDerive(
        officerEnrol.passphrase,
        fromBase64(officerAccount.keys!.salt),
        officerAccount.keys!.kdf
      )
      const secrets = unwrapSecrets(officerAccount.keys!.wrapped, wrapKey)
      for (const s of [secrets.boxSecretKey, secrets.signSeed]) {
        for (const form of [
          toBase64(s),
          Buffer.from(s).toString('hex'),
          Buffer.from(s).toString('base64url'),
        ]) {
          expect(stored).not.toContain(form)
        }
      }
      // It is the keys sealed under Ks from the session.
      const ks = await officer.evaluate(async () => {
        const res = await fetch('/staff/session-key', { headers: { Accept: 'application/json' } })
        return ((await res.json()) as { key: string }).key
      })
      const opened = nacl.secretbox.open(
        fromBase64(blob.sealed!),
        fromBase64(blob.nonce!),
        fromBase64(ks)
      )
      expect(opened).not.toBeNull()
      expect(Buffer.from(opened!.subarray(0, 32)).equals(Buffer.from(secrets.boxSecretKey))).toBe(
        true
      )

      // ---- nothing secret reached the database
      const dbContains = (needle: string | Uint8Array) =>
        sqliteFilesContain(join(t.dir, 'portal.sqlite'), needle)
      for (const needle of [
        officerEnrol.passphrase,
        adminEnrol.passphrase,
        officerEnrol.recoveryCode,
        toBase64(wrapKey),
        toBase64(secrets.boxSecretKey),
        toBase64(secrets.signSeed),
        wrapKey,
        secrets.boxSecretKey,
        secrets.signSeed,
        secret,
        ks,
      ]) {
        expect(dbContains(needle), String(needle)).toBe(false)
      }

      // ---- signing out destroys Ks: what is left in sessionStorage cannot be opened any more
      await officer.goto(`${server.url}/staff/account`)
      await officer.click('.staff-logout button')
      await officer.waitForURL(/\/staff\/login\?out=1$/)
      const after = await officer.evaluate(
        async () =>
          (await fetch('/staff/session-key', { headers: { Accept: 'application/json' } })).status
      )
      expect(after).toBe(401)

      expect(adminProblems).toEqual([])
      expect(officerProblems).toEqual([])
      await officerContext.close()
      await adminContext.close()
    }
  )

  it(
    "derives a passphrase at the design's parameters (64 MiB, 3 passes) in the worker, as the server does",
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage()
      await page.goto(`${server.url}/staff/login`)
      const params = { ...OFFICER_KDF_DEFAULT, dkLen: 64 }
      const salt = new Uint8Array(16).fill(9)
      const result = await page.evaluate(
        ({ params, salt }) =>
          new Promise<{ ms: number; key: number[] }>((resolve, reject) => {
            const w = new Worker('/static/js/argon2.worker.js', { type: 'module' })
            const t0 = performance.now()
            w.onerror = () => reject(new Error('worker failed'))
            w.onmessage = (e: MessageEvent<{ type: string; key?: Uint8Array }>) => {
              if (e.data.type === 'error') reject(new Error('argon2id failed in the worker'))
              if (e.data.type !== 'result') return
              resolve({ ms: performance.now() - t0, key: [...e.data.key!] })
              w.terminate()
            }
            w.postMessage({ password: 'correct horse', salt: new Uint8Array(salt), params })
          }),
        { params, salt: [...salt] }
      )
      console.log(
        `[timing] officer Argon2id (m=64 MiB, t=3, pure JS in a worker, Chromium): ${Math.round(result.ms)} ms`
      )
      const expected = await nativeArgon2id(new TextEncoder().encode('correct horse'), salt, params)
      expect(toBase64(new Uint8Array(result.key))).toBe(toBase64(expected))
      await page.close()
    }
  )

  it('explains that signing in needs JavaScript when it is off', async () => {
    const context: BrowserContext = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(`${server.url}/staff/login`)
    expect(await page.isVisible('#staff-login-nojs')).toBe(true)
    expect(await page.isVisible('#staff-login')).toBe(false)
    await context.close()
  })
})
