// The organisation's public face (issue 11, point 10): the admin writes the name per language and
// the contact and privacy pages and uploads a logo, without JavaScript (post/redirect/get); every
// page shows the name and logo in its header and links the two pages in its footer; the texts
// are rendered safely and an SVG that could run something is refused (with the file's name).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { planSample } from '../../src/plan/samples'
import { openSqliteStore } from '../../src/store/sqlite'
import { flaky } from '../helpers/flaky-store'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addStaff, loginAs } from '../helpers/staff'

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3])

function upload(cookie: string, name: string, type: string, data: Uint8Array | string) {
  const form = new FormData()
  form.append(
    'logo',
    new File([typeof data === 'string' ? data : Buffer.from(data)], name, { type })
  )
  return { method: 'POST', body: form, headers: { Origin: TEST_ORIGIN, Cookie: cookie } }
}

const texts = {
  names_uk: 'Бучанська міська рада',
  names_en: 'Bucha City Council',
  contact_uk:
    '# Приймальня\nвул. Енергетиків, 12\n\n- [anticor@rada.example](mailto:anticor@rada.example)',
  contact_en: '',
  privacy_uk: 'Ми не зберігаємо IP-адрес. <script>alert(1)</script>',
  privacy_en: 'We keep no IP addresses.',
}

it('lets the admin write the texts; the public pages, header and footer show them safely', async () => {
  t = await makeTestApp({ env: { ORG_NAME: 'Рада з ORG_NAME' } })
  const admin = await addStaff(t.store, { roles: ['admin'] })
  const cookie = await loginAs(t, admin.account)
  const get = async (path: string) => {
    const res = await t!.app.request(path)
    return { status: res.status, html: await res.text() }
  }

  // Before: ORG_NAME in the header, the footer links to pages that say they are not written.
  let home = await get('/')
  expect(home.html).toContain('Рада з ORG_NAME')
  expect(home.html).toMatch(
    /<footer class="site-footer">[\s\S]*href="\/contact"[\s\S]*href="\/privacy"/
  )
  expect((await get('/contact')).html).toContain('Організація ще не заповнила цю сторінку.')

  // The admin finds the form from the staff menu.
  const accounts = await t.app.request('/staff/admin/accounts', { headers: { Cookie: cookie } })
  expect(await accounts.text()).toMatch(
    /<a href="\/staff\/admin\/organisation">Дані організації<\/a>/
  )

  const saved = await t.app.request(
    '/staff/admin/organisation',
    formPost(texts, { Cookie: cookie })
  )
  expect(saved.status).toBe(303)
  expect(saved.headers.get('Location')).toBe('/staff/admin/organisation?saved=1')

  home = await get('/')
  expect(home.html).toContain('<title>')
  expect(home.html).toContain('Бучанська міська рада ·')
  expect(home.html).not.toContain('Рада з ORG_NAME')
  const en = await get('/report?lang=en')
  expect(en.html).toContain('Bucha City Council ·')
  expect(en.html).toContain('href="/privacy?lang=en"')

  const contact = await get('/contact')
  expect(contact.status).toBe(200)
  expect(contact.html).toContain('<h2>Приймальня</h2>')
  expect(contact.html).toContain('href="mailto:anticor@rada.example"')
  // No English text: the Ukrainian one, saying so.
  const contactEn = await get('/contact?lang=en')
  expect(contactEn.html).toContain('<h2>Приймальня</h2>')
  expect(contactEn.html).toContain('written this page in Ukrainian only')
  const privacy = await get('/privacy')
  expect(privacy.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  expect(privacy.html).not.toContain('<script>alert(1)')
  expect((await get('/privacy?lang=en')).html).toContain('We keep no IP addresses.')

  // The form shows what is stored; a text too long comes back as typed, with what to do.
  const form = await (
    await t.app.request('/staff/admin/organisation', { headers: { Cookie: cookie } })
  ).text()
  expect(form).toContain('value="Bucha City Council"')
  const long = { ...texts, privacy_en: 'x'.repeat(20_001), names_uk: 'Інша назва' }
  const refused = await t.app.request(
    '/staff/admin/organisation',
    formPost(long, { Cookie: cookie })
  )
  expect(refused.status).toBe(422)
  const back = await refused.text()
  expect(back).toContain('value="Інша назва"')
  expect(back).toContain('(зараз 20001): скоротіть його.')
  expect((await get('/')).html).toContain('Бучанська міська рада ·')

  // Done on the checklist: a name in both languages and both pages in Ukrainian.
  const checklist = await (
    await t.app.request('/staff/admin/setup', { headers: { Cookie: cookie } })
  ).text()
  expect(checklist).toContain('data-item="organisation" data-done="true"')
  expect(checklist).toContain('href="/staff/admin/organisation"')
  const audit = await t.store.audit.range(1, 100)
  expect(audit.map((e) => e.action)).toContain('staff.org-profile')
})

it('takes a PNG or a plain SVG logo, serves it under a sandbox, and refuses a scripted SVG by name', async () => {
  t = await makeTestApp()
  const admin = await addStaff(t.store, { roles: ['admin'] })
  const cookie = await loginAs(t, admin.account)

  expect((await t.app.request('/org/logo')).status).toBe(404)
  const up = await t.app.request(
    '/staff/admin/organisation/logo',
    upload(cookie, 'logo.png', 'image/png', PNG)
  )
  expect(up.status).toBe(303)
  expect(up.headers.get('Location')).toBe('/staff/admin/organisation?logo=saved')
  const home = await (await t.app.request('/')).text()
  const src = /<img class="brand-logo" src="([^"]+)" alt="Логотип: [^"]+">/.exec(home)?.[1]
  expect(src).toMatch(/^\/org\/logo\?v=[0-9a-f]{16}$/)
  const logo = await t.app.request(src!.replaceAll('&amp;', '&'))
  expect(logo.status).toBe(200)
  expect(logo.headers.get('Content-Type')).toBe('image/png')
  expect(logo.headers.get('Content-Security-Policy')).toContain('sandbox')
  expect(logo.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
  expect(logo.headers.get('Cache-Control')).toContain('immutable')
  expect(new Uint8Array(await logo.arrayBuffer())).toEqual(PNG)

  // A scripted SVG: refused, named, and the stored logo stays.
  const bad = await t.app.request(
    '/staff/admin/organisation/logo',
    upload(cookie, 'герб.svg', 'image/svg+xml', '<svg onload="alert(1)"></svg>')
  )
  expect(bad.status).toBe(422)
  expect(await bad.text()).toContain('SVG «герб.svg» містить скрипти')
  const text = await t.app.request(
    '/staff/admin/organisation/logo?lang=en',
    upload(cookie, 'notes.txt', 'text/plain', 'hello')
  )
  expect(await text.text()).toContain('The file &quot;notes.txt&quot; is not a PNG, JPEG or SVG')
  const none = await t.app.request(
    '/staff/admin/organisation/logo',
    upload(cookie, '', 'application/octet-stream', '')
  )
  expect(await none.text()).toContain('Файл не вибрано')
  expect((await t.app.request('/org/logo')).headers.get('Content-Type')).toBe('image/png')

  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
  await t.app.request(
    '/staff/admin/organisation/logo',
    upload(cookie, 'logo.svg', 'image/svg+xml', svg)
  )
  const served = await t.app.request('/org/logo')
  expect(served.headers.get('Content-Type')).toBe('image/svg+xml')
  expect(served.headers.get('Content-Security-Policy')).toContain('sandbox')
  // Without the current hash the browser may not keep it.
  expect(served.headers.get('Cache-Control')).toBe('no-store')

  const removed = await t.app.request(
    '/staff/admin/organisation/logo/remove',
    formPost({}, { Cookie: cookie })
  )
  expect(removed.headers.get('Location')).toBe('/staff/admin/organisation?logo=removed')
  expect((await t.app.request('/org/logo')).status).toBe(404)
  expect(await (await t.app.request('/')).text()).not.toContain('brand-logo')
})

it('keeps showing pages with ORG_NAME when the database is away', async () => {
  const f = flaky(
    await openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'org-')), 'p.sqlite') })
  )
  f.down = true
  t = await makeTestApp({ store: f.store, env: { ORG_NAME: 'Рада з ORG_NAME' } })
  const res = await t.app.request('/')
  expect(res.status).toBe(200)
  expect(await res.text()).toContain('Рада з ORG_NAME')
  f.down = false
})

it('names the organisation in the annual report as the admin wrote it for the report’s language', async () => {
  t = await makeTestApp({ env: { ORG_NAME: 'Рада з ORG_NAME' } })
  const management = await addStaff(t.store, { roles: ['management'] })
  const cookie = await loginAs(t, management.account)
  for (const item of planSample(2020)!.items) await t.store.plan.put(item)
  const model = async (lang: string) => {
    const res = await t!.app.request(`/management/report/2020.json?lang=${lang}`, {
      headers: { Cookie: cookie },
    })
    expect(res.status).toBe(200)
    // The title's last line names the organisation (the seed's layout).
    return ((await res.json()) as { title: string }).title.split('\n').at(-1)
  }
  expect(await model('uk')).toBe('Рада з ORG_NAME')
  await t.store.org.putTexts(
    { names: { uk: texts.names_uk, en: texts.names_en }, contact: {}, privacy: {} },
    new Date()
  )
  expect(await model('uk')).toBe(texts.names_uk)
  expect(await model('en')).toBe(texts.names_en)
})
