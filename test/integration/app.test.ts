import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../src/http/security'
import { makeTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.close()
})

function expectBaselineHeaders(res: Response) {
  const csp = res.headers.get('Content-Security-Policy') ?? ''
  expect(csp).toBe(CONTENT_SECURITY_POLICY)
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toContain("script-src 'self'")
  expect(res.headers.get('Cache-Control')).toBe('no-store')
  expect(res.headers.get('X-Frame-Options')).toBe('DENY')
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
  expect(res.headers.get('Referrer-Policy')).toBe('same-origin')
}

describe('landing page', () => {
  it('is Ukrainian by default and English with ?lang=en', async () => {
    const uk = await t.app.request('/')
    expect(uk.status).toBe(200)
    const ukHtml = await uk.text()
    expect(ukHtml).toContain('<html lang="uk">')
    expect(ukHtml).toContain('Як портал вас захищає')
    expect(ukHtml).toContain('href="/?lang=en"')

    const en = await t.app.request('/?lang=en')
    const enHtml = await en.text()
    expect(enHtml).toContain('<html lang="en">')
    expect(enHtml).toContain('How this portal protects you')
    expect(enHtml).toContain('href="/report?lang=en"')
    expect(en.headers.get('Content-Language')).toBe('en')
  })

  it('sets no cookie for visitors and loads only its own scripts', async () => {
    const res = await t.app.request('/')
    expect(res.headers.get('Set-Cookie')).toBeNull()
    const html = await res.text()
    expect(html).not.toMatch(/<script(?![^>]*src="\/static\/)/)
    expect(html).not.toMatch(/style="/)
    expect(html).toContain('/static/vendor/htmx.min.js')
  })

  it('ignores unknown languages', async () => {
    const html = await (await t.app.request('/?lang=xx')).text()
    expect(html).toContain('<html lang="uk">')
  })
})

describe('security headers', () => {
  it('are on pages, fragments, static files, 404 and 500', async () => {
    t.app.get('/__boom', () => {
      throw new Error('kaboom')
    })
    const page = await t.app.request('/')
    const fragment = await t.app.request('/', { headers: { 'HX-Request': 'true' } })
    const css = await t.app.request('/static/css/app.css')
    const htmx = await t.app.request('/static/vendor/htmx.min.js')
    const missing = await t.app.request('/no/such/page')
    const boom = await t.app.request('/__boom')
    expect([
      page.status,
      fragment.status,
      css.status,
      htmx.status,
      missing.status,
      boom.status,
    ]).toEqual([200, 200, 200, 200, 404, 500])
    for (const res of [page, fragment, css, htmx, missing, boom]) expectBaselineHeaders(res)
    expect(page.headers.get('Vary')).toContain('HX-Request')
    expect(await missing.text()).toContain('Сторінку не знайдено')
    const boomHtml = await boom.text()
    expect(boomHtml).not.toContain('kaboom')
    expect(htmx.headers.get('Content-Type')).toContain('javascript')
  })

  it('refuses cross-site form posts', async () => {
    const res = await t.app.request('/', {
      method: 'POST',
      body: new URLSearchParams({ a: 'b' }),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://evil.example',
      },
    })
    expect(res.status).toBe(403)
    expectBaselineHeaders(res)
  })
})

describe('healthz', () => {
  it('reports the store engine', async () => {
    const res = await t.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', store: 'sqlite' })
  })

  it('answers 503 when the store is unreachable', async () => {
    await t.store.close()
    const res = await t.app.request('/healthz')
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 'unavailable', store: 'sqlite' })
  })
})

describe('request log', () => {
  it('holds route patterns, never query strings, IPs or bodies', async () => {
    await t.app.request('/?lang=en&secret=sentinel-q', {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    })
    await t.app.request('/no/sentinel-path')
    const all = t.logs.join('\n')
    expect(t.logs.length).toBeGreaterThanOrEqual(2)
    expect(all).not.toContain('sentinel')
    expect(all).not.toContain('203.0.113.9')
    const line = JSON.parse(t.logs[0]!) as Record<string, unknown>
    expect(line).toMatchObject({ method: 'GET', route: '/', status: 200 })
  })
})
