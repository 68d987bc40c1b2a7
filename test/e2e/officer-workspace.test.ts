// The officer's workspace in real Chromium: a report sealed by a reporter (crypto/ in Node) is
// listed in the inbox with its title decrypted in the browser; the officer opens it, acknowledges
// it by keyboard, replies, links plan item 15, opens an investigation and closes it with an
// outcome; the reporter can read the reply (checked in Node). Then a report registered by hand
// with a receipt, a grant to a colleague, and every page at 360 px in Ukrainian and English.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { openItem } from '../../crypto/item'
import { openGrant } from '../../crypto/keys'
import { deriveReceiptKeys, type ReceiptKeys } from '../../crypto/receipt'
import { importPlan } from '../../src/plan/import'
import type { CaseView, ReporterPageConfig } from '../../src/report/api'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { certifiedKeyIn } from '../helpers/org'
import { submitClientReport } from '../helpers/reporter-api'
import {
  acknowledgeByKeyboard,
  closeWithOutcome,
  linkPlanItems,
  openInvestigation,
  replyInPage,
  unlockKeysInPage,
} from '../helpers/officer-browser'
import { launchChromium, serveOnLoopback, whenQuiet } from '../helpers/browser'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { chromiumPath, describeBrowser } from '../setup/env'

const RUN = randomBytes(4).toString('hex')
const TITLE = `Tender rigged at the school repair ${RUN}`
const REPLY = `REPLY-SENTINEL-${RUN}: we have started the review`
const SEED = resolve(import.meta.dirname, '../fixtures/plan-2020-report.txt')

// One officer's working session, step by step (a report read, a note written, a colleague granted
// the case and later handed it): the steps build on each other, so they keep their order when the
// run is shuffled (files still shuffle).
describeBrowser('officer workspace in the browser', { shuffle: false }, () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser
  let officer: TestStaff
  let context: BrowserContext
  let page: Page
  const problems: string[] = []
  const bodies: string[] = []
  const urls: string[] = []
  let report: { caseId: string; keys: ReceiptKeys }

  beforeAll(async () => {
    t = await makeTestApp()
    officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena Officer' })
    // The seed's plan when it is next to the repository; otherwise a stand-in item 15.
    if (existsSync(SEED)) await importPlan(t.store, readFileSync(SEED, 'utf8'), 2026)
    else {
      await t.store.plan.put({
        id: 'plan-2026-15',
        year: 2026,
        number: '15',
        measure: 'Reports through the website',
        deadlineText: '',
        responsible: '',
        doneText: '',
        covers: [],
        position: 1,
      })
    }
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
    report = await submitWebReport(TITLE)
    context = await browser.newContext()
    page = await signedInPage(context, officer)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  /** A web report sealed as the browser seals it; the first line becomes the inbox title. */
  function submitWebReport(text: string) {
    return submitClientReport(t, `${text}\nMore details follow.`)
  }

  /**
   * A tab signed in as the staff member, with their keys unlocked the way the unlock page leaves
   * them: in sessionStorage only as secretbox(Ks, keys), Ks held by the server-side session.
   */
  async function signedInPage(ctx: BrowserContext, who: TestStaff): Promise<Page> {
    const [name, token] = (await loginAs(t, who.account)).split('=') as [string, string]
    await ctx.addCookies([
      { name, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' },
    ])
    const p = await ctx.newPage()
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    p.on('console', (m) => {
      // The JSON page that hands out Ks has no icon link, so Chromium asks for /favicon.ico.
      if (m.location().url.endsWith('/favicon.ico')) return
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) {
        problems.push(`console: ${m.text()} ${JSON.stringify(m.location())}`)
      }
    })
    p.on('request', (r) => {
      urls.push(decodeURIComponent(r.url()))
      const body = r.postData()
      if (body) bodies.push(body)
    })
    await unlockKeysInPage(p, server.url, who)
    return p
  }

  async function noHorizontalScroll(p: Page): Promise<void> {
    const { scroll, width } = await p.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }))
    expect(scroll, p.url()).toBeLessThanOrEqual(width)
  }

  const caseState = () => t.store.cases.get(report.caseId)

  it(
    'decrypts the title in the inbox, then works the case through to closed',
    { timeout: 120_000 },
    async () => {
      await page.goto(`${server.url}/officer`)
      const title = page.locator(`[data-case-title="${report.caseId}"] .js-case-title`)
      await title.waitFor()
      expect(await title.textContent()).toBe(TITLE)
      // The server only ever rendered a placeholder: the title is not in the page's HTML.
      expect(
        await (
          await t.app.request('/officer', {
            headers: { Cookie: await loginAs(t, officer.account) },
          })
        ).text()
      ).not.toContain(TITLE)

      // Open the case (a boosted link: the same document, the keys stay in memory).
      await page.click(`tr[data-case-id="${report.caseId}"] a.case-link`)
      await page.waitForSelector('.js-answer')
      expect(await page.textContent('.js-answer')).toContain(TITLE)
      expect(await page.locator('.js-thread .js-verified').count()).toBe(1)
      expect(await page.locator('.js-thread-problems').count()).toBe(0)
      expect(await page.textContent('.js-thread-head')).toMatch(/#1 · [0-9a-f]{4} [0-9a-f]{4}/)
      // The high-water mark is kept across visits, sealed: the case id is not in the clear.
      const marks = await page.evaluate(
        (id) => window.localStorage.getItem(`portal.thread-heads.${id}`),
        officer.account.id
      )
      expect(marks).toBeTruthy()
      expect(marks).not.toContain(report.caseId)

      // Acknowledge by keyboard: Tab to the action, open it, type the reason, Enter submits.
      await acknowledgeByKeyboard(page, 'Registered and acknowledged')
      expect((await caseState())!.state).toBe('preliminary-review')
      // The thread was not re-fetched or lost by the fragment swap.
      expect(await page.textContent('.js-answer')).toContain(TITLE)

      // Reply to the reporter: sealed in the page, only ciphertext leaves it.
      await replyInPage(page, REPLY)
      expect(bodies.some((b) => b.includes('REPLY-SENTINEL'))).toBe(false)
      expect(urls.some((u) => u.includes('REPLY-SENTINEL'))).toBe(false)

      // An internal note: sealed to the officers-only note key made here on first use.
      await page.fill('#note-form-text', `NOTE-${RUN}`)
      await page.click('#note-form button[type="submit"]')
      await page.waitForFunction(
        (text) =>
          [...document.querySelectorAll('.js-notes .js-message')].some(
            (el) => el.textContent === text
          ),
        `NOTE-${RUN}`
      )
      expect((await caseState())!.notePublicKey).toBeDefined()

      // Link plan item 15.
      await linkPlanItems(page, ['plan-2026-15'])
      expect((await caseState())!.planItemIds).toEqual(['plan-2026-15'])

      // Open an investigation and close it with an outcome.
      await openInvestigation(page, 'Facts to check')
      await closeWithOutcome(page, 'confirmed', 'Investigation report signed')
      expect(await caseState()).toMatchObject({ state: 'closed', outcome: 'confirmed' })

      // The reporter reads the reply with the receipt's keys, and never sees the note.
      const res = await t.app.request('/api/status/login', {
        method: 'POST',
        body: JSON.stringify({ authKey: toBase64(report.keys.authKey) }),
        headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
      })
      const view = (await res.json()) as CaseView
      const csk = openGrant(
        fromBase64(view.grant),
        report.keys.box.publicKey,
        report.keys.box.secretKey
      )
      const signer = certifiedKeyIn(view, officer.account.id)
      const reply = view.items.find((i) => i.kind === 'message')!
      const opened = openItem(fromBase64(reply.sealed), fromBase64(view.casePublicKey), csk, {
        caseId: report.caseId,
        seq: reply.seq,
        signerPublicKey: signer,
      })
      expect(opened).toMatchObject({ verified: true, envelope: { body: { text: REPLY } } })
      expect(view.items.some((i) => i.kind === 'note')).toBe(false)

      const audit = (await t.store.audit.listForSubject(report.caseId)).map((e) => e.action)
      expect(audit).toEqual(
        expect.arrayContaining([
          'case.decrypt-request',
          'case.open',
          'case.action',
          'case.reply',
          'case.note',
          'case.update',
        ])
      )
      expect(problems).toEqual([])
    }
  )

  it(
    'registers a phone report with a receipt the reporter can use',
    { timeout: 120_000 },
    async () => {
      await page.goto(`${server.url}/officer/intake`)
      await page.selectOption('#intake-channel', 'phone')
      await page.fill('#intake-summary', `Phone report ${RUN}`)
      await page.fill('#intake-text', 'The caller says the tender was rigged.')
      await page.check('#intake-receipt')
      await page.click('#intake-form button[type="submit"]')
      await page.waitForSelector('.js-receipt li', { timeout: 90_000 })
      const words = await page.locator('.js-receipt li').allTextContents()
      expect(words).toHaveLength(8)
      expect(bodies.some((b) => b.includes('The caller says'))).toBe(false)
      expect(urls.some((u) => u.includes('The caller says') || u.includes('Phone report'))).toBe(
        false
      )

      const cases = await t.store.cases.list({ channel: 'phone' }, 1, 10)
      expect(cases.total).toBe(1)
      const html = await (await t.app.request('/report')).text()
      const salt = (JSON.parse(/id="portal-config">([^<]+)</.exec(html)![1]!) as ReporterPageConfig)
        .deploymentSalt
      const keys = await deriveReceiptKeys(
        words.join(' '),
        Uint8Array.from(Buffer.from(salt, 'hex')),
        nativeArgon2id
      )
      const res = await t.app.request('/api/status/login', {
        method: 'POST',
        body: JSON.stringify({ authKey: toBase64(keys.authKey) }),
        headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
      })
      expect(res.status).toBe(200)
      const view = (await res.json()) as CaseView
      const csk = openGrant(fromBase64(view.grant), keys.box.publicKey, keys.box.secretKey)
      const answers = openItem(
        fromBase64(view.items[0]!.sealed),
        fromBase64(view.casePublicKey),
        csk,
        { caseId: view.caseId, seq: 1, signerPublicKey: officer.keys.sign.publicKey }
      )
      expect(answers.verified).toBe(true)
      expect(JSON.stringify(answers.envelope.body)).toContain(
        'The caller says the tender was rigged.'
      )

      await page.click('.js-open-case')
      await page.waitForSelector('.js-title')
      expect(await page.textContent('.js-title')).toBe(`Phone report ${RUN}`)
      expect(problems).toEqual([])
    }
  )

  it('grants a case to a colleague, whose browser then opens it', { timeout: 60_000 }, async () => {
    const colleague = await addStaff(t.store, { roles: ['officer'], displayName: 'Petro Newcomer' })
    await page.goto(`${server.url}/officer/cases/${report.caseId}/access`)
    await page.selectOption('#grantee', colleague.account.id)
    await page.click('#grant-form button[type="submit"]')
    // The page shows the result, then reloads to list the new grant: wait for both, so the
    // reload cannot interrupt the next step's navigation.
    await Promise.all([
      page.waitForEvent('load'),
      page.waitForFunction(() =>
        document.querySelector('#grant-form .js-result')?.classList.contains('ok')
      ),
    ])
    const grant = await t.store.grants.get(report.caseId, 'officer', colleague.account.id)
    expect(grant?.sealedNoteKey).toBeDefined()

    const ctx = await browser.newContext()
    try {
      const theirs = await signedInPage(ctx, colleague)
      await theirs.goto(`${server.url}/officer/cases/${report.caseId}`)
      await theirs.waitForSelector('.js-notes .js-message')
      expect(await theirs.textContent('.js-answer')).toContain(TITLE)
      expect(await theirs.textContent('.js-notes .js-message')).toBe(`NOTE-${RUN}`)
    } finally {
      await ctx.close()
    }
    expect(problems).toEqual([])
  })

  it(
    'hands a leaving colleague’s cases to a newcomer, re-sealed in this browser',
    { timeout: 60_000 },
    async () => {
      const leaver = (await t.store.accounts.list()).find(
        (a) => a.displayName === 'Petro Newcomer'
      )!
      const third = await addStaff(t.store, { roles: ['officer'], displayName: 'Third Officer' })
      await page.goto(`${server.url}/officer/handover`)
      await page.selectOption('#handover-from', leaver.id)
      await page.selectOption('#handover-to', third.account.id)
      await page.check('#handover-revoke')
      await page.click('#handover-form button[type="submit"]')
      await page.waitForFunction(() =>
        document.querySelector('#handover-form .js-result')?.classList.contains('ok')
      )
      expect(await page.textContent('#handover-form .js-result')).toContain('Передано 1')
      expect(await t.store.grants.get(report.caseId, 'officer', third.account.id)).not.toBeNull()
      expect(await t.store.grants.get(report.caseId, 'officer', leaver.id)).toBeNull()
      expect(problems).toEqual([])
    }
  )

  it(
    'asks to unlock the keys in a tab that has none, and shows nothing decrypted',
    { timeout: 60_000 },
    async () => {
      const ctx = await browser.newContext()
      try {
        const [name, token] = (await loginAs(t, officer.account)).split('=') as [string, string]
        await ctx.addCookies([
          { name, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' },
        ])
        const locked = await ctx.newPage()
        await locked.goto(`${server.url}/officer/cases/${report.caseId}`)
        await locked.waitForSelector('#officer-keys:not([hidden]) a.js-unlock')
        expect(await locked.getAttribute('#officer-keys a', 'href')).toBe(
          `/staff/unlock?next=${encodeURIComponent(`/officer/cases/${report.caseId}`)}`
        )
        expect(await locked.locator('.js-answer').count()).toBe(0)
      } finally {
        await ctx.close()
      }
    }
  )

  it(
    'fits a 360 px screen without horizontal scrolling, in Ukrainian and English',
    { timeout: 60_000 },
    async () => {
      await page.setViewportSize({ width: 360, height: 740 })
      const settled = whenQuiet(page)
      for (const lang of ['', '?lang=en']) {
        for (const path of [
          '/officer',
          `/officer/cases/${report.caseId}`,
          '/officer/intake',
          '/officer/handover',
          '/officer/plan',
          `/officer/cases/${report.caseId}/access`,
        ]) {
          await page.goto(`${server.url}${path}${lang}`)
          await settled()
          await noHorizontalScroll(page)
        }
      }
      await page.goto(`${server.url}/officer?lang=en`)
      await page.locator('.js-case-title').first().waitFor()
      expect(await page.textContent('h1')).toBe('Reports')
      expect(await page.textContent('.inbox')).toContain('Closed')
      await page.goto(`${server.url}/officer/cases/${report.caseId}?lang=en`)
      await page.waitForSelector('.js-answer')
      expect(await page.textContent('#case-status')).toContain('confirmed')
      expect(await page.textContent('.js-thread')).toContain('signature verified')
      expect(problems).toEqual([])
    }
  )
})
