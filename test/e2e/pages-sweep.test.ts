// Every page, as the person it is for, in Ukrainian and English, on a 360 px wide phone:
// no horizontal scrolling, and every visible control reachable with the Tab key.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Role } from '../../src/domain/vocab'
import { planSample } from '../../src/plan/samples'
import { formPost, makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { chromiumPath, describeBrowser } from '../setup/env'

/** Pages (GET, HTML) and who opens them ('reporter': signed in with a receipt, no JS cookie). */
const PAGES: { path: string; as?: Role | 'reporter' }[] = [
  { path: '/' },
  { path: '/report' },
  { path: '/report/done' },
  { path: '/about/keys' },
  { path: '/status' },
  { path: '/status', as: 'reporter' },
  { path: '/status/case', as: 'reporter' },
  { path: '/staff/login' },
  { path: '/staff/recover' },
  { path: '/staff/account', as: 'officer' },
  { path: '/staff/admin/accounts', as: 'admin' },
  { path: '/staff/admin/audit', as: 'admin' },
  { path: '/officer', as: 'officer' },
  { path: '/officer/cases/:caseId', as: 'officer' },
  { path: '/officer/cases/:caseId/access', as: 'officer' },
  { path: '/officer/intake', as: 'officer' },
  { path: '/officer/handover', as: 'officer' },
  { path: '/officer/plan', as: 'officer' },
  { path: '/officer/journal', as: 'officer' },
  { path: '/officer/plan/import', as: 'admin' },
  { path: '/officer/plan/edit', as: 'admin' },
  { path: '/officer/plan/items/plan-2020-16', as: 'admin' },
  { path: '/management', as: 'management' },
  // A past year with a plan and a case: the dashboard's tables and the annual report's plan table.
  { path: '/management?year=2020', as: 'management' },
  { path: '/management/report/2020', as: 'management' },
]

/** Visible, enabled controls a keyboard user must be able to reach. */
async function focusables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const els = [
      ...document.querySelectorAll<HTMLElement>(
        'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'
      ),
    ]
    return els
      .filter((el) => {
        if ((el as HTMLButtonElement).disabled || el.tabIndex < 0) return false
        // Inside a closed <details>: reached by opening its summary (Enter), which is counted.
        const closed = el.closest('details:not([open])')
        if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) return false
        // A radio group is one Tab stop (the arrow keys move inside it): count its checked one.
        const radio = el as HTMLInputElement
        if (radio.type === 'radio' && !radio.checked) {
          const group = document.querySelectorAll<HTMLInputElement>(
            `input[type=radio][name="${radio.name}"]`
          )
          if ([...group].some((r) => r.checked)) return false
        }
        const r = el.getBoundingClientRect()
        const style = getComputedStyle(el)
        return r.width > 0 && r.height > 0 && style.visibility !== 'hidden'
      })
      .map((el, i) => {
        el.dataset.sweep = String(i)
        return String(i)
      })
  })
}

async function reachedByTab(page: Page, count: number): Promise<Set<string>> {
  const reached = new Set<string>()
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  // Pages may hold controls the script added after this count; allow for them.
  for (let i = 0; i < count * 3 + 60; i++) {
    await page.keyboard.press('Tab')
    const id = await page.evaluate(
      () => (document.activeElement as HTMLElement | null)?.dataset.sweep
    )
    if (id !== undefined) reached.add(id)
    if (reached.size >= count) break
  }
  return reached
}

describeBrowser('every page on a phone, by keyboard, in both languages', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser
  const staff = {} as Record<Role, TestStaff>
  let caseId = ''
  let receipt = ''

  beforeAll(async () => {
    t = await makeTestApp()
    for (const role of ['officer', 'admin', 'management'] as Role[]) {
      staff[role] = await addStaff(t.store, { roles: [role], email: `${role}@council.example` })
    }
    // The plan's pages with the 2020 plan in them (its long texts are what could overflow).
    for (const item of planSample(2020)?.items ?? []) {
      await t.store.plan.put(item)
    }
    const report = await submitClientReport(t, 'A report for the page sweep')
    caseId = report.caseId
    receipt = report.receipt
    // 2020: a case received that year, linked to measure 15 of the plan above.
    const at = new Date('2020-03-02T09:00:00Z')
    await t.store.cases.create({
      id: 'sweep-2020',
      channel: 'phone',
      anonymity: 'confidential',
      encMode: 'server',
      state: 'received',
      tags: [],
      planItemIds: ['plan-2020-15'],
      casePublicKey: 'AAAA',
      receivedAt: at,
      createdAt: at,
      clocks: [],
    })
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  it('fits 360 px and is reachable by Tab', { timeout: 180_000 }, async () => {
    const problems: string[] = []
    for (const lang of ['uk', 'en'] as const) {
      for (const { path, as } of PAGES) {
        const context = await browser.newContext({ viewport: { width: 360, height: 740 } })
        if (as) {
          const cookie =
            as === 'reporter'
              ? (await t.app.request('/status', formPost({ receipt }))).headers
                  .get('Set-Cookie')!
                  .split(';')[0]!
              : await loginAs(t, staff[as].account)
          const [name, value] = cookie.split('=') as [string, string]
          await context.addCookies([
            { name, value, url: server.url, httpOnly: true, sameSite: 'Strict' },
          ])
        }
        const page = await context.newPage()
        const local = path.replace(':caseId', caseId)
        const url = `${server.url}${local}${lang === 'en' ? `${local.includes('?') ? '&' : '?'}lang=en` : ''}`
        const res = await page.goto(url)
        const where = `${path} (${lang}${as ? `, ${as}` : ''})`
        if (!res || res.status() >= 400) problems.push(`${where}: HTTP ${res?.status()}`)
        if ((await page.getAttribute('html', 'lang')) !== lang) problems.push(`${where}: html lang`)
        if (as === 'reporter' && !(await page.$('form[action^="/status/logout"] button'))) {
          problems.push(`${where}: no sign-out button`)
        }
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth
        )
        if (overflow > 0) problems.push(`${where}: ${overflow} px wider than the screen`)
        const all = await focusables(page)
        const reached = await reachedByTab(page, all.length)
        const missed = all.filter((id) => !reached.has(id))
        if (missed.length > 0) {
          const names = await page.evaluate(
            (ids) =>
              ids.map((id) => {
                const el = document.querySelector<HTMLElement>(`[data-sweep="${id}"]`)!
                return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`
              }),
            missed
          )
          problems.push(`${where}: not reachable by Tab: ${names.join(', ')}`)
        }
        // SWEEP_SHOTS=dir keeps a full-page picture of each page, for a person to look at.
        if (process.env.SWEEP_SHOTS) {
          const file = `${path.replace(/[/:]+/g, '_')}-${lang}.png`
          await page.screenshot({ path: `${process.env.SWEEP_SHOTS}/${file}`, fullPage: true })
          await page.setViewportSize({ width: 1280, height: 800 })
          await page.screenshot({
            path: `${process.env.SWEEP_SHOTS}/${file.replace(/\.png$/, '-1280.png')}`,
            fullPage: true,
          })
        }
        await context.close()
      }
    }
    expect(problems.join('\n')).toBe('')
  })
})
