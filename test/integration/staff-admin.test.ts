// Admin pages for staff accounts: list, invitations (with and without mail), certifying an
// officer's keys with the organisation key after comparing the fingerprint (and revoking it),
// disabling, ending sessions, resetting the authenticator; and what certifying means for
// reporters: reports are sealed only to officers with a valid certificate.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateOrgKey, orgFingerprint, signRevocation } from '../../crypto/certificate'
import { toBase64 } from '../../crypto/encoding'
import { seal } from '../../crypto/sealedbox'
import { ANCHOR_FILE } from '../../src/staff/certificates'
import { accountFingerprint } from '../../src/staff/accounts'
import { tokenHash } from '../../src/report/ids'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { certificateFor, TEST_ORG } from '../helpers/org'
import { reporterPageConfig } from '../helpers/reporter-api'
import { addStaff, loginAs, staffDeps, type TestStaff } from '../helpers/staff'

let t: TestApp
let admin: TestStaff
let cookie: string
beforeEach(async () => {
  t = await makeTestApp()
  admin = await addStaff(t.store, {
    roles: ['admin'],
    email: 'admin@council.example',
    displayName: 'Адмін',
  })
  cookie = await loginAs(t, admin.account)
})
afterEach(async () => {
  await t.close()
})

const post = (
  path: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {}
) => t.app.request(path, formPost(fields, { Cookie: cookie, ...headers }))

describe('accounts list', () => {
  it('lists accounts with roles, status, fingerprint and certificate state; htmx gets the fragment', async () => {
    const officer = await addStaff(t.store, { displayName: 'Петро', certified: false })
    const page = await t.app.request('/staff/admin/accounts', { headers: { Cookie: cookie } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<!doctype html>')
    expect(html).toContain('Петро')
    expect(html).toContain(accountFingerprint(officer.account)!)
    expect(html).toContain('data-cert="uncertified"')
    expect(html).toContain('Уповноважена особа')

    const fragment = await t.app.request('/staff/admin/accounts', {
      headers: { Cookie: cookie, 'HX-Request': 'true' },
    })
    const part = await fragment.text()
    expect(part.trimStart()).toMatch(/^<section id="staff-accounts"/)
    expect(part).not.toContain('<html')
    expect(fragment.headers.get('Vary')).toContain('HX-Request')
  })
})

describe('invitations', () => {
  it('creates an invited account and shows the one-time link (no mail configured)', async () => {
    const res = await post('/staff/admin/accounts/invite', {
      email: 'New.Officer@Council.example',
      displayName: 'Нова Особа',
      roles: 'officer',
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    const url = /id="invite-link"[^>]*value="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&')
    expect(url).toMatch(/^http:\/\/localhost\/staff\/enrol\?token=[A-Za-z0-9_-]{43}$/)
    expect(html).toContain('Пошту не налаштовано')
    const account = (await t.store.accounts.getByEmail('new.officer@council.example'))!
    expect(account).toMatchObject({ status: 'invited', roles: ['officer'] })
    expect(account.inviteTokenHash).toBe(tokenHash(new URL(url).searchParams.get('token')!))
    expect(await t.store.outbox.list()).toEqual([])
    expect((await t.app.request(new URL(url).pathname + new URL(url).search)).status).toBe(200)
  })

  it('also queues the invitation mail when mail is configured', async () => {
    const mailing = await makeTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:2525' } })
    try {
      const boss = await addStaff(mailing.store, { roles: ['admin'] })
      // The mail names the organisation as its admin wrote it, not ORG_NAME.
      const names = { uk: 'Бучанська міська рада', en: 'Bucha City Council' }
      await mailing.store.org.putTexts({ names, contact: {}, privacy: {} }, new Date())
      const res = await mailing.app.request(
        '/staff/admin/accounts/invite',
        formPost(
          { email: 'head@council.example', displayName: 'Голова', roles: 'management' },
          { Cookie: await loginAs(mailing, boss.account) }
        )
      )
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('поставлено в чергу')
      const [mail] = await mailing.store.outbox.list()
      expect(mail).toMatchObject({ to: 'head@council.example', template: 'invitation' })
      expect(mail!.params.inviteUrl).toMatch(/\/staff\/enrol\?token=/)
      expect(mail!.params.orgName).toBe('Бучанська міська рада')
    } finally {
      await mailing.close()
    }
  })

  it('holds several roles, and refuses bad input and taken addresses', async () => {
    const several = await post('/staff/admin/accounts/invite', {
      email: 'both@council.example',
      displayName: 'Двоє в одному',
    })
    expect(several.status).toBe(422)
    const body = new URLSearchParams([
      ['email', 'both@council.example'],
      ['displayName', 'Двоє в одному'],
      ['roles', 'officer'],
      ['roles', 'management'],
    ])
    const ok = await t.app.request('/staff/admin/accounts/invite', {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://localhost',
        Cookie: cookie,
      },
    })
    expect(ok.status).toBe(200)
    expect((await t.store.accounts.getByEmail('both@council.example'))!.roles).toEqual([
      'officer',
      'management',
    ])

    const taken = await post('/staff/admin/accounts/invite', {
      email: 'admin@council.example',
      displayName: 'Ще раз',
      roles: 'officer',
    })
    expect(taken.status).toBe(422)
    expect(await taken.text()).toContain('Обліковий запис з такою адресою вже існує')
    const bad = await post('/staff/admin/accounts/invite', {
      email: 'no-at-sign',
      displayName: 'X',
      roles: 'officer',
    })
    expect(bad.status).toBe(422)
  })

  it('gives an invited account a new link; the old one stops working', async () => {
    const first = await import('../../src/staff/accounts').then((m) =>
      m.issueInvite(staffDeps(t), {
        email: 'late@council.example',
        displayName: 'L',
        roles: ['officer'],
      })
    )
    const res = await post(`/staff/admin/accounts/${first.account.id}/reinvite`)
    expect(res.status).toBe(200)
    expect((await t.app.request(first.path)).status).toBe(410)
    const url = /id="invite-link"[^>]*value="([^"]+)"/.exec(await res.text())![1]!
    expect((await t.app.request(new URL(url).pathname + new URL(url).search)).status).toBe(200)
  })
})

describe('account actions', () => {
  it('certifies only with a matching fingerprint and a certificate of the anchored org key; revokes', async () => {
    const officer = await addStaff(t.store, { certified: false })
    const id = officer.account.id
    const fingerprint = accountFingerprint(officer.account)!
    const certificate = certificateFor(officer.account)
    const state = async () =>
      /data-cert="(\w[\w-]*)"/.exec(
        (
          await (
            await t.app.request('/staff/admin/accounts', { headers: { Cookie: cookie } })
          ).text()
        ).split(`data-email="${officer.account.email}"`)[1]!
      )![1]
    const wrong = await post(`/staff/admin/accounts/${id}/certify`, {
      fingerprint: '0000 1111',
      statement: certificate,
    })
    expect(wrong.status).toBe(303)
    expect(wrong.headers.get('Location')).toContain('error=fingerprint-mismatch')
    const page = await t.app.request(wrong.headers.get('Location')!, {
      headers: { Cookie: cookie },
    })
    expect(await page.text()).toContain('Відбиток не збігається')

    // Without JavaScript nothing is signed, so there is nothing to store.
    const typed = fingerprint.toUpperCase().replace(/ /g, '-')
    const noJs = await post(`/staff/admin/accounts/${id}/certify`, { fingerprint: typed })
    expect(noJs.headers.get('Location')).toContain('error=needs-js')
    // Signed by another key than the anchored org key, or for other keys: refused.
    const foreign = certificateFor(officer.account, generateOrgKey())
    const other = certificateFor({ ...officer.account, id: admin.account.id })
    for (const statement of [foreign, other, 'junk']) {
      const r = await post(`/staff/admin/accounts/${id}/certify`, { fingerprint: typed, statement })
      expect(r.headers.get('Location')).toContain('error=bad-statement')
    }
    expect(await state()).toBe('uncertified')

    const ok = await post(`/staff/admin/accounts/${id}/certify`, {
      fingerprint: typed,
      statement: certificate,
    })
    expect(ok.headers.get('Location')).toBe('/staff/admin/accounts?done=certified')
    expect(await state()).toBe('certified')

    const revocation = signRevocation(
      {
        accountId: id,
        signPublicKey: officer.account.signPublicKey!,
        revokedAt: t.clock.now().toISOString(),
      },
      TEST_ORG.secretKey
    )
    const revoked = await post(`/staff/admin/accounts/${id}/revoke-certificate`, {
      statement: revocation,
    })
    expect(revoked.headers.get('Location')).toBe('/staff/admin/accounts?done=cert-revoked')
    expect(await state()).toBe('uncertified')
    // The old certificate stays revoked; one issued later certifies the keys again.
    await post(`/staff/admin/accounts/${id}/certify`, {
      fingerprint: typed,
      statement: certificate,
    })
    expect(await state()).toBe('uncertified')
    t.clock.advance(60_000)
    const again = certificateFor(officer.account, TEST_ORG, t.clock.now().toISOString())
    await post(`/staff/admin/accounts/${id}/certify`, { fingerprint: typed, statement: again })
    expect(await state()).toBe('certified')
  })

  it('disables (ending sessions) and enables; never oneself', async () => {
    const officer = await addStaff(t.store)
    const officerCookie = await loginAs(t, officer.account)
    await post(`/staff/admin/accounts/${officer.account.id}/disable`)
    expect((await t.store.accounts.get(officer.account.id))!.status).toBe('disabled')
    expect(
      (await t.app.request('/staff/account', { headers: { Cookie: officerCookie } })).status
    ).toBe(303)
    await post(`/staff/admin/accounts/${officer.account.id}/enable`)
    expect((await t.store.accounts.get(officer.account.id))!.status).toBe('active')

    const self = await post(`/staff/admin/accounts/${admin.account.id}/disable`)
    expect(self.headers.get('Location')).toContain('error=self')
    expect((await t.store.accounts.get(admin.account.id))!.status).toBe('active')
  })

  it('ends sessions and resets the authenticator', async () => {
    const officer = await addStaff(t.store)
    const officerCookie = await loginAs(t, officer.account)
    await post(`/staff/admin/accounts/${officer.account.id}/revoke-sessions`)
    expect(
      (await t.app.request('/staff/account', { headers: { Cookie: officerCookie } })).status
    ).toBe(303)

    await t.store.accounts.update(
      officer.account.id,
      (await t.store.accounts.get(officer.account.id))!.version,
      { totpSecretSealed: 'x', totpLastStep: 5 },
      t.clock.now()
    )
    const again = await loginAs(t, officer.account)
    await post(`/staff/admin/accounts/${officer.account.id}/reset-totp`)
    const reset = (await t.store.accounts.get(officer.account.id))!
    expect(reset.totpSecretSealed).toBeUndefined()
    expect(reset.totpLastStep).toBeUndefined()
    expect((await t.app.request('/staff/account', { headers: { Cookie: again } })).status).toBe(303)
  })

  it('records admin actions in the audit trail', async () => {
    const officer = await addStaff(t.store, { certified: false })
    await post(`/staff/admin/accounts/${officer.account.id}/certify`, {
      fingerprint: accountFingerprint(officer.account)!,
      statement: certificateFor(officer.account),
    })
    const entries = await t.store.audit.listForSubject(officer.account.id)
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([['staff.certify', admin.account.id]])
  })

  it('refuses form posts from another origin', async () => {
    const officer = await addStaff(t.store)
    const res = await post(
      `/staff/admin/accounts/${officer.account.id}/disable`,
      {},
      { Origin: 'https://evil.example' }
    )
    expect(res.status).toBe(403)
    expect((await t.store.accounts.get(officer.account.id))!.status).toBe('active')
  })
})

describe('certifying and reporters', () => {
  it('seals reports only to active officers certified for their current keys', async () => {
    const certified = await addStaff(t.store, { displayName: 'certified' })
    await addStaff(t.store, { displayName: 'uncertified', certified: false })
    const disabled = await addStaff(t.store, { displayName: 'disabled' })
    await t.store.accounts.update(
      disabled.account.id,
      disabled.account.version,
      { status: 'disabled' },
      t.clock.now()
    )
    // Keys replaced after certification (say, written into the database): the old certificate
    // does not vouch for the new keys.
    const stale = await addStaff(t.store, { displayName: 'stale' })
    const other = await addStaff(t.store, { displayName: 'other', certified: false })
    await t.store.accounts.update(
      stale.account.id,
      stale.account.version,
      { boxPublicKey: other.account.boxPublicKey, signPublicKey: other.account.signPublicKey },
      t.clock.now()
    )
    const html = await (await t.app.request('/report')).text()
    const config = JSON.parse(/id="portal-config">([^<]+)</.exec(html)![1]!) as {
      officers: { id: string }[]
    }
    expect(config.officers.map((o) => o.id)).toEqual([certified.account.id])
  })
})

describe('the organisation key', () => {
  it('is created once from the admin browser’s values, anchored, and published', async () => {
    const app = await makeTestApp()
    try {
      const first = await addStaff(app.store, { roles: ['admin', 'officer'], certified: false })
      const adminCookie = await loginAs(app, first.account)
      const send = (fields: Record<string, string>) =>
        app.app.request('/staff/admin/org-key', formPost(fields, { Cookie: adminCookie }))
      expect(await (await app.app.request('/about/keys')).text()).toContain(
        'Ключа організації ще немає'
      )
      expect((await send({})).headers.get('Location')).toContain('error=needs-js')

      const org = generateOrgKey()
      const fields = {
        publicKey: toBase64(org.publicKey),
        sealedSeed: toBase64(seal(org.seed, first.keys.box.publicKey)),
        certificate: certificateFor(first.account, org),
      }
      expect((await send(fields)).headers.get('Location')).toBe(
        '/staff/admin/accounts?done=org-created'
      )
      // Anchored outside the database, on first use.
      expect(readFileSync(join(app.dir, ANCHOR_FILE), 'utf8').trim()).toBe(fields.publicKey)
      // A second key is refused, however it is sent.
      const again = generateOrgKey()
      expect(
        (await send({ ...fields, publicKey: toBase64(again.publicKey) })).headers.get('Location')
      ).toContain('error=anchor-mismatch')
      // The admin's own keys were certified with it (an officer too: now a recipient).
      const config = await reporterPageConfig(app)
      expect(config.officers.map((o) => o.id)).toEqual([first.account.id])
      expect(config.orgPublicKey).toBe(fields.publicKey)

      const hex = orgFingerprint(org.publicKey)
      for (const [path, words] of [
        ['/about/keys', 'Відбиток'],
        ['/about/keys?lang=en', 'Fingerprint'],
      ] as const) {
        const html = await (await app.app.request(path)).text()
        expect(html).toContain(hex)
        expect(html).toContain(orgFingerprint(org.publicKey, 'words'))
        expect(html).toContain(words)
      }
      const admin = await app.app.request('/staff/admin/accounts', {
        headers: { Cookie: adminCookie },
      })
      expect(await admin.text()).toContain(hex)

      // And on the no-JS receipt page, next to the receipt.
      const page = await (await app.app.request('/report')).text()
      const formToken = /name="formToken" value="([^"]+)"/.exec(page)![1]!
      const fd = new FormData()
      fd.append('formToken', formToken)
      fd.append('q_what', 'x')
      fd.append('q_how_known', 'work')
      const receipt = await (
        await app.app.request('/report', {
          method: 'POST',
          body: fd,
          headers: { Origin: TEST_ORIGIN },
        })
      ).text()
      expect(receipt).toContain('receipt-word')
      expect(receipt).toContain(hex)
    } finally {
      await app.close()
    }
  })
})
