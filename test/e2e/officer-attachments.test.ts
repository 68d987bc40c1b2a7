// Officer attachments in real Chromium: a reply carrying a small file, encrypted and uploaded in
// the page, which the reporter's receipt keys (in Node) then decrypt byte for byte; and a note's
// file, shown to officers only and never on the reporter's API.
import { randomBytes } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { decryptAttachmentStream, type AttachmentManifest } from '../../crypto/attachment'
import { fromBase64 } from '../../crypto/encoding'
import { openItem } from '../../crypto/item'
import { openGrant } from '../../crypto/keys'
import type { CaseView } from '../../src/report/api'
import { makeTestApp, type TestApp } from '../helpers/app'
import { launchChromium, serveOnLoopback } from '../helpers/browser'
import { unlockKeysInPage } from '../helpers/officer-browser'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { chromiumPath, describeBrowser } from '../setup/env'

const RUN = randomBytes(4).toString('hex')

describeBrowser('officer attachments in the browser', () => {
  let t: TestApp
  let server: { url: string; close(): Promise<void> }
  let browser: Browser
  let officer: TestStaff
  let context: BrowserContext
  let page: Page
  const problems: string[] = []
  const bodies: string[] = []

  beforeAll(async () => {
    t = await makeTestApp()
    officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena Officer' })
    server = await serveOnLoopback(t.app)
    browser = await launchChromium(chromiumPath)
    context = await browser.newContext()
    page = await signedInPage(context, officer)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.close()
    await t?.close()
  })

  /** A tab signed in as the staff member, keys unlocked as the unlock page leaves them. */
  async function signedInPage(ctx: BrowserContext, who: TestStaff): Promise<Page> {
    const [name, token] = (await loginAs(t, who.account)).split('=') as [string, string]
    await ctx.addCookies([
      { name, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' },
    ])
    const p = await ctx.newPage()
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    p.on('console', (m) => {
      if (m.location().url.endsWith('/favicon.ico')) return
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) {
        problems.push(`console: ${m.text()} ${JSON.stringify(m.location())}`)
      }
    })
    p.on('request', (r) => {
      const body = r.postDataBuffer()
      if (body) bodies.push(body.toString('latin1'))
    })
    await unlockKeysInPage(p, server.url, who)
    return p
  }

  async function reporterCase(token: string): Promise<CaseView> {
    const res = await t.app.request('/api/r/case', {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    return (await res.json()) as CaseView
  }

  it(
    'sends a reply with a file the reporter decrypts, and a note file the reporter never gets',
    { timeout: 90_000 },
    async () => {
      const report = await submitClientReport(t, `Attachments ${RUN}`)
      const fileText = `FILE-SENTINEL-${RUN}\n`.repeat(300)
      const fileBytes = Buffer.from(fileText, 'utf8')
      await page.goto(`${server.url}/officer/cases/${report.caseId}`)
      await page.waitForSelector('#reply-form-files')

      // Reply with a file: text item, then the upload with its progress bar, then the item.
      await page.fill('#reply-form-text', `Please see the attached letter ${RUN}`)
      await page.setInputFiles('#reply-form-files', {
        name: 'letter.txt',
        mimeType: 'text/plain',
        buffer: fileBytes,
      })
      await page.click('#reply-form button[type="submit"]')
      await page.waitForSelector('.js-thread .js-file .js-download')
      expect(await page.locator('.js-thread .js-file').count()).toBe(1)
      // Only ciphertext left the page.
      expect(bodies.some((b) => b.includes('FILE-SENTINEL'))).toBe(false)

      // The page's own download button decrypts it back.
      await page.click('.js-thread .js-download')
      await page.waitForSelector('.js-thread .js-save')

      // The reporter, with the receipt's keys in Node.
      const r = await reporterCase(report.token)
      const item = r.items.find((i) => i.kind === 'attachment')!
      expect(item).toBeDefined()
      const csk = openGrant(
        fromBase64(r.grant),
        report.keys.box.publicKey,
        report.keys.box.secretKey
      )
      const opened = openItem(fromBase64(item.sealed), fromBase64(r.casePublicKey), csk, {
        caseId: report.caseId,
        seq: item.seq,
        signerPublicKey: officer.keys.sign.publicKey,
      })
      expect(opened.verified).toBe(true)
      const file = (opened.envelope.body as { files: (AttachmentManifest & { blobId: string })[] })
        .files[0]!
      expect(file.name).toBe('letter.txt')
      const res = await t.app.request(`/api/r/blobs/${file.blobId}/data`, {
        headers: { Authorization: `Bearer ${report.token}` },
      })
      expect(res.status).toBe(200)
      const parts: Uint8Array[] = []
      for await (const p of decryptAttachmentStream(
        [new Uint8Array(await res.arrayBuffer())],
        file
      )) {
        parts.push(p)
      }
      expect(Buffer.concat(parts).equals(fileBytes)).toBe(true)

      // A note with a file: shown among the notes, never on the reporter's API.
      await page.fill('#note-form-text', `Internal memo ${RUN}`)
      await page.setInputFiles('#note-form-files', {
        name: 'memo.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(`NOTE-FILE-${RUN}`),
      })
      await page.click('#note-form button[type="submit"]')
      await page.waitForSelector('#case-notes .js-file .js-download')
      expect(await page.locator('#case-notes .js-unverified').count()).toBe(0)
      const after = await reporterCase(report.token)
      expect(after.items.filter((i) => i.kind === 'attachment')).toHaveLength(1)
      expect(after.internalSeqs).toHaveLength(2)
      expect(problems).toEqual([])
    }
  )
  it(
    'registers a paper report with its scan, shown in the new case',
    { timeout: 90_000 },
    async () => {
      await page.goto(`${server.url}/officer/intake`)
      await page.selectOption('#intake-channel', 'mailbox')
      await page.fill('#intake-text', `A letter found in the mailbox ${RUN}`)
      await page.setInputFiles('#intake-files', {
        name: 'scan.png',
        mimeType: 'image/png',
        buffer: Buffer.from(`SCAN-SENTINEL-${RUN}`),
      })
      await page.click('#intake-form button[type="submit"]')
      await page.waitForSelector('.js-open-case')
      expect(await page.locator('#intake-done .error').count()).toBe(0)
      expect(bodies.some((b) => b.includes('SCAN-SENTINEL'))).toBe(false)
      const cases = await t.store.cases.list({ channel: 'mailbox' }, 1, 10)
      expect(cases.total).toBe(1)
      const items = await t.store.items.list(cases.items[0]!.id)
      expect(items.map((i) => i.kind)).toEqual(['answers', 'attachment'])
      await page.click('.js-open-case')
      await page.waitForSelector('.js-thread .js-file .js-download')
      expect(await page.locator('.js-thread .js-verified').count()).toBe(2)
      expect(problems).toEqual([])
    }
  )
})
