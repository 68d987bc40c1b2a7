// Signing in and out. Step 1 (script only): the browser derives authSecret from the passphrase
// and posts it; the server checks its slow hash and opens a short pending-2fa session. Step 2:
// a TOTP code (a plain form that also works without JavaScript) turns it into a staff session
// with a fresh id. Also: the session key Ks for staff-keys.ts, the wrapped keys, unlocking.
import { Hono, type Context } from 'hono'
import { toBase64 } from '../../crypto/encoding'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { tokenHash } from '../report/ids'
import type { WorkCheck } from '../report/work'
import { honeypotFilled, WORK_HEADER, workRefused } from '../http/work'
import type { KeysResponse, LoginResponse } from '../staff/api'
import { staffAudit } from '../staff/accounts'
import { loginParams, loginThrottle } from '../staff/login'
import { verifyAuthSecret } from '../staff/server-crypto'
import { requireRole, staffOf, wantsJson } from '../http/staff'
import {
  clearStaffCookie,
  createPendingSession,
  createStaffSession,
  landingPath,
  readPendingSession,
  sessionKeyOf,
  setStaffCookie,
  staffToken,
} from '../staff/session'
import { acceptTotp, cleanTotpCode, newTotpSecret } from '../staff/totp'
import { normalizeEmail, parseAuthSecret, safeNext } from '../staff/validate'
import { goTo, jsonBodyLimit, local, readJson, staffPage } from './staff-common'

export function staffAuthRoutes(deps: AppDeps, work: WorkCheck) {
  const { config, store, secrets } = deps
  const app = new Hono<AppEnv>()
  const throttle = loginThrottle(deps)
  const audit = staffAudit(deps)

  const showLogin = (
    c: Context<AppEnv>,
    opts: { next?: string | undefined; error?: string; notice?: string } = {},
    status: 200 | 400 | 401 | 429 = 200
  ) =>
    staffPage(
      c,
      config,
      { page: 'pages/staff/login', title: c.var.t.staff.login.title },
      {
        next: opts.next ?? '',
        error: opts.error,
        notice: opts.notice,
        scripts: ['/static/js/staff-login.entry.js'],
      },
      status,
      { page: 'login', lang: c.var.lang, next: opts.next ?? '' }
    )

  const showTotp = (
    c: Context<AppEnv>,
    opts: { next?: string | undefined; error?: string },
    status: 200 | 401 | 429 = 200
  ) =>
    staffPage(
      c,
      config,
      { page: 'pages/staff/login-totp', title: c.var.t.staff.totp.title },
      { next: opts.next ?? '', error: opts.error },
      status
    )

  /** This browser's current session, whatever its kind, ends (signing in rotates the id). */
  const endCurrentSession = async (c: Context<AppEnv>) => {
    const token = staffToken(c, config)
    if (token) await store.sessions.delete(tokenHash(token))
  }

  app.get('/staff', (c) =>
    goTo(c, config, c.var.staff ? landingPath(c.var.staff.roles) : '/staff/login')
  )

  app.get('/staff/login', (c) => {
    const next = safeNext(c.req.query('next'))
    if (c.var.staff) return goTo(c, config, next ?? landingPath(c.var.staff.roles))
    const t = c.var.t.staff.login
    const notice = c.req.query('out') ? t.signedOut : undefined
    const error = c.req.query('expired') ? t.expired : undefined
    return showLogin(c, { next, notice, ...(error ? { error } : {}) })
  })

  // Salt and KDF parameters for an address; made-up but stable ones for unknown addresses.
  app.post('/staff/login/params', jsonBodyLimit, async (c) => {
    const email = normalizeEmail((await readJson(c))?.email)
    if (!email || email.length > 254) return c.json({ error: 'bad-request' }, 400)
    return c.json(await loginParams(deps, email))
  })

  app.post('/staff/login', jsonBodyLimit, async (c) => {
    const body = await readJson(c)
    // A plain form post means the script did not run: nothing can be derived without it.
    if (!body) return showLogin(c, { error: c.var.t.staff.login.jsRequired }, 400)
    // The honeypot is answered like a wrong passphrase, and nothing is counted or stored.
    if (honeypotFilled(body)) return c.json({ error: 'login-failed' }, 401)
    // Proof of work before anything else: no throttle count, no slow hash without it.
    // (Not requireWork: a plain form post must still get the "needs JavaScript" page above.)
    const proof = await work.check('staff-login', c.req.header(WORK_HEADER))
    if (!proof.ok) return workRefused(c, proof.why)
    const email = normalizeEmail(body.email)
    const authSecret = parseAuthSecret(body.authSecret)
    if (!email || email.length > 254 || !authSecret) return c.json({ error: 'bad-request' }, 400)

    const wait = await throttle.blockedFor(email)
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      return c.json({ error: 'slow-down' }, 429)
    }
    const found = await store.accounts.getByEmail(email)
    const account = found?.status === 'active' ? found : undefined
    // Unknown, invited or disabled: the same (dummy) hash work and the same answer.
    const ok = await verifyAuthSecret(account?.authHash, authSecret)
    if (!ok || !account) {
      await throttle.fail(email)
      return c.json({ error: 'login-failed' }, 401)
    }
    await endCurrentSession(c)
    const setup = !account.totpSecretSealed
    const token = await createPendingSession(
      deps,
      account.id,
      setup
        ? { purpose: 'totp-setup', totpSecret: newTotpSecret(deps.random) }
        : { purpose: 'login' }
    )
    setStaffCookie(c, config, token)
    const next = local(c, config, setup ? '/staff/totp' : '/staff/login/totp')
    return c.json<LoginResponse>({ next, totpSetup: setup })
  })

  app.get('/staff/login/totp', async (c) => {
    const pending = await readPendingSession(deps, staffToken(c, config))
    if (pending?.state.purpose !== 'login') return goTo(c, config, '/staff/login')
    return showTotp(c, { next: safeNext(c.req.query('next')) })
  })

  app.post('/staff/login/totp', async (c) => {
    const t = c.var.t.staff.totp
    const form = await c.req.parseBody()
    const next = safeNext(form.next)
    const pending = await readPendingSession(deps, staffToken(c, config))
    const account =
      pending?.state.purpose === 'login'
        ? await store.accounts.get(pending.session.accountId!)
        : null
    if (!pending || account?.status !== 'active') {
      if (wantsJson(c)) return c.json({ error: 'expired' }, 401)
      return goTo(c, config, '/staff/login?expired=1')
    }
    const wait = await throttle.blockedFor(account.email)
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      return wantsJson(c)
        ? c.json({ error: 'slow-down' }, 429)
        : showTotp(c, { next, error: t.slowDown }, 429)
    }
    const ok = await acceptTotp(
      { store, clock: deps.clock, dataKey: secrets.DATA_KEY },
      account,
      cleanTotpCode(form.code)
    )
    if (!ok) {
      await throttle.fail(account.email)
      return wantsJson(c)
        ? c.json({ error: 'login-failed' }, 401)
        : showTotp(c, { next, error: t.wrong }, 401)
    }
    await throttle.succeed(account.email)
    await store.sessions.delete(pending.session.id)
    const { token } = await createStaffSession(deps, account)
    setStaffCookie(c, config, token)
    await audit(account, 'login', account.id)
    const dest = local(c, config, next ?? landingPath(account.roles))
    return wantsJson(c) ? c.json({ next: dest }) : c.redirect(dest, 303)
  })

  // Ks: the key under which this tab keeps the unlocked officer keys in sessionStorage.
  app.get('/staff/session-key', requireRole(), async (c) => {
    const token = staffToken(c, config)
    const ks = token ? await sessionKeyOf(deps, token) : null
    if (!ks) return c.json({ error: 'unauthorized' }, 401)
    c.header('Cache-Control', 'no-store')
    const key = toBase64(ks)
    ks.fill(0)
    return c.json({ key })
  })

  // The wrapped secrets (only for the signed-in account), to unlock them with the passphrase.
  app.get('/staff/keys', requireRole(), (c) => {
    const a = staffOf(c).account
    if (!a.keys || !a.boxPublicKey || !a.signPublicKey) return c.json({ error: 'bad-request' }, 404)
    return c.json<KeysResponse>({
      accountId: a.id,
      keys: a.keys,
      boxPublicKey: a.boxPublicKey,
      signPublicKey: a.signPublicKey,
    })
  })

  app.get('/staff/unlock', requireRole(), (c) => {
    const next = safeNext(c.req.query('next')) ?? landingPath(staffOf(c).roles)
    return staffPage(
      c,
      config,
      { page: 'pages/staff/unlock', title: c.var.t.staff.unlock.title },
      { scripts: ['/static/js/staff-login.entry.js'] },
      200,
      { page: 'unlock', lang: c.var.lang, next }
    )
  })

  // Deleting the session destroys Ks: what the tab left in sessionStorage can no longer be opened.
  app.post('/staff/logout', async (c) => {
    const token = staffToken(c, config)
    if (token) await store.sessions.delete(tokenHash(token))
    clearStaffCookie(c, config)
    if (c.var.staff) await audit(c.var.staff.account, 'logout', c.var.staff.account.id)
    return wantsJson(c) ? c.body(null, 204) : goTo(c, config, '/staff/login?out=1')
  })

  return app
}
