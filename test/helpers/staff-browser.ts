// Helpers for driving the staff pages in Chromium: enrolment (keys, passphrase and recovery code
// made in the browser and read off the page), TOTP set-up with the code an app would show, and
// signing in with the passphrase and a TOTP code.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import type { Clock } from '../../src/deps'
import { totpCode } from './staff'

/** What the enrolment page showed the person, and how long the key derivation took. */
export interface EnrolledInPage {
  passphrase: string
  recoveryCode: string
  fingerprint: string
  kdfMs: number
}

/** Walks the enrolment page: returns what it showed (passphrase, recovery code) and the KDF time. */
export async function enrolInPage(page: Page): Promise<EnrolledInPage> {
  await page.click('#js-area button')
  await page.waitForSelector('.js-passphrase')
  const passphrase = (await page.textContent('.js-passphrase'))!.trim()
  expect(passphrase.split(' ')).toHaveLength(7)
  // A wrong re-typing is caught before anything is derived.
  await page.check('#passphrase-written')
  await page.fill('#passphrase-retype', 'not the words')
  await page.click('.js-passphrase-form button[type="submit"]')
  await page.waitForSelector('.js-step-status .error')
  await page.fill('#passphrase-retype', passphrase.toUpperCase())
  const started = Date.now()
  await page.click('.js-passphrase-form button[type="submit"]')
  await page.waitForSelector('.js-recovery-code', { timeout: 90_000 })
  const kdfMs = Date.now() - started
  const recoveryCode = (await page.textContent('.js-recovery-code'))!.trim()
  expect(recoveryCode).toMatch(/^([0-9a-z]{4} ){12}[0-9a-z]{4}$/)
  const fingerprint = (await page.textContent('.js-fingerprint'))!.trim()
  expect(await page.isDisabled('.js-step button.primary')).toBe(true)
  await page.check('#recovery-saved')
  await page.click('.js-step button.primary')
  await page.waitForURL(/\/staff\/totp$/)
  return { passphrase, recoveryCode, fingerprint, kdfMs }
}

/** The TOTP set-up page: reads the key off the page, types the code an app would show. */
export async function setUpTotp(page: Page, t: { clock: Pick<Clock, 'now'> }): Promise<string> {
  const secret = (await page.textContent('#totp-secret'))!.replace(/\s/g, '')
  expect(secret).toMatch(/^[A-Z2-7]{32}$/)
  expect(await page.getAttribute('#totp-uri', 'href')).toMatch(/^otpauth:\/\/totp\//)
  await page.fill('#totp-code', totpCode(secret, t.clock.now()))
  await page.click('#staff-totp button[type="submit"]')
  return secret
}

/**
 * The sign-in page, from a signed-out tab on /staff/login: email and passphrase (the keys are
 * derived in the page), then the TOTP step. The code used last must not be accepted again, so the
 * test clock moves on one 30 s time step first and the code for that step is typed. Waits for
 * the page the sign-in leads to (`landing`).
 */
export async function signInWithTotp(
  page: Page,
  t: { clock: Pick<Clock, 'now'> & { advance(ms: number): void } },
  who: { email: string; passphrase: string; totpSecret: string },
  landing: RegExp = /\/officer$/
): Promise<void> {
  expect(await page.isVisible('#staff-login')).toBe(true)
  await page.fill('#email', who.email)
  await page.fill('#passphrase', who.passphrase)
  await page.click('#staff-login button[type="submit"]')
  await page.waitForSelector('#staff-totp-step:not([hidden])', { timeout: 90_000 })
  // The code used at set-up must not be accepted again: the next time step's code is.
  t.clock.advance(30_000)
  await page.fill('#totp-code', totpCode(who.totpSecret, t.clock.now()))
  await page.click('#staff-totp button[type="submit"]')
  await page.waitForURL(landing)
}

/** Unlocks the signed-in staff member's keys in this tab on the unlock page, then goes to `next`. */
export async function unlockInPage(
  page: Page,
  serverUrl: string,
  passphrase: string,
  next: string
): Promise<void> {
  await page.goto(`${serverUrl}/staff/unlock?next=${encodeURIComponent(next)}`)
  await page.waitForSelector('#staff-unlock:not([hidden])')
  await page.fill('#passphrase', passphrase)
  await page.click('#staff-unlock button[type="submit"]')
  await page.waitForURL((url) => url.pathname === next, { timeout: 90_000 })
}

/** On the admin accounts page (keys unlocked): makes the organisation key in this tab. */
export async function createOrgKeyInPage(page: Page): Promise<string> {
  await page.click('.org-create-form button')
  await page.waitForSelector('#org-fingerprint')
  return (await page.textContent('#org-fingerprint'))!.trim()
}

/** Types the read-out fingerprint into the account's row and certifies (signed in this tab). */
export async function certifyInPage(page: Page, email: string, fingerprint: string) {
  const row = `tr[data-email="${email}"]`
  await page.fill(`${row} input[name="fingerprint"]`, fingerprint)
  await page.click(`${row} .certify-form button`)
  await page.waitForSelector(`${row}[data-cert="certified"]`)
}
