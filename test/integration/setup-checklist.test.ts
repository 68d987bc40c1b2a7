// The admin's setup checklist: each item's state comes from the system (accounts, the org key
// and certificates, the test mail, this year's plan, the calendar); an admin lands on it after
// signing in; "send test mail" sends one now and marks mail as tested, or says what is wrong.
import { afterEach, expect, it } from 'vitest'
import { landingPath } from '../../src/staff/session'
import { formPost, makeTestApp, type TestApp } from '../helpers/app'
import { addStaff, loginAs } from '../helpers/staff'

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

function states(html: string): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  for (const m of html.matchAll(/data-item="([a-zA-Z]+)" data-done="(true|false)"/g)) {
    out[m[1]!] = m[2] === 'true'
  }
  return out
}

it('shows what is done from the real state, and an admin lands on it', async () => {
  expect(landingPath(['admin'])).toBe('/staff/admin/setup')
  expect(landingPath(['admin', 'management'])).toBe('/staff/admin/setup')
  t = await makeTestApp({ env: { SMTP_URL: 'smtp://mail.council.example:25' } })
  const admin = await addStaff(t.store, { roles: ['admin'], certified: false })
  const cookie = await loginAs(t, admin.account)
  const page = async () =>
    (await t!.app.request('/staff/admin/setup', { headers: { Cookie: cookie } })).text()

  const before = states(await page())
  expect(before).toEqual({
    organisation: false,
    orgKey: false,
    officers: false,
    certified: false,
    smtp: false,
    plan: false,
    // The shipped Ukrainian calendar covers the test clock's year (2026).
    holidays: true,
  })

  await addStaff(t.store, { roles: ['officer'] }) // certified with the (test) org key
  await t.store.plan.put({
    id: 'plan-2026-1',
    year: 2026,
    number: '1',
    measure: 'Навчання працівників',
    deadlineText: '',
    responsible: '',
    doneText: '',
    covers: [],
    position: 1,
  })
  // Organisation details: the name in both languages, the contact and privacy pages.
  const details = {
    names_uk: 'Міська рада',
    names_en: 'City Council',
    contact_uk: 'вул. Центральна, 1',
    privacy_uk: 'Ми не зберігаємо IP-адрес.',
  }
  const half = await t.app.request(
    '/staff/admin/organisation',
    formPost({ ...details, privacy_uk: '' }, { Cookie: cookie })
  )
  expect(half.status).toBe(303)
  expect(states(await page()).organisation).toBe(false)
  await t.app.request('/staff/admin/organisation', formPost(details, { Cookie: cookie }))
  const sent = await t.app.request('/staff/admin/setup/test-mail', formPost({}, { Cookie: cookie }))
  expect(sent.status).toBe(303)
  expect(sent.headers.get('Location')).toContain('mail=sent')
  expect(t.mail.at(-1)?.to).toBe(admin.account.email)

  const html = await page()
  expect(states(html)).toEqual({
    organisation: true,
    orgKey: true,
    officers: true,
    certified: true,
    smtp: true,
    plan: true,
    holidays: true,
  })
  // Each item that is done somewhere else links there.
  expect(html).toContain('href="/officer/plan/import"')
  expect(html).toContain('href="/staff/admin/organisation"')
  expect(html).toContain('href="/staff/admin/accounts#invite-form"')
})

it('says so when mail is not configured or the mail server refuses', async () => {
  t = await makeTestApp({
    env: { SMTP_URL: 'smtp://mail.council.example:25' },
    mailer: { send: () => Promise.reject(new Error('connection refused')) },
  })
  const admin = await addStaff(t.store, { roles: ['admin'] })
  const cookie = await loginAs(t, admin.account)
  const failed = await t.app.request(
    '/staff/admin/setup/test-mail',
    formPost({}, { Cookie: cookie })
  )
  const back = await t.app.request(failed.headers.get('Location')!, { headers: { Cookie: cookie } })
  const html = await back.text()
  expect(html).toContain('connection refused')
  expect(states(html).smtp).toBe(false)

  await t.close()
  t = await makeTestApp()
  const other = await addStaff(t.store, { roles: ['admin'] })
  const c2 = await loginAs(t, other.account)
  const none = await t.app.request('/staff/admin/setup/test-mail', formPost({}, { Cookie: c2 }))
  expect(none.headers.get('Location')).toContain('mail=no-smtp')
  const page = await (await t.app.request('/staff/admin/setup', { headers: { Cookie: c2 } })).text()
  expect(page).toMatch(/<button type="submit" disabled>/)
  // Signed-in people who are not admins do not see it.
  const officer = await addStaff(t.store, { roles: ['officer'] })
  const denied = await t.app.request('/staff/admin/setup', {
    headers: { Cookie: await loginAs(t, officer.account) },
  })
  expect(denied.status).toBe(403)
})
