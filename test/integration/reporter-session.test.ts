// The no-JavaScript reporter session: a browser-session cookie only, ended by the server when
// idle, and a sign-out button (a plain form) on every page that has a session.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SESSION_IDLE_MS } from '../../src/report/service'
import { tokenHash } from '../../src/report/ids'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
  await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

async function reportAndLogin() {
  const form = await (await t.app.request('/report')).text()
  const fd = new FormData()
  fd.append('formToken', /name="formToken" value="([^"]+)"/.exec(form)![1]!)
  fd.append('q_what', 'Kickbacks on road repairs')
  fd.append('q_how_known', 'work')
  const html = await (
    await t.app.request('/report', { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } })
  ).text()
  const receipt = [...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{L}-]+)<\/span>/gu)]
    .map((m) => m[1])
    .join(' ')
  const login = await t.app.request('/status', formPost({ receipt }))
  expect(login.status).toBe(303)
  const setCookie = login.headers.get('Set-Cookie')!
  const cookie = setCookie.split(';')[0]!
  const sessionId = tokenHash(cookie.split('=')[1]!.split('.')[0]!)
  return { setCookie, cookie, sessionId }
}

const get = (path: string, cookie?: string) =>
  t.app.request(path, cookie ? { headers: { Cookie: cookie } } : {})

/** The sign-out form: a POST to /status/logout (keeping the language) with a button. */
function logoutForm(html: string, lang: 'uk' | 'en') {
  const action = lang === 'en' ? '/status/logout?lang=en' : '/status/logout'
  const m = new RegExp(
    `<form method="post" action="${action.replace('?', '\\?')}">\\s*<button type="submit">([^<]+)</button>`
  ).exec(html)
  return m?.[1]
}

describe('no-JavaScript reporter session', () => {
  it('is a browser-session cookie: no Max-Age, no Expires', async () => {
    const { setCookie } = await reportAndLogin()
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    expect(setCookie).not.toMatch(/Max-Age/i)
    expect(setCookie).not.toMatch(/Expires/i)
  })

  it('offers sign-out on the case page and the status page, in both languages', async () => {
    const { cookie } = await reportAndLogin()
    expect(logoutForm(await (await get('/status/case', cookie)).text(), 'uk')).toBe('Вийти')
    expect(logoutForm(await (await get('/status/case?lang=en', cookie)).text(), 'en')).toBe(
      'Sign out'
    )
    // A follow-up's error comes back to the case page, still with the button.
    const empty = await (await get('/status/case?error=empty', cookie)).text()
    expect(empty).toContain('Напишіть текст')
    expect(logoutForm(empty, 'uk')).toBe('Вийти')

    const status = await (await get('/status', cookie)).text()
    expect(logoutForm(status, 'uk')).toBe('Вийти')
    expect(status).toContain('href="/status/case"')
    expect(logoutForm(await (await get('/status?lang=en', cookie)).text(), 'en')).toBe('Sign out')
    // Without a session there is nothing to sign out of.
    expect(logoutForm(await (await get('/status')).text(), 'uk')).toBeUndefined()
  })

  it('signing out deletes the server-side session and clears the cookie', async () => {
    const { cookie, sessionId } = await reportAndLogin()
    expect(await t.store.sessions.get(sessionId, t.clock.now())).not.toBeNull()
    const out = await t.app.request('/status/logout', formPost({}, { Cookie: cookie }))
    expect(out.status).toBe(303)
    const cleared = out.headers.get('Set-Cookie')!
    expect(cleared).toMatch(/^reporter=;/)
    expect(cleared).toMatch(/Max-Age=0/)
    expect(await t.store.sessions.get(sessionId, t.clock.now())).toBeNull()
    expect((await get('/status/case', cookie)).status).toBe(303)
    expect(logoutForm(await (await get('/status', cookie)).text(), 'uk')).toBeUndefined()
  })

  it('ends on the server after SESSION_IDLE_MS without use, long before its absolute expiry', async () => {
    const { cookie, sessionId } = await reportAndLogin()
    t.clock.advance(SESSION_IDLE_MS - 60_000)
    expect((await get('/status/case', cookie)).status).toBe(200) // use keeps it alive
    t.clock.advance(SESSION_IDLE_MS - 60_000)
    expect((await get('/status/case', cookie)).status).toBe(200)
    t.clock.advance(SESSION_IDLE_MS + 1000)
    const res = await get('/status/case', cookie)
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/status')
    expect(await t.store.sessions.get(sessionId, t.clock.now())).toBeNull()
  })
})
