// A management year, end to end in headless Chromium: the admin imports the 2020 plan through the
// staff menu (pasting the seed report's text), an officer links a reporter's case to measure 15 on
// the case page, and management picks 2020 on the dashboard, reads its figures, opens the annual
// report and downloads the DOCX, whose plan table is read back here: the 19 measures in the
// seed's order, measure 15 followed by the system's figures. Management gets 403 on a case page.
// The management pages run on a 360 px wide phone, in Ukrainian and in English.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { planItemId } from '../../src/plan/import'
import { planSample } from '../../src/plan/samples'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { linkPlanItems, unlockKeysInPage } from '../helpers/officer-browser'
import { docxFirstTable } from '../helpers/report-tables'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { chromiumPath, describeBrowser } from '../setup/env'

const RUN = randomBytes(4).toString('hex')
const TITLE = `Tender rigged at the school repair ${RUN}`
const SEED = resolve(import.meta.dirname, '../fixtures/plan-2020-report.txt')
const ITEM_15 = planItemId(2020, '15')
/** The shipped 2020 plan, made from the same seed: what the import must reproduce, in order. */
const SAMPLE = planSample(2020)!.items

describeBrowser('a management year: plan import, a linked case, the annual report', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser
  const staff = {} as Record<'admin' | 'officer' | 'management', TestStaff>
  const contexts: BrowserContext[] = []
  const problems: string[] = []
  let caseId = ''

  beforeAll(async () => {
    // The year under report: March 2020.
    t = await makeTestApp({ now: new Date('2020-03-02T09:00:00Z') })
    for (const role of ['admin', 'officer', 'management'] as const) {
      staff[role] = await addStaff(t.store, { roles: [role], displayName: `${role} ${RUN}` })
    }
    // The reporter's case, sealed as the report page seals it, on 2 March 2020.
    caseId = (await submitClientReport(t, `${TITLE}\nThe contract went to a relative.`)).caseId
    // Six more 2020 reports by phone, with a name given; five already linked to measure 15.
    for (let i = 0; i < 6; i++) {
      const at = new Date(Date.UTC(2020, 4 + i, 10, 9))
      await t.store.cases.create({
        id: `phone-${i}-${RUN}`,
        channel: 'phone',
        anonymity: 'confidential',
        encMode: 'server',
        state: 'received',
        tags: [],
        planItemIds: i < 5 ? [ITEM_15] : [],
        casePublicKey: 'AAAA',
        receivedAt: at,
        createdAt: at,
        clocks: [],
      })
    }
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  /** A tab signed in as the staff member (a session made as the login handler makes it). */
  async function signedIn(who: TestStaff, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport })
    contexts.push(context)
    const [name, value] = (await loginAs(t, who.account)).split('=') as [string, string]
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Strict' }])
    const page = await context.newPage()
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      if (m.location().url.endsWith('/favicon.ico')) return
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) {
        problems.push(`console: ${m.text()} ${JSON.stringify(m.location())}`)
      }
    })
    return page
  }

  const figure = async (page: Page, name: string) =>
    ((await page.textContent(`[data-figure="${name}"]`)) ?? '').trim()

  /** Downloads the dashboard's DOCX link; returns its name and bytes. */
  async function downloadDocx(page: Page): Promise<{ name: string; bytes: Uint8Array }> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.report-links a[href*=".docx"]'),
    ])
    expect(await download.failure()).toBeNull()
    return {
      name: download.suggestedFilename(),
      bytes: new Uint8Array(readFileSync(await download.path())),
    }
  }

  it(
    'imports the plan from the menu, links the case to measure 15, and management downloads the report',
    { timeout: 180_000 },
    async () => {
      // ---- 1. the admin opens the plan import from the staff menu and pastes the seed's text
      const admin = await signedIn(staff.admin)
      await admin.goto(`${server.url}/staff/account`)
      await admin.click('nav.staff-nav a:text-is("План заходів")')
      await admin.waitForURL(`${server.url}/officer/plan/edit`)
      await admin.click('a:text-is("Імпортувати план із файлу")')
      await admin.waitForURL(`${server.url}/officer/plan/import`)
      await admin.fill('#plan-text', readFileSync(SEED, 'utf8'))
      await admin.click('.plan-import-form button[type="submit"]')
      // No year typed: it is read from the title ("… за 2020 рік"); the admin stays on the page.
      const notice = (await admin.textContent('p.ok[role="status"]'))!
      expect(notice).toContain('19')
      expect(notice).toContain('2020')
      const plan = await t.store.plan.listYear(2020)
      expect(plan.map((p) => [p.number, p.measure])).toEqual(
        SAMPLE.map((p) => [p.number, p.measure])
      )

      // ---- 2. the officer opens the case (decrypted in the page) and links measure 15
      const officer = await signedIn(staff.officer)
      await unlockKeysInPage(officer, server.url, staff.officer)
      await officer.goto(`${server.url}/officer/cases/${caseId}`)
      await officer.waitForSelector('.js-answer')
      expect(await officer.textContent('.js-answers')).toContain(TITLE)
      await linkPlanItems(officer, [ITEM_15])
      expect((await t.store.cases.get(caseId))!.planItemIds).toEqual([ITEM_15])

      // ---- 3. January 2021: management opens the dashboard on a phone; it starts on 2021
      t.clock.set(new Date('2021-01-20T09:00:00Z'))
      const m = await signedIn(staff.management, { width: 360, height: 740 })
      await m.goto(`${server.url}/management`)
      expect(await m.inputValue('#year')).toBe('2021')
      expect(await figure(m, 'received')).toBe('0')
      // ... and chooses 2020, the year with the cases
      await m.selectOption('#year', '2020')
      await m.click('.year-form button[type="submit"]')
      await m.waitForURL(/[?&]year=2020/)
      expect(await figure(m, 'received')).toBe('7')
      expect(await figure(m, 'channel-web')).toBe('1')
      expect(await figure(m, 'channel-phone')).toBe('6')
      expect(await figure(m, 'anonymous')).toBe('1')
      expect(await figure(m, 'confidential')).toBe('6')
      expect(await figure(m, 'prev-received')).toBe('0')
      // Quarters are finer than the year: small counts are shown as "< 5".
      expect(await figure(m, 'q1')).toBe('< 5')
      expect(await m.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

      // ---- 4. follows the link to the annual report: the plan table with the figures
      await m.click('.report-links a[href^="/management/report/2020"]:not([download])')
      await m.waitForURL(`${server.url}/management/report/2020`)
      expect(await m.locator('table.plan tbody tr').count()).toBe(19)
      const figures15 = (await m.locator(`tr[id="${ITEM_15}"] p.figures`).allTextContents()).join(
        '\n'
      )
      expect(figures15).toContain('За даними системи повідомлень про корупцію:')
      expect(figures15).toContain('з цим заходом пов’язано 6 повідомлень.')
      // ... and back to the dashboard, still on 2020
      await m.click('.tools a')
      await m.waitForURL(/\/management\?year=2020$/)

      // ---- 5. downloads the DOCX and the plan table is read back from word/document.xml
      const uk = await downloadDocx(m)
      expect(uk.name).toBe('annual-report-2020.docx')
      const [header, ...rows] = docxFirstTable(uk.bytes)
      expect(header).toEqual([
        '№ з/п',
        'Заплановані заходи',
        'Термін виконання',
        'Відповідальні особи',
        'Про проведений захід',
      ])
      expect(rows.map((r) => [r[0], r[1]])).toEqual(SAMPLE.map((p) => [p.number, p.measure]))
      const done15 = rows[SAMPLE.findIndex((p) => p.id === ITEM_15)]![4]!
      expect(done15.startsWith(SAMPLE.find((p) => p.id === ITEM_15)!.doneText)).toBe(true)
      expect(done15).toContain(
        'За даними системи повідомлень про корупцію:\n' +
          'за 2020 рік надійшло 7 повідомлень, з них через офіційний веб-сайт — 1, анонімно — 1;'
      )
      expect(done15).toContain('з цим заходом пов’язано 6 повідомлень.')
      // A measure without case work carries no figures: its cell is the plan's account only.
      const done1 = rows[0]![4]!
      expect(done1).toBe(SAMPLE[0]!.doneText)

      // ---- 6. the same in English: the dashboard's DOCX is the English report
      await m.goto(`${server.url}/management?year=2020&lang=en`)
      const en = await downloadDocx(m)
      const [enHeader, ...enRows] = docxFirstTable(en.bytes)
      expect(enHeader![1]).toBe('Planned measures')
      expect(enRows).toHaveLength(19)
      expect(enRows[SAMPLE.findIndex((p) => p.id === ITEM_15)]![4]).toContain(
        'From the whistleblower reporting system:\n' +
          'in 2020, 7 reports received, of them through the website 1, anonymously 1;'
      )

      expect(problems).toEqual([])

      // ---- 7. management sees counts, never a case: 403 on the case page in the browser
      const res = await m.goto(`${server.url}/officer/cases/${caseId}`)
      expect(res!.status()).toBe(403)
      expect(await m.$('#fields-title')).toBeNull()
      // An officer signed in now gets the case there (the 403 is the role, not the address).
      const later = await signedIn(staff.officer)
      expect((await later.goto(`${server.url}/officer/cases/${caseId}`))!.status()).toBe(200)
      expect(await later.$('#fields-title')).not.toBeNull()
    }
  )
})
