// Acceptance, end to end in headless Chromium, with a real page for every step: an admin sets
// up, invites an officer; the officer enrols, logs in with TOTP, sees a report submitted through
// the reporter path, decrypts it, acknowledges it, replies, links it to a plan item, opens an
// investigation, and closes it; the reporter then reads the reply with the receipt. The server's
// database never held the passphrase, wrapKey or an unwrapped secret key (scanned for below).
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { officerKeysFromSecrets, parseRecoveryCode, unwrapSecrets } from '../../crypto/keys'
import { normalizeReceipt } from '../../crypto/receipt'
import type { SubmitReportRequest } from '../../src/report/api'
import { importPlan, planItemId } from '../../src/plan/import'
import { ensureSetupToken } from '../../src/staff/accounts'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { sqliteFilesContain } from '../helpers/db-scan'
import {
  acknowledgeByKeyboard,
  closeWithOutcome,
  linkPlanItems,
  openInvestigation,
  replyInPage,
} from '../helpers/officer-browser'
import { anyContains, confirmReceipt } from '../helpers/reporter-browser'
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

const RUN = randomBytes(6).toString('hex')
const ADMIN_EMAIL = `admin-${RUN}@council.example`
const OFFICER_EMAIL = `officer-${RUN}@council.example`
/** The reporter's sentinel: the first line of the answer is the title the inbox shows. */
const SENTINEL = `SENTINEL-report-${RUN}`
const TITLE = `Tender rigged at the school repair ${SENTINEL}`
const REPLY = `SENTINEL-reply-${RUN}: thank you, we have started the review`
const YEAR = 2026
const PLAN_ITEM = planItemId(YEAR, '15')
const SEED = resolve(import.meta.dirname, '../fixtures/plan-2020-report.txt')

describeBrowser(
  'acceptance: an officer’s day, from set-up to the reporter reading the reply',
  () => {
    let t: TestApp
    let server: { url: string; close(): Promise<void> }
    let browser: Browser
    const contexts: BrowserContext[] = []
    /** Every request any page (or its workers) made, and what it sent. */
    const requests: { url: string; method: string; body: Buffer }[] = []
    /** Page errors, console errors and CSP refusals, on every page of every context. */
    const problems: string[] = []

    beforeAll(async () => {
      // New staff passphrases at the floor the browser accepts (STAFF_KDF_MIB/PASSES): this test is
      // about the day's work; the design's 64 MiB runs in Chromium in officer-workspace's unlock.
      t = await makeTestApp({
        now: new Date(`${YEAR}-03-02T09:00:00Z`),
        env: { STAFF_KDF_MIB: '19', STAFF_KDF_PASSES: '2' },
      })
      // Plan item 15 (reports from whistleblowers), from the council's 2020 plan in the fixtures.
      await importPlan(t.store, readFileSync(SEED, 'utf8'), YEAR)
      expect(await t.store.plan.listYear(YEAR)).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: PLAN_ITEM, number: '15' })])
      )
      server = await serveOnLoopback(t.app)
      browser = await launchChromium(chromiumPath)
    })
    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined)
      await browser?.close()
      await server?.close()
      await t?.close()
    })

    /** A fresh browser profile (its own cookies and storage) whose pages are all watched. */
    async function newContext(label: string): Promise<BrowserContext> {
      const context = await browser.newContext()
      contexts.push(context)
      context.on('request', (r) => {
        requests.push({
          url: r.url(),
          method: r.method(),
          body: r.postDataBuffer() ?? Buffer.alloc(0),
        })
      })
      context.on('page', (p) => watch(p, label))
      return context
    }

    function watch(page: Page, label: string): void {
      page.on('pageerror', (e) => problems.push(`${label} pageerror: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) {
          problems.push(`${label} console: ${m.text()} ${JSON.stringify(m.location())}`)
        }
      })
    }

    it(
      'sets up, invites, enrols, signs in with TOTP, works a reporter’s case to closed, and the reporter reads the reply',
      { timeout: 240_000 },
      async () => {
        const started = Date.now()

        // ---- 1. the first admin sets up with the printed token, enrols and sets up TOTP
        const token = await ensureSetupToken(staffDeps(t))
        expect(token).not.toBeNull()
        const admin = await (await newContext('admin')).newPage()
        await admin.goto(`${server.url}/staff/setup?token=${token}`)
        await admin.fill('#setup-email', ADMIN_EMAIL)
        await admin.fill('#setup-name', 'Олена Адміністраторка')
        await admin.click('form button[type="submit"]')
        await admin.waitForURL(/\/staff\/enrol\?token=/)
        const adminEnrol = await enrolInPage(admin)
        const adminTotp = await setUpTotp(admin, t)
        // After setting up, an admin lands on the setup checklist; its first item leads to accounts.
        await admin.waitForURL(/\/staff\/admin\/setup$/)
        await admin.click('a[href$="/staff/admin/accounts"] >> nth=0')
        await admin.waitForURL(/\/staff\/admin\/accounts$/)

        // ---- 2. the admin invites an officer (no mail configured: the link is shown)
        await admin.fill('#invite-email', OFFICER_EMAIL)
        await admin.fill('#invite-name', 'Петро Уповноважений')
        await admin.check('#invite-role-officer')
        await admin.click('#invite-form button[type="submit"]')
        await admin.waitForSelector('#invite-link')
        const link = new URL(await admin.inputValue('#invite-link'))
        expect(link.pathname).toBe('/staff/enrol')

        // ---- 3. the officer enrols in a second browser and reads out the fingerprint
        const officer = await (await newContext('officer')).newPage()
        await officer.goto(`${server.url}${link.pathname}${link.search}`)
        const officerEnrol = await enrolInPage(officer)
        const officerTotp = await setUpTotp(officer, t)
        await officer.waitForURL(/\/officer$/)
        await officer.goto(`${server.url}/staff/account`)
        const fingerprint = (await officer.textContent('#own-fingerprint'))!.trim()
        expect(fingerprint).toBe(officerEnrol.fingerprint)

        // ---- 4. the admin makes the organisation key in the browser (keys unlocked first) and
        // certifies the officer's keys with it: from now on reports are sealed to this officer
        await unlockInPage(admin, server.url, adminEnrol.passphrase, '/staff/admin/accounts')
        await createOrgKeyInPage(admin)
        await certifyInPage(admin, OFFICER_EMAIL, fingerprint)

        // ---- 5. the officer signs out, and in again with the passphrase and a TOTP code
        await officer.click('.staff-logout button')
        await officer.waitForURL(/\/staff\/login\?out=1$/)
        await signInWithTotp(officer, t, {
          email: OFFICER_EMAIL,
          passphrase: officerEnrol.passphrase,
          totpSecret: officerTotp,
        })

        // ---- 6. a reporter submits through /report in a third browser (JavaScript on)
        const reporter = await (await newContext('reporter')).newPage()
        await reporter.goto(`${server.url}/report`)
        await reporter.fill('#q_what', `${TITLE}\nThe contract went to the director's brother.`)
        await reporter.selectOption('#q_how_known', 'witness')
        await reporter.click('#report-form button[type="submit"]')
        await reporter.waitForSelector('.js-receipt')
        const receipt = (await confirmReceipt(reporter)).join(' ')
        await reporter.waitForSelector('.js-step-title:text("Повідомлення надіслано")', {
          timeout: 90_000,
        })
        const sent = requests.find((r) => r.url === `${server.url}/api/report`)!
        const { caseId, encMode } = JSON.parse(sent.body.toString('utf8')) as SubmitReportRequest
        expect(encMode).toBe('client')
        const caseState = () => t.store.cases.get(caseId)
        expect((await caseState())!.state).toBe('received')

        // ---- 7. the officer sees it in the inbox, its title decrypted in the browser
        await officer.goto(`${server.url}/officer`)
        const title = officer.locator(`[data-case-title="${caseId}"] .js-case-title`)
        await title.waitFor()
        expect(await title.textContent()).toBe(TITLE)
        // The server only rendered a placeholder: the title is not in the page it sent.
        const inboxHtml = await officer.evaluate(async () => (await fetch('/officer')).text())
        expect(inboxHtml).toContain(caseId)
        expect(inboxHtml).not.toContain(SENTINEL)

        // ---- 8. opens it (decrypted and verified in the page), acknowledges, replies
        await officer.click(`tr[data-case-id="${caseId}"] a.case-link`)
        await officer.waitForSelector('.js-answer')
        expect(await officer.textContent('.js-answers')).toContain(TITLE)
        expect(await officer.locator('.js-thread .js-verified').count()).toBe(1)
        expect(await officer.locator('.js-thread-problems').count()).toBe(0)
        await acknowledgeByKeyboard(officer, 'Registered and acknowledged')
        expect((await caseState())!.state).toBe('preliminary-review')
        await replyInPage(officer, REPLY)

        // ---- 9. links plan item 15, opens an investigation, closes it as confirmed
        await linkPlanItems(officer, [PLAN_ITEM])
        expect((await caseState())!.planItemIds).toEqual([PLAN_ITEM])
        await openInvestigation(officer, 'Facts to check')
        expect((await caseState())!.state).toBe('investigation')
        await closeWithOutcome(officer, 'confirmed', 'Investigation report signed')
        expect(await caseState()).toMatchObject({
          state: 'closed',
          outcome: 'confirmed',
          planItemIds: [PLAN_ITEM],
        })

        // ---- 10. the reporter comes back later (a fresh browser profile) with the receipt
        const back = await (await newContext('reporter-back')).newPage()
        await back.goto(`${server.url}/status?lang=en`)
        await back.fill('#receipt', receipt)
        await back.click('#status-form button[type="submit"]')
        await back.waitForSelector('.js-thread', { timeout: 90_000 })
        const thread = (await back.textContent('.js-thread'))!
        expect(thread).toContain(REPLY)
        expect(thread).toContain(TITLE)
        expect(await back.textContent('.js-state')).toBe('Status: Review completed')
        expect(await back.textContent('#js-area')).toContain('Outcome: The facts were confirmed')
        expect(await back.$$('.js-unverified, .js-unreadable, .js-thread-problems')).toHaveLength(0)
        expect(await back.inputValue('#receipt')).toBe('')

        // ---- the secrets, recomputed here from what the pages showed the people
        const secrets: { label: string; needle: string | Uint8Array }[] = [
          { label: 'receipt', needle: receipt },
          { label: 'receipt (normalised)', needle: normalizeReceipt(receipt) },
          { label: 'reporter sentinel', needle: SENTINEL },
          { label: 'reply', needle: REPLY },
          { label: 'reply sentinel', needle: REPLY.split(':')[0]! },
        ]
        const bytesForms = (label: string, bytes: Uint8Array) => {
          secrets.push(
            { label: `${label} (raw)`, needle: bytes },
            { label: `${label} (base64)`, needle: toBase64(bytes) },
            { label: `${label} (base64url)`, needle: Buffer.from(bytes).toString('base64url') },
            { label: `${label} (hex)`, needle: Buffer.from(bytes).toString('hex') }
          )
        }
        for (const [who, email, enrol, totp] of [
          ['admin', ADMIN_EMAIL, adminEnrol, adminTotp],
          ['officer', OFFICER_EMAIL, officerEnrol, officerTotp],
        ] as const) {
          const account = (await t.store.accounts.getByEmail(email))!
          const { wrapKey } = await browserDerive(
            enrol.passphrase,
            fromBase64(account.keys!.salt),
            account.keys!.kdf
          )
          // The stored wrap opens with the derived wrapKey: these are the account's real keys.
          const { boxSecretKey, signSeed } = unwrapSecrets(account.keys!.wrapped, wrapKey)
          const keys = officerKeysFromSecrets(boxSecretKey, signSeed)
          expect(toBase64(keys.box.publicKey)).toBe(account.boxPublicKey)
          expect(toBase64(keys.sign.publicKey)).toBe(account.signPublicKey)
          secrets.push(
            { label: `${who} passphrase`, needle: enrol.passphrase },
            { label: `${who} passphrase (as typed)`, needle: enrol.passphrase.toUpperCase() },
            { label: `${who} recovery code`, needle: enrol.recoveryCode },
            {
              label: `${who} recovery code (no spaces)`,
              needle: enrol.recoveryCode.replace(/ /g, ''),
            },
            { label: `${who} TOTP secret`, needle: totp }
          )
          bytesForms(`${who} wrapKey`, wrapKey)
          bytesForms(`${who} box secret key`, boxSecretKey)
          bytesForms(`${who} sign seed`, signSeed)
          bytesForms(`${who} sign secret key`, keys.sign.secretKey)
          bytesForms(`${who} recovery key`, parseRecoveryCode(enrol.recoveryCode))
        }

        // ---- none of it in the database files (SQLite, its WAL and journal), nor in the logs
        const db = join(t.dir, 'portal.sqlite')
        expect(existsSync(db)).toBe(true)
        const logs = t.logs.join('\n')
        const found = secrets.filter(
          ({ needle }) =>
            sqliteFilesContain(db, needle) || (typeof needle === 'string' && logs.includes(needle))
        )
        expect(found.map((s) => s.label)).toEqual([])
        // What may be stored is found there: the scan looks at the right file, in these forms.
        const officerAccount = (await t.store.accounts.getByEmail(OFFICER_EMAIL))!
        expect(sqliteFilesContain(db, caseId)).toBe(true)
        expect(sqliteFilesContain(db, officerAccount.boxPublicKey!)).toBe(true)
        expect(sqliteFilesContain(db, officerAccount.keys!.wrapped)).toBe(true)

        // ---- nothing readable left the browsers, and nothing went anywhere but this server
        const readable = secrets.filter(({ needle }) => anyContains(requests, Buffer.from(needle)))
        expect(readable.map((s) => s.label)).toEqual([])
        const elsewhere = requests.map((r) => r.url).filter((u) => !u.startsWith(`${server.url}/`))
        expect(elsewhere).toEqual([])
        expect(requests.length).toBeGreaterThan(20)
        expect(problems).toEqual([])

        console.log(
          `[timing] acceptance: ${requests.length} requests, ${secrets.length} secrets scanned, ` +
            `${Date.now() - started} ms`
        )
      }
    )
  }
)
