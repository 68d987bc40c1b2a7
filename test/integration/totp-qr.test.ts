// The TOTP set-up page draws the otpauth:// URI as an SVG QR code on the server; a QR decoder
// (jsQR) reads the drawn code back as the same URI the page gives as a link. The SVG is
// rasterised here from its own path (each "Mx yh1v1h-1z" is one dark module).
import jsQR from 'jsqr'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createInvite } from '../../src/staff/accounts'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { browserEnrolment, staffDeps } from '../helpers/staff'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.close()
})

/** RGBA pixels of the SVG's modules, `scale` pixels each, white where no module is dark. */
function rasterise(svg: string, scale: number): { data: Uint8ClampedArray; side: number } {
  const modules = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1])
  const d = /<path[^>]* d="([^"]*)"/.exec(svg)![1]!
  const side = modules * scale
  const data = new Uint8ClampedArray(side * side * 4).fill(255)
  for (const [, xs, ys] of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    const [x, y] = [Number(xs), Number(ys)]
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const i = ((y * scale + dy) * side + x * scale + dx) * 4
        data[i] = data[i + 1] = data[i + 2] = 0
      }
    }
  }
  // Nothing in the path that is not a module: the regexp above read all of it.
  expect(d.replace(/M\d+ \d+h1v1h-1z/g, '')).toBe('')
  return { data, side }
}

it('shows a QR code that decodes to the same otpauth:// URI, with the key as text', async () => {
  // The authenticator app lists the key under the organisation's name as its admin wrote it.
  const names = { uk: 'Бучанська міська рада', en: 'Bucha City Council' }
  await t.store.org.putTexts({ names, contact: {}, privacy: {} }, new Date())
  const url = await createInvite(staffDeps(t), {
    email: 'qr.officer@council.example',
    displayName: 'Оксана',
    roles: ['officer'],
  })
  const token = new URL(url, TEST_ORIGIN).searchParams.get('token')!
  const enrolment = await browserEnrolment(token)
  const res = await t.app.request('/staff/enrol', {
    method: 'POST',
    body: JSON.stringify(enrolment.request),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  })
  expect(res.status).toBe(200)
  const cookie = res.headers.getSetCookie().at(-1)!.split(';')[0]!
  const page = await (await t.app.request('/staff/totp', { headers: { Cookie: cookie } })).text()

  const uri = /id="totp-uri" href="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&')
  expect(uri).toMatch(/^otpauth:\/\/totp\/.*qr\.officer%40council\.example\?.*secret=/)
  const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, '')
  expect(new URL(uri).searchParams.get('secret')).toBe(secret)
  expect(new URL(uri).searchParams.get('issuer')).toBe('Бучанська міська рада')

  const svg = /<svg[^>]*class="qr"[\s\S]*?<\/svg>/.exec(page)![0]
  expect(svg).toContain('role="img"')
  expect(svg).toMatch(/aria-label="QR-код/)
  // No inline style (the CSP allows none).
  expect(svg).not.toMatch(/style=/)
  const { data, side } = rasterise(svg, 4)
  const decoded = jsQR(data, side, side)
  expect(decoded?.data).toBe(uri)
})
