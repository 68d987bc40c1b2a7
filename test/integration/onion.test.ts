// The reporter side as a Tor onion service beside the clear-web site (ONION_HOSTNAME,
// docs/deployment.md "Onion service"): Onion-Location on clear-web reporter pages, no HSTS for the
// onion, no absolute clear-web link in any public page served for the onion, form posts accepted
// from the onion origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkLogo } from '../../src/branding/logo'
import { DEFAULT_QUICK_EXIT_URL } from '../../src/config'
import { isReporterPage } from '../../src/http/onion'
import { makeTestApp, type TestApp } from '../helpers/app'
import { addStaff } from '../helpers/staff'

const ONION = `${'abcdefghijklmnopqrstuvwxyz234567'.repeat(2).slice(0, 56)}.onion`
const CLEAR = 'report.example.gov.ua'

describe('onion service', () => {
  let t: TestApp
  const pages: string[] = []

  beforeAll(async () => {
    t = await makeTestApp({ env: { PUBLIC_URL: `https://${CLEAR}`, ONION_HOSTNAME: ONION } })
    // A certified officer, so that the report form is the real one (with its configuration).
    await addStaff(t.store, { roles: ['officer'], certified: true })
    // A logo (a 1-pixel PNG), so that /org/logo (404 without one) is served for the onion too.
    const logo = checkLogo(
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64'
      )
    )
    if (!logo.ok) throw new Error('the test logo was refused')
    await t.store.org.putLogo(logo.value, new Date())
    for (const r of t.app.routes) {
      if (r.method === 'GET' && !/[:*]/.test(r.path) && isReporterPage(r.path)) pages.push(r.path)
    }
  })
  afterAll(async () => {
    await t?.close()
  })

  const get = (host: string, path: string) =>
    t.app.request(`http://${host}${path}`, { headers: { Host: host, Accept: 'text/html' } })

  it('serves the public pages for the onion without HSTS or Onion-Location', async () => {
    expect(pages).toEqual(expect.arrayContaining(['/', '/report', '/status', '/about/keys']))
    for (const path of pages) {
      const res = await get(ONION, path)
      expect(res.status, path).toBeLessThan(400)
      expect(res.headers.get('Strict-Transport-Security'), path).toBeNull()
      expect(res.headers.get('Onion-Location'), path).toBeNull()
    }
  })

  it('names the onion in Onion-Location on clear-web reporter pages only, with HSTS', async () => {
    for (const path of pages) {
      const res = await get(CLEAR, `${path}?lang=uk`)
      expect(res.headers.get('Strict-Transport-Security'), path).toMatch(/max-age=\d+/)
      if (res.headers.get('Content-Type')?.startsWith('text/html')) {
        expect(res.headers.get('Onion-Location'), path).toBe(`http://${ONION}${path}?lang=uk`)
      }
    }
    for (const path of ['/staff/login', '/officer', '/management', '/healthz']) {
      expect((await get(CLEAR, path)).headers.get('Onion-Location'), path).toBeNull()
    }
  })

  it('puts no absolute clear-web link in a public page served for the onion', async () => {
    const problems: string[] = []
    for (const path of pages) {
      const html = await (await get(ONION, path)).text()
      for (const [url] of html.matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/g)) {
        // The quick exit leaves on purpose, to a neutral page (still through Tor Browser).
        if (url.startsWith(`http://${ONION}`) || url === DEFAULT_QUICK_EXIT_URL) continue
        problems.push(`${path}: ${url}`)
      }
      if (html.includes(CLEAR)) problems.push(`${path}: names ${CLEAR}`)
    }
    expect(problems).toEqual([])
    // The report form's status link (printed on the acknowledgement) is the onion's.
    expect(await (await get(ONION, '/report')).text()).toContain(
      `data-status-url="http://${ONION}/status"`
    )
    expect(await (await get(CLEAR, '/report')).text()).toContain(
      `data-status-url="https://${CLEAR}/status"`
    )
  })

  it('accepts form posts from the onion origin and still refuses other origins', async () => {
    const post = (origin: string) =>
      t.app.request(`http://${ONION}/status`, {
        method: 'POST',
        headers: {
          Host: ONION,
          Origin: origin,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'receipt=nothing',
      })
    expect((await post(`http://${ONION}`)).status).not.toBe(403)
    expect((await post(`https://${CLEAR}`)).status).not.toBe(403)
    expect((await post('http://evil.example')).status).toBe(403)
  })
})
