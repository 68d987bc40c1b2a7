// Proof of work in real Chromium, at the production difficulty: the reporter's JavaScript submit solves
// the challenge in the Web Worker (work.worker.js) with a progress bar and sends the proof in
// X-Proof-Of-Work; the same report without JavaScript goes through the no-JS fallback (the
// shared budget counts it); a staff member signs in with the proof solved in the page.
import { randomBytes } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEFAULT_POW_BITS } from '../../src/config'
import { hashAuthSecret } from '../../src/staff/server-crypto'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { addOfficer } from '../helpers/officer'
import { confirmReceipt } from '../helpers/reporter-browser'
import { browserEnrolment } from '../helpers/staff'
import { chromiumPath, describeBrowser } from '../setup/env'

/** The production default: what a reporter's browser really does. */
const BITS = DEFAULT_POW_BITS

/** Every value the proof-of-work bar takes, and whether it was ever shown. */
async function recordWorkBar(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __work: { value: number; shown: boolean }[] }
    w.__work = []
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target
        const bar =
          el instanceof HTMLProgressElement && el.classList.contains('js-work-progress')
            ? el
            : el instanceof HTMLElement
              ? el.querySelector('.js-work-progress')
              : null
        if (bar instanceof HTMLProgressElement) {
          const box = bar.closest('.js-progress')
          w.__work.push({ value: bar.value, shown: !!box && !(box as HTMLElement).hidden })
        }
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['value', 'hidden', 'data-fraction'],
    })
  })
  return () =>
    page.evaluate(
      () => (window as unknown as { __work: { value: number; shown: boolean }[] }).__work
    )
}

/** Requests this page made: URL, method, the proof header, and when. */
function watchRequests(page: Page) {
  const seen: { url: string; method: string; proof?: string; body?: string; at: number }[] = []
  page.on('request', (r) => {
    const proof = r.headers()['x-proof-of-work']
    seen.push({
      url: new URL(r.url()).pathname,
      method: r.method(),
      ...(proof ? { proof } : {}),
      ...(r.postData() ? { body: r.postData()! } : {}),
      at: Date.now(),
    })
  })
  return seen
}

describeBrowser('proof of work in the browser', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser

  beforeAll(async () => {
    t = await makeTestApp({ env: { POW_BITS: String(BITS) } })
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
    'solves the work in the worker with a progress bar when a report is sent and on /status',
    {
      timeout: 120_000,
    },
    async () => {
      const context = await browser.newContext()
      const page = await context.newPage()
      const requests = watchRequests(page)
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      // Counted against what the other tests of this file stored, in whatever order they ran.
      const casesBefore = (await t.store.cases.list({}, 1, 1)).total
      await page.goto(`${server.url}/report`)
      const bar = await recordWorkBar(page)
      await page.fill('#q_what', 'A report sent with proof of work')
      await page.selectOption('#q_how_known', 'witness')
      await page.click('#report-form button[type="submit"]')
      const words = await confirmReceipt(page)
      await page.waitForSelector('.js-step-title:text("Повідомлення надіслано")', {
        timeout: 90_000,
      })

      const challenge = requests.find((r) => r.url === '/api/work')
      const worker = requests.find((r) => r.url === '/static/js/work.worker.js')
      const post = requests.find((r) => r.url === '/api/report' && r.method === 'POST')
      expect(challenge, 'a challenge was fetched').toBeDefined()
      expect(worker, 'the work ran in the worker').toBeDefined()
      expect(post?.proof).toMatch(
        new RegExp(`^submit\\.${BITS}\\.\\d+\\.[\\w-]{22}\\.[\\w-]{43}:\\d+$`)
      )
      console.log(
        `[timing] proof of work at ${BITS} bits in Chromium: ${post!.at - challenge!.at} ms ` +
          '(challenge request to submission, worker start-up included)'
      )
      const values = await bar()
      expect(
        values.some((v) => v.shown),
        'the work bar was shown'
      ).toBe(true)
      expect(values.at(-1)?.value).toBe(100)
      expect((await t.store.cases.list({}, 1, 1)).total).toBe(casesBefore + 1)

      // Coming back on /status with JavaScript: the receipt sign-in needs its own proof.
      await page.goto(`${server.url}/status?lang=en`)
      await page.fill('#receipt', words.join(' '))
      await page.click('#status-form button[type="submit"]')
      await page.waitForSelector('.js-thread', { timeout: 90_000 })
      const login = requests.find((r) => r.url === '/api/status/login')
      expect(login?.proof).toMatch(new RegExp(`^receipt\\.${BITS}\\.`))
      expect(errors).toEqual([])
      await context.close()
    }
  )

  it(
    'sends the same form without JavaScript through the no-JS fallback',
    { timeout: 60_000 },
    async () => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      const page = await context.newPage()
      const requests = watchRequests(page)
      await page.goto(`${server.url}/report`)
      // The honeypot is there but off-screen, and Tab never reaches it.
      expect(await page.isVisible('.hp-field')).toBe(true)
      const box = await page.locator('.hp-field').boundingBox()
      expect(box!.x + box!.width).toBeLessThan(0)
      await page.fill('#q_what', 'A report sent without JavaScript')
      await page.selectOption('#q_how_known', 'witness')
      const now = t.clock.now().getTime()
      const minute = new Date(now - (now % 60_000))
      const before = await t.store.counters.get('nojs:submit', minute)
      const casesBefore = (await t.store.cases.list({}, 1, 1)).total
      await page.click('#report-form button[type="submit"]')
      await page.waitForSelector('.receipt-word')
      const post = requests.find((r) => r.url === '/report' && r.method === 'POST')!
      expect(post.proof).toBeUndefined()
      expect(post.body).not.toMatch(/name="pow"/)
      expect(requests.some((r) => r.url === '/api/work')).toBe(false)
      // Counted against the shared no-JS budget, and stored.
      expect(await t.store.counters.get('nojs:submit', minute)).toBe(before + 1)
      expect((await t.store.cases.list({}, 1, 1)).total).toBe(casesBefore + 1)
      await context.close()
    }
  )

  it('signs a staff member in with the work solved in the page', { timeout: 180_000 }, async () => {
    const enrolled = await browserEnrolment('unused')
    await t.store.accounts.create({
      id: randomBytes(16).toString('base64url'),
      email: 'pow-officer@council.example',
      displayName: 'PoW officer',
      roles: ['officer'],
      status: 'active',
      boxPublicKey: enrolled.request.boxPublicKey,
      signPublicKey: enrolled.request.signPublicKey,
      keys: enrolled.request.keys,
      authHash: await hashAuthSecret(enrolled.authSecret),
      notifyDigest: false,
      createdAt: t.clock.now(),
    })
    const context = await browser.newContext()
    const page = await context.newPage()
    const requests = watchRequests(page)
    await page.goto(`${server.url}/staff/login`)
    await page.waitForSelector('#staff-login:not([hidden])')
    await page.fill('#email', 'pow-officer@council.example')
    await page.fill('#passphrase', enrolled.passphrase)
    await page.click('#staff-login button[type="submit"]')
    // No TOTP yet: a correct sign-in leads to setting it up.
    await page.waitForURL(/\/staff\/totp$/, { timeout: 150_000 })
    const post = requests.find((r) => r.url === '/staff/login' && r.method === 'POST')
    expect(post?.proof).toMatch(new RegExp(`^staff-login\\.${BITS}\\.`))
    expect(requests.some((r) => r.url === '/static/js/work.worker.js')).toBe(true)
    await context.close()
  })
})
