// Helpers for driving the officer's case page in Chromium (Ukrainian, the default language):
// each step is done the way a person does it and waits for the page to confirm it, so the test
// can then check the stored case.
import nacl from 'tweetnacl'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import type { OfficerKeys } from '../../crypto/keys'
import type { Outcome } from '../../src/domain/vocab'
import { officerUk } from '../../src/i18n/officer-uk'

/** Tabs forward until the focused element matches; proves it is reachable by keyboard. */
export async function tabTo(p: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab')
    if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`${selector} not reachable with Tab`)
}

/** Waits until the case status (swapped in by htmx) shows the state's label. */
async function waitForState(page: Page, label: string): Promise<void> {
  await page.waitForFunction(
    (text) => document.querySelector('#case-status .case-state')?.textContent?.includes(text),
    label
  )
}

/** Acknowledge by keyboard: Tab to the action, open it, type the reason, Enter submits. */
export async function acknowledgeByKeyboard(page: Page, reason: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await tabTo(page, '.case-actions details:has(form[data-action="acknowledge"]) > summary')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('reason-acknowledge')
  await page.keyboard.type(reason)
  await page.keyboard.press('Enter')
  await waitForState(page, officerUk.states['preliminary-review'])
}

/** Replies to the reporter (sealed in the page); waits until the reply shows in the thread. */
export async function replyInPage(page: Page, text: string): Promise<void> {
  await page.fill('#reply-form-text', text)
  await page.click('#reply-form button[type="submit"]')
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('.js-message')].some((el) => el.textContent === t),
    text
  )
}

/** Ticks plan items in the case's fields section and saves them. */
export async function linkPlanItems(page: Page, planItemIds: string[]): Promise<void> {
  await page.click('details.case-section:has(#fields-title) > summary')
  for (const id of planItemIds) await page.check(`input[name="planItemIds"][value="${id}"]`)
  await page.click('.fields-form button[type="submit"]')
  await page.waitForSelector('#case-status .ok')
}

export async function openInvestigation(page: Page, reason: string): Promise<void> {
  await page.click('.case-actions details:has(form[data-action="open-investigation"]) > summary')
  await page.fill('#reason-open-investigation', reason)
  await page.press('#reason-open-investigation', 'Enter')
  await waitForState(page, officerUk.states.investigation)
}

export async function closeWithOutcome(
  page: Page,
  outcome: Outcome,
  reason: string
): Promise<void> {
  await page.click('.case-actions details:has(form[data-action="close"]) > summary')
  await page.selectOption('#outcome-close', outcome)
  await page.fill('#reason-close', reason)
  await page.press('#reason-close', 'Enter')
  await page.waitForFunction(
    (text) => document.querySelector('#case-status .case-outcome')?.textContent?.includes(text),
    officerUk.outcomes[outcome]
  )
}

/**
 * Leaves the officer's keys unlocked in this tab the way the unlock page does: in sessionStorage
 * only as secretbox(Ks, keys), Ks from the server-side session (GET /staff/session-key).
 */
export async function unlockKeysInPage(
  page: Page,
  serverUrl: string,
  who: { account: { id: string }; keys: OfficerKeys }
): Promise<void> {
  await page.goto(`${serverUrl}/staff/session-key`)
  const { key } = JSON.parse((await page.textContent('body'))!) as { key: string }
  const plain = new Uint8Array(64)
  plain.set(who.keys.box.secretKey, 0)
  plain.set(who.keys.signSeed, 32)
  const nonce = nacl.randomBytes(24)
  const stored = JSON.stringify({
    accountId: who.account.id,
    nonce: toBase64(nonce),
    sealed: toBase64(nacl.secretbox(plain, nonce, fromBase64(key))),
  })
  await page.evaluate((value) => sessionStorage.setItem('portal.officer-keys', value), stored)
}
