// Small things on the admin and officer pages: the certificate read-out field (the "PIN") only on
// rows where a certificate means something (officers, admins), and the hand-over page does not
// offer the person whose cases are handed over as the one to receive them.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { makeTestApp, type TestApp } from '../helpers/app'
import { addStaff, loginAs } from '../helpers/staff'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.close()
})

/** The HTML of one account's row on the accounts page. */
function row(html: string, id: string): string {
  const start = html.indexOf(`id="account-${id}"`)
  expect(start).toBeGreaterThan(0)
  return html.slice(start, html.indexOf('</tr>', start))
}

it('asks for the fingerprint read-out only on officer and admin rows', async () => {
  const admin = await addStaff(t.store, { roles: ['admin'] })
  const officer = await addStaff(t.store, { roles: ['officer'], certified: false })
  const manager = await addStaff(t.store, { roles: ['management'], certified: false })
  const res = await t.app.request('/staff/admin/accounts', {
    headers: { Cookie: await loginAs(t, admin.account) },
  })
  expect(res.status).toBe(200)
  const html = await res.text()
  expect(row(html, officer.account.id)).toContain('class="certify-form"')
  expect(row(html, manager.account.id)).not.toContain('class="certify-form"')
  expect(row(html, manager.account.id)).not.toContain('class="cert cert-')
})

it('does not offer the leaving officer as the receiver of their own cases', async () => {
  const me = await addStaff(t.store, { roles: ['officer'], displayName: 'Я' })
  const colleague = await addStaff(t.store, { roles: ['officer'], displayName: 'Колега' })
  const cookie = await loginAs(t, me.account)
  const html = await (
    await t.app.request('/officer/handover', { headers: { Cookie: cookie } })
  ).text()
  const to = /<select id="handover-to"[\s\S]*?<\/select>/.exec(html)![0]
  expect(to).toContain(`value="${colleague.account.id}"`)
  expect(to).not.toContain(`value="${me.account.id}"`)
  const from = /<select id="handover-from"[\s\S]*?<\/select>/.exec(html)![0]
  expect(from).toMatch(new RegExp(`value="${me.account.id}" selected`))

  // Handing over a colleague's cases: the colleague is not a receiver, this officer is.
  const theirs = await (
    await t.app.request(`/officer/handover?from=${colleague.account.id}`, {
      headers: { Cookie: cookie },
    })
  ).text()
  const to2 = /<select id="handover-to"[\s\S]*?<\/select>/.exec(theirs)![0]
  expect(to2).not.toContain(`value="${colleague.account.id}"`)
  expect(to2).toContain(`value="${me.account.id}"`)
})
