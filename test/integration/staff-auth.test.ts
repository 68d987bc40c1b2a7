// Staff accounts and sign-in through the real app (app.request): first-run setup, invitation,
// enrolment (the browser's part done with crypto/ in Node), TOTP set-up, sign-in with authSecret
// and a TOTP code, the session cookie and its timeouts, sign-out, throttling, roles.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import nacl from 'tweetnacl'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { unwrapSecrets, wrapSecrets, generateKdfSalt } from '../../crypto/keys'
import type { LoginParamsResponse, RecoveryStartResponse } from '../../src/staff/api'
import { recoveryChallenge } from '../../src/staff/api'
import { createInvite, ensureSetupToken, issueInvite } from '../../src/staff/accounts'
import { STAFF_LOGIN_LIMITS } from '../../src/staff/login'
import { STAFF_ABSOLUTE_MS, STAFF_IDLE_MS } from '../../src/staff/session'
import { openTotpSecret } from '../../src/staff/totp'
import { tokenHash } from '../../src/report/ids'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { sqliteFilesContain } from '../helpers/db-scan'
import {
  accountTotpCode,
  addStaff,
  browserDerive,
  browserEnrolment,
  loginAs,
  staffDeps,
  totpCode,
} from '../helpers/staff'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.close()
})

/** `name=value` of the cookie a response sets (the last one wins), or undefined. */
function setCookie(res: Response): { pair: string; raw: string } | undefined {
  const raw = res.headers.getSetCookie().at(-1)
  if (!raw) return undefined
  return { pair: raw.split(';')[0]!, raw }
}

function json(body: unknown, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
  }
}

function tokenOf(url: string): string {
  return new URL(url, TEST_ORIGIN).searchParams.get('token')!
}

/** Enrols through the API and finishes the TOTP set-up: returns the signed-in cookie. */
async function enrol(app: TestApp, inviteUrl: string, passphrase?: string) {
  const enrolment = await browserEnrolment(tokenOf(inviteUrl), passphrase)
  const res = await app.app.request('/staff/enrol', json(enrolment.request))
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ next: '/staff/totp' })
  const pending = setCookie(res)!.pair
  const page = await (await app.app.request('/staff/totp', { headers: { Cookie: pending } })).text()
  const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, '')
  const done = await app.app.request(
    '/staff/totp',
    formPost({ code: totpCode(secret, app.clock.now()) }, { Cookie: pending })
  )
  expect(done.status).toBe(303)
  const account = (await app.store.accounts.getByEmail(emailFromTotpPage(page)))!
  return {
    enrolment,
    cookie: setCookie(done)!.pair,
    secret,
    location: done.headers.get('Location'),
    account,
  }
}

function emailFromTotpPage(page: string): string {
  // otpauth://totp/<issuer>:<email>?… carries the address.
  const uri = /id="totp-uri" href="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&')
  return decodeURIComponent(new URL(uri).pathname.split(':').at(-1)!)
}

/** The login page's two requests (params, authSecret): returns the pending cookie. */
async function passphraseStep(app: TestApp, email: string, passphrase: string) {
  const params = (await (
    await app.app.request('/staff/login/params', json({ email }))
  ).json()) as LoginParamsResponse
  const { authSecret, wrapKey } = await browserDerive(
    passphrase,
    fromBase64(params.salt),
    params.kdf
  )
  const res = await app.app.request(
    '/staff/login',
    json({ email, authSecret: toBase64(authSecret) })
  )
  return { res, wrapKey, pending: setCookie(res)?.pair }
}

describe('first run', () => {
  it('issues a single-use setup token while no admin exists, and none once one does', async () => {
    const token = await ensureSetupToken(staffDeps(t))
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // Only its hash is stored.
    expect(sqliteFilesContain(join(t.dir, 'portal.sqlite'), token!)).toBe(false)

    const form = await t.app.request(`/staff/setup?token=${token}`)
    expect(form.status).toBe(200)
    expect(await form.text()).toContain('name="token"')

    // A bad field re-renders the form and does not use the token up.
    const bad = await t.app.request(
      '/staff/setup',
      formPost({ token: token!, email: 'nope', displayName: 'Адмін' })
    )
    expect(bad.status).toBe(422)

    const ok = await t.app.request(
      '/staff/setup',
      formPost({
        token: token!,
        email: 'Admin@Council.example ',
        displayName: 'Олена Адмін',
        roles: 'officer',
      })
    )
    expect(ok.status).toBe(303)
    const location = ok.headers.get('Location')!
    expect(location).toMatch(/^\/staff\/enrol\?token=[A-Za-z0-9_-]{43}$/)
    const admin = (await t.store.accounts.getByEmail('admin@council.example'))!
    expect(admin).toMatchObject({
      status: 'invited',
      roles: ['admin', 'officer'],
      displayName: 'Олена Адмін',
    })
    expect(admin.inviteTokenHash).toBe(tokenHash(tokenOf(location)))

    // Used once: the same token again is refused.
    const again = await t.app.request(
      '/staff/setup',
      formPost({ token: token!, email: 'other@council.example', displayName: 'Інший' })
    )
    expect(again.status).toBe(403)
    expect(await t.store.accounts.getByEmail('other@council.example')).toBeNull()

    // Not enrolled yet: a restart would print a new link (the same address gets a new invitation).
    expect(await ensureSetupToken(staffDeps(t))).not.toBeNull()

    const { location: landing } = await enrol(t, location)
    expect(landing).toBe('/officer')
    expect(await ensureSetupToken(staffDeps(t))).toBeNull()
    expect((await t.app.request(`/staff/setup?token=${token}`)).status).toBe(410)
  })

  it('refuses an unknown setup token', async () => {
    const res = await t.app.request(
      '/staff/setup',
      formPost({ token: 'x'.repeat(43), email: 'a@council.example', displayName: 'A' })
    )
    expect(res.status).toBe(403)
    expect(await t.store.accounts.count()).toBe(0)
  })
})

describe('invitation, enrolment and sign-in', () => {
  it('enrols with wrapped keys, sets up TOTP, signs in with authSecret and a fresh code', async () => {
    const url = await createInvite(staffDeps(t), {
      email: 'officer@council.example',
      displayName: 'Петро',
      roles: ['officer'],
    })
    expect(url).toMatch(/^http:\/\/localhost\/staff\/enrol\?token=/)
    const page = await t.app.request(new URL(url).pathname + new URL(url).search)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('id="staff-config"')
    expect(html).toContain('/static/js/staff-enrol.entry.js')

    const { enrolment, cookie, secret, location } = await enrol(
      t,
      url,
      'alpha bravo charlie delta echo foxtrot golf'
    )
    expect(location).toBe('/officer')
    const account = (await t.store.accounts.getByEmail('officer@council.example'))!
    expect(account.status).toBe('active')
    expect(account.inviteTokenHash).toBeUndefined()
    expect(account.authHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(account.keys).toEqual(enrolment.request.keys)
    expect(account.recoveryKeys).toEqual(enrolment.request.recoveryKeys)
    expect(openTotpSecret(t.secrets.DATA_KEY, account.totpSecretSealed)).toBe(secret)
    // The invitation works once.
    expect((await t.app.request('/staff/enrol', json(enrolment.request))).status).toBe(410)
    expect((await t.app.request(new URL(url).pathname + new URL(url).search)).status).toBe(410)

    // The session from the TOTP set-up is a real one.
    const key = await t.app.request('/staff/session-key', {
      headers: { Cookie: cookie, Accept: 'application/json' },
    })
    expect(key.status).toBe(200)
    expect(fromBase64(((await key.json()) as { key: string }).key)).toHaveLength(32)

    // Sign in: the TOTP set-up used this time step's code, so it cannot be used again now.
    const first = await passphraseStep(t, 'officer@council.example', enrolment.passphrase)
    expect(first.res.status).toBe(200)
    expect(await first.res.json()).toEqual({ next: '/staff/login/totp', totpSetup: false })
    const replay = await t.app.request(
      '/staff/login/totp',
      formPost(
        { code: totpCode(secret, t.clock.now()) },
        { Cookie: first.pending!, Accept: 'application/json' }
      )
    )
    expect(replay.status).toBe(401)
    expect(await replay.json()).toEqual({ error: 'login-failed' })

    t.clock.advance(30_000)
    const code = await accountTotpCode(t, account.id, t.clock.now())
    const signedIn = await t.app.request(
      '/staff/login/totp',
      formPost({ code, next: '/staff/account' }, { Cookie: first.pending! })
    )
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.get('Location')).toBe('/staff/account')
    const staffCookie = setCookie(signedIn)!
    expect(staffCookie.pair).not.toBe(first.pending)
    expect(staffCookie.raw).toMatch(/^staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/)
    // The pending session is gone: rotation on sign-in.
    expect(
      await t.store.sessions.get(tokenHash(first.pending!.split('=')[1]!), t.clock.now())
    ).toBeNull()

    // The same code a second time (within its window) is refused: replay protection.
    const second = await passphraseStep(t, 'officer@council.example', enrolment.passphrase)
    const again = await t.app.request(
      '/staff/login/totp',
      formPost({ code }, { Cookie: second.pending!, Accept: 'application/json' })
    )
    expect(again.status).toBe(401)

    // What the browser does next: fetch the wrapped keys and open them with wrapKey.
    const keys = (await (
      await t.app.request('/staff/keys', {
        headers: { Cookie: staffCookie.pair, Accept: 'application/json' },
      })
    ).json()) as { accountId: string; keys: { wrapped: string } }
    const opened = unwrapSecrets(keys.keys.wrapped, first.wrapKey)
    expect(opened.boxSecretKey).toEqual(enrolment.keys.box.secretKey)
    expect(keys.accountId).toBe(account.id)

    const accountPage = await t.app.request('/staff/account', {
      headers: { Cookie: staffCookie.pair },
    })
    expect(accountPage.status).toBe(200)
    expect(await accountPage.text()).toContain('Петро')
  })

  it('refuses a wrong authSecret with the same answer as an unknown address', async () => {
    const url = await createInvite(staffDeps(t), {
      email: 'o@council.example',
      displayName: 'O',
      roles: ['officer'],
    })
    await enrol(t, url, 'one two three four five six seven')
    const wrong = await passphraseStep(t, 'o@council.example', 'one two three four five six eight')
    const unknown = await passphraseStep(
      t,
      'nobody@council.example',
      'one two three four five six seven'
    )
    for (const { res, pending } of [wrong, unknown]) {
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: 'login-failed' })
      expect(pending).toBeUndefined()
    }
  })

  it('answers login parameters for unknown addresses in the same shape, stably', async () => {
    const url = await createInvite(staffDeps(t), {
      email: 'known@council.example',
      displayName: 'K',
      roles: ['officer'],
    })
    await enrol(t, url)
    const ask = async (email: string) =>
      (await (
        await t.app.request('/staff/login/params', json({ email }))
      ).json()) as LoginParamsResponse
    const known = await ask('known@council.example')
    const unknown = await ask('unknown@council.example')
    const invited = await ask(
      (
        await issueInvite(staffDeps(t), {
          email: 'inv@council.example',
          displayName: 'I',
          roles: ['management'],
        })
      ).account.email
    )
    for (const p of [known, unknown, invited]) {
      expect(Object.keys(p).sort()).toEqual(['kdf', 'salt'])
      expect(Object.keys(p.kdf).sort()).toEqual(['m', 'p', 't'])
      expect(fromBase64(p.salt)).toHaveLength(16)
      expect(p.kdf).toEqual(known.kdf)
    }
    expect(await ask('unknown@council.example')).toEqual(unknown)
    expect(await ask('UNKNOWN@council.example ')).toEqual(unknown)
    expect((await ask('other@council.example')).salt).not.toBe(unknown.salt)
  })

  it('asks an account without an authenticator (reset by an admin) to set one up', async () => {
    const url = await createInvite(staffDeps(t), {
      email: 'm@council.example',
      displayName: 'M',
      roles: ['management'],
    })
    const { enrolment, account } = await enrol(t, url)
    await t.store.accounts.update(
      account.id,
      (await t.store.accounts.get(account.id))!.version,
      { totpSecretSealed: undefined, totpLastStep: undefined },
      t.clock.now()
    )
    const step = await passphraseStep(t, 'm@council.example', enrolment.passphrase)
    expect(await step.res.json()).toEqual({ next: '/staff/totp', totpSetup: true })
    // The login TOTP step is not open to a set-up session.
    expect(
      (await t.app.request('/staff/login/totp', { headers: { Cookie: step.pending! } })).status
    ).toBe(303)
    const page = await (
      await t.app.request('/staff/totp', { headers: { Cookie: step.pending! } })
    ).text()
    const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, '')
    const wrong = await t.app.request(
      '/staff/totp',
      formPost({ code: '000000' }, { Cookie: step.pending! })
    )
    expect(wrong.status).toBe(401)
    const done = await t.app.request(
      '/staff/totp',
      formPost({ code: totpCode(secret, t.clock.now()) }, { Cookie: step.pending! })
    )
    expect(done.status).toBe(303)
    expect(done.headers.get('Location')).toBe('/management')
  })

  it('uses the __Host- cookie with Secure when PUBLIC_URL is https', async () => {
    const origin = 'https://portal.example'
    const https = await makeTestApp({ env: { PUBLIC_URL: origin } })
    try {
      const url = await createInvite(staffDeps(https), {
        email: 'h@council.example',
        displayName: 'H',
        roles: ['officer'],
      })
      const enrolment = await browserEnrolment(tokenOf(url))
      const res = await https.app.request('/staff/enrol', json(enrolment.request))
      const pending = setCookie(res)!
      expect(pending.raw).toMatch(
        /^__Host-staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/
      )
      const page = await (
        await https.app.request('/staff/totp', { headers: { Cookie: pending.pair } })
      ).text()
      const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(page)![1]!.replace(/ /g, '')
      const done = await https.app.request(
        '/staff/totp',
        formPost(
          { code: totpCode(secret, https.clock.now()) },
          { Cookie: pending.pair, Origin: origin }
        )
      )
      expect(done.status).toBe(303)
      expect(setCookie(done)!.raw).toMatch(
        /^__Host-staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/
      )
    } finally {
      await https.close()
    }
  })
})

describe('sessions', () => {
  it('ends after 30 minutes idle, and is kept alive by use until then', async () => {
    const officer = await addStaff(t.store)
    const cookie = await loginAs(t, officer.account)
    const get = () => t.app.request('/staff/account', { headers: { Cookie: cookie } })
    expect((await get()).status).toBe(200)
    t.clock.advance(STAFF_IDLE_MS - 60_000)
    expect((await get()).status).toBe(200)
    t.clock.advance(STAFF_IDLE_MS - 60_000)
    expect((await get()).status).toBe(200)
    t.clock.advance(STAFF_IDLE_MS)
    const res = await get()
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/staff/login?next=%2Fstaff%2Faccount')
    // Deleted on sight, in the store and in the browser.
    expect(setCookie(res)!.raw).toMatch(/^staff=; Max-Age=0; Path=\//)
    expect(await t.store.sessions.get(tokenHash(cookie.split('=')[1]!), t.clock.now())).toBeNull()
  })

  it('ends 12 hours after sign-in however active', async () => {
    const officer = await addStaff(t.store)
    const cookie = await loginAs(t, officer.account)
    const get = () => t.app.request('/staff/account', { headers: { Cookie: cookie } })
    for (let elapsed = 0; elapsed < STAFF_ABSOLUTE_MS - 20 * 60_000; elapsed += 20 * 60_000) {
      expect((await get()).status).toBe(200)
      t.clock.advance(20 * 60_000)
    }
    t.clock.advance(20 * 60_000)
    expect((await get()).status).toBe(303)
  })

  it('logout deletes the session and with it the session key', async () => {
    const officer = await addStaff(t.store)
    const cookie = await loginAs(t, officer.account)
    const keyReq = () =>
      t.app.request('/staff/session-key', {
        headers: { Cookie: cookie, Accept: 'application/json' },
      })
    const before = await keyReq()
    expect(before.status).toBe(200)
    expect(before.headers.get('Cache-Control')).toBe('no-store')
    const out = await t.app.request('/staff/logout', formPost({}, { Cookie: cookie }))
    expect(out.status).toBe(303)
    expect(out.headers.get('Location')).toBe('/staff/login?out=1')
    expect(setCookie(out)!.raw).toMatch(/^staff=; Max-Age=0; Path=\//)
    expect(await t.store.sessions.get(tokenHash(cookie.split('=')[1]!), t.clock.now())).toBeNull()
    const after = await keyReq()
    expect(after.status).toBe(401)
    expect(await after.json()).toEqual({ error: 'unauthorized' })
  })

  it('guards by role: 303 to the login page, 401 for scripts and htmx, 403 for a wrong role', async () => {
    const page = await t.app.request('/staff/admin/accounts')
    expect(page.status).toBe(303)
    expect(page.headers.get('Location')).toBe('/staff/login?next=%2Fstaff%2Fadmin%2Faccounts')
    const script = await t.app.request('/staff/keys', { headers: { Accept: 'application/json' } })
    expect(script.status).toBe(401)
    const htmx = await t.app.request('/staff/admin/accounts', { headers: { 'HX-Request': 'true' } })
    expect(htmx.status).toBe(401)
    expect(htmx.headers.get('HX-Redirect')).toBe('/staff/login')

    const officer = await addStaff(t.store, { roles: ['officer', 'management'] })
    const cookie = await loginAs(t, officer.account)
    const forbidden = await t.app.request('/staff/admin/accounts', { headers: { Cookie: cookie } })
    expect(forbidden.status).toBe(403)
    expect(await forbidden.text()).toContain('Доступ заборонено')
    const admin = await addStaff(t.store, { roles: ['admin'] })
    const ok = await t.app.request('/staff/admin/accounts', {
      headers: { Cookie: await loginAs(t, admin.account) },
    })
    expect(ok.status).toBe(200)
  })

  it('signs out a disabled account at once', async () => {
    const officer = await addStaff(t.store)
    const cookie = await loginAs(t, officer.account)
    await t.store.accounts.update(
      officer.account.id,
      officer.account.version,
      { status: 'disabled' },
      t.clock.now()
    )
    expect((await t.app.request('/staff/account', { headers: { Cookie: cookie } })).status).toBe(
      303
    )
  })
})

describe('throttling', () => {
  it('blocks an address after repeated failures, with the same answer whether it exists or not', async () => {
    const url = await createInvite(staffDeps(t), {
      email: 'o@council.example',
      displayName: 'O',
      roles: ['officer'],
    })
    const { enrolment } = await enrol(t, url, 'one two three four five six seven')
    const params = (await (
      await t.app.request('/staff/login/params', json({ email: 'o@council.example' }))
    ).json()) as LoginParamsResponse
    const good = toBase64(
      (await browserDerive(enrolment.passphrase, fromBase64(params.salt), params.kdf)).authSecret
    )
    const bad = toBase64(new Uint8Array(32).fill(7))
    const limit = STAFF_LOGIN_LIMITS.perAccount('x').max
    for (const email of ['o@council.example', 'ghost@council.example']) {
      for (let i = 0; i < limit; i++) {
        expect((await t.app.request('/staff/login', json({ email, authSecret: bad }))).status).toBe(
          401
        )
      }
      const blocked = await t.app.request('/staff/login', json({ email, authSecret: good }))
      expect(blocked.status).toBe(429)
      expect(await blocked.json()).toEqual({ error: 'slow-down' })
      expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0)
    }
    // Another address is not affected; the window passes.
    const other = await t.app.request(
      '/staff/login',
      json({ email: 'third@council.example', authSecret: bad })
    )
    expect(other.status).toBe(401)
    t.clock.advance(STAFF_LOGIN_LIMITS.perAccount('x').windowMs)
    expect(
      (await t.app.request('/staff/login', json({ email: 'o@council.example', authSecret: good })))
        .status
    ).toBe(200)
  })

  it('blocks all sign-ins for a while after many failures over all addresses', async () => {
    const bad = toBase64(new Uint8Array(32).fill(7))
    for (let i = 0; i < STAFF_LOGIN_LIMITS.global.max; i++) {
      const res = await t.app.request(
        '/staff/login',
        json({ email: `guess${i}@council.example`, authSecret: bad })
      )
      expect(res.status).toBe(401)
    }
    const res = await t.app.request(
      '/staff/login',
      json({ email: 'fresh@council.example', authSecret: bad })
    )
    expect(res.status).toBe(429)
    expect(await res.json()).toEqual({ error: 'slow-down' })
  })

  it('counts wrong TOTP codes against the account', async () => {
    const url = await createInvite(staffDeps(t), {
      email: 'o@council.example',
      displayName: 'O',
      roles: ['officer'],
    })
    const { enrolment } = await enrol(t, url)
    const { pending } = await passphraseStep(t, 'o@council.example', enrolment.passphrase)
    const limit = STAFF_LOGIN_LIMITS.perAccount('x').max
    for (let i = 0; i < limit; i++) {
      const res = await t.app.request(
        '/staff/login/totp',
        formPost({ code: '000000' }, { Cookie: pending!, Accept: 'application/json' })
      )
      expect(res.status).toBe(401)
    }
    t.clock.advance(30_000)
    const code = await accountTotpCode(
      t,
      (await t.store.accounts.getByEmail('o@council.example'))!.id,
      t.clock.now()
    )
    const res = await t.app.request('/staff/login/totp', formPost({ code }, { Cookie: pending! }))
    expect(res.status).toBe(429)
  })
})

describe('secrets stay in the browser', () => {
  it('stores no passphrase, wrapKey, authSecret, secret key, recovery key or TOTP secret in the clear', async () => {
    const url = await createInvite(staffDeps(t), {
      email: 'o@council.example',
      displayName: 'O',
      roles: ['officer'],
    })
    const passphrase = 'scan-sentinel tundra orbit velvet maple quartz ember'
    const { enrolment, secret, cookie } = await enrol(t, url, passphrase)
    t.clock.advance(30_000)
    const step = await passphraseStep(t, 'o@council.example', passphrase)
    const code = await accountTotpCode(
      t,
      (await t.store.accounts.getByEmail('o@council.example'))!.id,
      t.clock.now()
    )
    const signedIn = await t.app.request(
      '/staff/login/totp',
      formPost({ code }, { Cookie: step.pending! })
    )
    const staffCookie = setCookie(signedIn)!.pair
    const ks = (
      (await (
        await t.app.request('/staff/session-key', {
          headers: { Cookie: staffCookie, Accept: 'application/json' },
        })
      ).json()) as { key: string }
    ).key
    const scan = (needle: string | Uint8Array) =>
      sqliteFilesContain(join(t.dir, 'portal.sqlite'), needle)
    const bytes = (b: Uint8Array) => [
      b,
      toBase64(b),
      Buffer.from(b).toString('hex'),
      Buffer.from(b).toString('base64url'),
    ]
    const needles: (string | Uint8Array)[] = [
      passphrase,
      'scan-sentinel',
      ...bytes(enrolment.wrapKey),
      ...bytes(step.wrapKey),
      ...bytes(enrolment.authSecret),
      ...bytes(enrolment.keys.box.secretKey),
      ...bytes(enrolment.keys.signSeed),
      ...bytes(enrolment.keys.sign.secretKey),
      ...bytes(enrolment.recoveryKey),
      enrolment.recoveryCode,
      secret,
      ks,
      ...bytes(fromBase64(ks)),
      cookie.split('=')[1]!,
      staffCookie.split('=')[1]!,
    ]
    for (const needle of needles) expect(scan(needle), String(needle)).toBe(false)
    // Sanity: the scan does find what is stored.
    expect(scan(enrolment.request.keys.wrapped)).toBe(true)
    expect(t.logs.join('\n')).not.toContain(enrolment.request.authSecret)
  })
})

describe('own account', () => {
  async function signedIn(passphrase: string) {
    const url = await createInvite(staffDeps(t), {
      email: 'o@council.example',
      displayName: 'O',
      roles: ['officer'],
    })
    const e = await enrol(t, url, passphrase)
    const account = (await t.store.accounts.getByEmail('o@council.example'))!
    return { ...e, account }
  }

  it('changes the passphrase with the current authSecret; other sessions end', async () => {
    const { enrolment, cookie, account } = await signedIn('one two three four five six seven')
    const other = await loginAs(t, account)
    const next = 'eight nine ten eleven twelve thirteen fourteen'
    const salt = generateKdfSalt()
    const derived = await browserDerive(next, salt)
    const request = {
      currentAuthSecret: enrolment.request.authSecret,
      keys: {
        wrapped: wrapSecrets(
          derived.wrapKey,
          enrolment.keys.box.secretKey,
          enrolment.keys.signSeed
        ),
        salt: toBase64(salt),
        kdf: enrolment.request.keys.kdf,
      },
      authSecret: toBase64(derived.authSecret),
    }
    const wrong = await t.app.request(
      '/staff/account/passphrase',
      json({ ...request, currentAuthSecret: toBase64(new Uint8Array(32)) }, { Cookie: cookie })
    )
    expect(wrong.status).toBe(401)
    const res = await t.app.request('/staff/account/passphrase', json(request, { Cookie: cookie }))
    expect(res.status).toBe(200)
    const rotated = setCookie(res)!.pair
    expect(rotated).not.toBe(cookie)
    for (const old of [cookie, other]) {
      expect((await t.app.request('/staff/account', { headers: { Cookie: old } })).status).toBe(303)
    }
    expect((await t.app.request('/staff/account', { headers: { Cookie: rotated } })).status).toBe(
      200
    )
    // The old passphrase no longer signs in; the new one does.
    expect((await passphraseStep(t, 'o@council.example', enrolment.passphrase)).res.status).toBe(
      401
    )
    expect((await passphraseStep(t, 'o@council.example', next)).res.status).toBe(200)
  })

  it('recovers with the recovery code and a TOTP code, and proves the code with a signature', async () => {
    const { enrolment, account } = await signedIn('one two three four five six seven')
    t.clock.advance(30_000)
    const start = async () => {
      const code = await accountTotpCode(t, account.id, t.clock.now())
      const res = await t.app.request(
        '/staff/recover/start',
        json({ email: 'o@council.example', code })
      )
      expect(res.status).toBe(200)
      t.clock.advance(30_000)
      return (await res.json()) as RecoveryStartResponse
    }
    const refused = await t.app.request(
      '/staff/recover/start',
      json({ email: 'o@council.example', code: '000000' })
    )
    expect(refused.status).toBe(401)

    const next = 'new words for a recovered officer account'
    const salt = generateKdfSalt()
    const derived = await browserDerive(next, salt)
    const finish = (started: RecoveryStartResponse, signature: Uint8Array) =>
      t.app.request(
        '/staff/recover/finish',
        json({
          email: 'o@council.example',
          token: started.token,
          signature: toBase64(signature),
          keys: {
            wrapped: wrapSecrets(
              derived.wrapKey,
              enrolment.keys.box.secretKey,
              enrolment.keys.signSeed
            ),
            salt: toBase64(salt),
            kdf: enrolment.request.keys.kdf,
          },
          authSecret: toBase64(derived.authSecret),
        })
      )

    // Without the recovery code there is no signing key, and a made-up signature fails.
    const first = await start()
    const forged = nacl.sign.keyPair()
    expect(
      (
        await finish(
          first,
          nacl.sign.detached(recoveryChallenge(first.accountId, first.token), forged.secretKey)
        )
      ).status
    ).toBe(401)

    const second = await start()
    const secrets = unwrapSecrets(second.recoveryKeys.wrapped, enrolment.recoveryKey)
    expect(secrets.signSeed).toEqual(enrolment.keys.signSeed)
    const signature = nacl.sign.detached(
      recoveryChallenge(second.accountId, second.token),
      enrolment.keys.sign.secretKey
    )
    expect((await finish(second, signature)).status).toBe(200)
    // The token works once.
    expect((await finish(second, signature)).status).toBe(401)
    expect((await passphraseStep(t, 'o@council.example', enrolment.passphrase)).res.status).toBe(
      401
    )
    expect((await passphraseStep(t, 'o@council.example', next)).res.status).toBe(200)
  })
})
