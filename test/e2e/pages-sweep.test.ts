// Every page state, as the person it is for, in Ukrainian and English, with JavaScript on and
// off, on a 360 px wide phone: no horizontal scrolling, every visible control reachable with the
// Tab key, no serious or critical axe-core finding (WCAG 2.2 AA rules), and (the shared page
// hook, test/setup/page-checks.ts) no CSP violation or console error. With JavaScript on, the
// officer's keys are unlocked in the tab, so the officer pages are swept as decrypted.
// With SHOTS=1, screenshots at 360 px and 1280 px go to test-results/shots (ignored by git):
//   SHOTS=1 npx vitest run test/e2e/pages-sweep.test.ts
// They are for a person to look at, not checked; taking them was a fifth of this file's time
// (issue 12, point 8), so `npm test` does not.
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Role } from '../../src/domain/vocab'
import { checkLogo } from '../../src/branding/logo'
import { planSample } from '../../src/plan/samples'
import { formPost, makeTestApp, type TestApp } from '../helpers/app'
import { axeProblems } from '../helpers/axe'
import { launchChromium, serveOnLoopback, whenQuiet } from '../helpers/browser'
import { unlockKeysInPage } from '../helpers/officer-browser'
import { submitClientReport } from '../helpers/reporter-api'
import { createInvite } from '../../src/staff/accounts'
import { addStaff, browserEnrolment, loginAs, staffDeps, type TestStaff } from '../helpers/staff'
import { chromiumPath, describeBrowser } from '../setup/env'

/**
 * Pages (GET, HTML) and who opens them ('reporter': signed in with a receipt; 'pending': half
 * way through enrolment, setting up TOTP). :invite is an unused invitation's token.
 */
const PAGES: { path: string; as?: Role | 'reporter' | 'pending' }[] = [
  { path: '/' },
  { path: '/report' },
  { path: '/report/done' },
  { path: '/about/keys' },
  // The organisation's pages as an admin wrote them (with a logo), and their editor.
  { path: '/contact' },
  { path: '/privacy' },
  { path: '/status' },
  { path: '/status', as: 'reporter' },
  { path: '/status/case', as: 'reporter' },
  { path: '/staff/login' },
  { path: '/staff/recover' },
  { path: '/staff/enrol?token=:invite' },
  { path: '/staff/totp', as: 'pending' },
  { path: '/staff/unlock?next=/officer', as: 'officer' },
  { path: '/staff/account', as: 'officer' },
  { path: '/staff/admin/accounts', as: 'admin' },
  { path: '/staff/admin/audit', as: 'admin' },
  { path: '/staff/admin/setup', as: 'admin' },
  { path: '/staff/admin/organisation', as: 'admin' },
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
  // One key at a time, reading document.activeElement: with JavaScript off the page runs no
  // listener, so focus events cannot be collected in batches.
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

const PHONE = { width: 360, height: 740 }

const SHOTS =
  process.env.SHOTS === '1' ? resolve(import.meta.dirname, '../../test-results/shots') : ''

describeBrowser('every page state on a phone, by keyboard, with axe, in both languages', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser
  const staff = {} as Record<Role, TestStaff>
  let caseId = ''
  let receipt = ''
  let invite = ''
  let pending = ''

  beforeAll(async () => {
    t = await makeTestApp()
    for (const role of ['officer', 'admin', 'management'] as Role[]) {
      staff[role] = await addStaff(t.store, { roles: [role], email: `${role}@council.example` })
    }
    // The plan's pages with the 2020 plan in them (its long texts are what could overflow).
    for (const item of planSample(2020)?.items ?? []) {
      await t.store.plan.put(item)
    }
    // The organisation's profile, as an admin leaves it: a long name, both pages, a logo.
    await t.store.org.putTexts(
      {
        names: {
          uk: 'Виконавчий комітет Бучанської міської ради Київської області',
          en: 'Executive Committee of Bucha City Council, Kyiv Region',
        },
        contact: {
          uk: '# Приймальня\nвул. Енергетиків, 12\n\n- [anticor@rada.example](mailto:anticor@rada.example)\n- [+380 44 000 00 00](tel:+380440000000)',
          en: '# Reception\n12 Enerhetykiv St\n\n- [anticor@rada.example](mailto:anticor@rada.example)',
        },
        privacy: { uk: 'Ми не зберігаємо IP-адрес і не ставимо файлів cookie для відстеження.' },
      },
      new Date()
    )
    const logo = checkLogo(
      new TextEncoder().encode(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#1d4e89"/></svg>'
      )
    )
    if (logo.ok) await t.store.org.putLogo(logo.value, new Date())
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
    const inviteUrl = await createInvite(staffDeps(t), {
      email: 'invited@council.example',
      displayName: 'Запрошена',
      roles: ['officer'],
    })
    invite = new URL(inviteUrl).searchParams.get('token')!
    // A second person enrols (keys made in Node) and stops at the TOTP set-up.
    const other = await createInvite(staffDeps(t), {
      email: 'enrolling@council.example',
      displayName: 'Нова',
      roles: ['officer'],
    })
    const enrolment = await browserEnrolment(new URL(other).searchParams.get('token')!)
    const res = await t.app.request('/staff/enrol', {
      method: 'POST',
      body: JSON.stringify(enrolment.request),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    })
    pending = res.headers.getSetCookie().at(-1)!.split(';')[0]!
    if (SHOTS) mkdirSync(SHOTS, { recursive: true })
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  interface Tab {
    context: BrowserContext
    page: Page
    settled: () => Promise<void>
  }

  /**
   * The tab for one person in one mode, as a fresh one would be: no cookies, nothing in session
   * or local storage (the officer's keys and thread marks live there, src/browser/thread-head.ts).
   * One tab per person and mode, reused from page to page, instead of a new browser context per
   * page state: a context costs a renderer process, about a sixth of this file's time (issue 12,
   * point 8). Every state is still a full page load of its own.
   */
  async function freshTab(tabs: Map<string, Tab>, who: string, js: boolean): Promise<Tab> {
    const open = tabs.get(who)
    if (open) {
      // Storage of the server's origin, where the previous state left the tab.
      await open.page.evaluate(() => {
        sessionStorage.clear()
        localStorage.clear()
      })
      await open.context.clearCookies()
      return open
    }
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: js })
    const page = await context.newPage()
    const tab = { context, page, settled: whenQuiet(page) }
    tabs.set(who, tab)
    return tab
  }

  async function cookieFor(as: Role | 'reporter' | 'pending'): Promise<string> {
    if (as === 'pending') return pending
    if (as === 'reporter') {
      return (await t.app.request('/status', formPost({ receipt }))).headers
        .get('Set-Cookie')!
        .split(';')[0]!
    }
    return loginAs(t, staff[as].account)
  }

  for (const js of [true, false]) {
    for (const lang of ['uk', 'en'] as const) {
      const mode = `${lang}, JS ${js ? 'on' : 'off'}`
      it(
        `fits 360 px, is reachable by Tab, passes axe (${mode})`,
        { timeout: 400_000 },
        async () => {
          const problems: string[] = []
          const tabs = new Map<string, Tab>()
          for (const { path, as } of PAGES) {
            const { context, page, settled } = await freshTab(tabs, as ?? 'nobody', js)
            if (as) {
              const [name, value] = (await cookieFor(as)).split('=') as [string, string]
              await context.addCookies([
                { name, value, url: server.url, httpOnly: true, sameSite: 'Strict' },
              ])
            }
            // The officer's keys unlocked in this tab (what the unlock page leaves), so the pages
            // show what they decrypt.
            if (js && as === 'officer') await unlockKeysInPage(page, server.url, staff.officer)
            const local = path.replace(':caseId', caseId).replace(':invite', invite)
            const url = `${server.url}${local}${lang === 'en' ? `${local.includes('?') ? '&' : '?'}lang=en` : ''}`
            const res = await page.goto(url)
            if (js) await settled()
            const where = `${path} (${mode}${as ? `, ${as}` : ''})`
            if (!res || res.status() >= 400) problems.push(`${where}: HTTP ${res?.status()}`)
            if ((await page.getAttribute('html', 'lang')) !== lang) {
              problems.push(`${where}: html lang`)
            }
            if (as === 'reporter' && !(await page.$('form[action^="/status/logout"] button'))) {
              problems.push(`${where}: no sign-out button`)
            }
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - window.innerWidth
            )
            if (overflow > 0) problems.push(`${where}: ${overflow} px wider than the screen`)
            for (const found of await axeProblems(page, js)) problems.push(`${where}: axe ${found}`)
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
            if (SHOTS) {
              const file = `${path.replace(/[/:?=]+/g, '_')}${as ? `-${as}` : ''}-${lang}-js${js ? 'on' : 'off'}`
              await page.screenshot({ path: `${SHOTS}/${file}-360.png`, fullPage: true })
              await page.setViewportSize({ width: 1280, height: 800 })
              await page.screenshot({ path: `${SHOTS}/${file}-1280.png`, fullPage: true })
              await page.setViewportSize(PHONE)
            }
          }
          for (const { context } of tabs.values()) await context.close()
          expect(problems.join('\n')).toBe('')
        }
      )
    }
  }
})
