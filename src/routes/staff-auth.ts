// Signing in and out. Step 1 (script only): the browser derives authSecret from the passphrase
// and posts it; the server checks its slow hash and opens a short pending-2fa session. Step 2:
// a TOTP code (a plain form that also works without JavaScript) turns it into a staff session
// with a fresh id. Also: the session key Ks for staff-keys.ts, the wrapped keys, unlocking.
import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import { toBase64 } from '../../crypto/encoding'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { valid, validJson } from '../http/validate'
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
import { acceptTotp, newTotpSecret } from '../staff/totp'
import { loginParamsRequest, loginRequest, nextField, totpForm } from '../staff/validate'
import { goTo, jsonBodyLimit, local, readJson, staffPage } from './staff-common'

/** ?next= (a bad one reads as absent) and the login page's notices. */
const nextQuery = z.object({
  next: nextField,
  out: z.string().optional().catch(undefined),
  expired: z.string().optional().catch(undefined),
})

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
  const badRequest = (c: Context<AppEnv>) => c.json({ error: 'bad-request' }, 400)
  // The query and form schemas read every field leniently and never fail; should one ever
  // fail, the answer is the login page.
  const badQuery = (c: Context<AppEnv>) => goTo(c, config, '/staff/login')

  const endCurrentSession = async (c: Context<AppEnv>) => {
    const token = staffToken(c, config)
    if (token) await store.sessions.delete(tokenHash(token))
  }

  app.get('/', (c) =>
    goTo(c, config, c.var.staff ? landingPath(c.var.staff.roles) : '/staff/login')
  )

  app.get('/login', valid('query', nextQuery, badQuery), (c) => {
    const { next } = c.req.valid('query')
    if (c.var.staff) return goTo(c, config, next ?? landingPath(c.var.staff.roles))
    const t = c.var.t.staff.login
    const { out, expired } = c.req.valid('query')
    const notice = out ? t.signedOut : undefined
    const error = expired ? t.expired : undefined
    return showLogin(c, { next, notice, ...(error ? { error } : {}) })
  })

  // Salt and KDF parameters for an address; made-up but stable ones for unknown addresses.
  app.post('/login/params', jsonBodyLimit, validJson(loginParamsRequest, badRequest), async (c) =>
    c.json(await loginParams(deps, c.req.valid('json').email))
  )

  // Before the body's fields are checked, in this order: a plain form post means the script did
  // not run (nothing can be derived without it); the honeypot is answered like a wrong
  // passphrase, and nothing is counted or stored; then proof of work, so that nothing is
  // counted and no slow hash runs without it. (Not requireWork: a plain form post must still get
  // the "needs JavaScript" page.)
  const loginGate = createMiddleware<AppEnv>(async (c, next) => {
    const body = await readJson(c)
    if (!body) return showLogin(c, { error: c.var.t.staff.login.jsRequired }, 400)
    if (honeypotFilled(body)) return c.json({ error: 'login-failed' }, 401)
    const proof = await work.check('staff-login', c.req.header(WORK_HEADER))
    if (!proof.ok) return workRefused(c, proof.why)
    await next()
  })

  app.post('/login', jsonBodyLimit, loginGate, validJson(loginRequest, badRequest), async (c) => {
    const { email, authSecret } = c.req.valid('json')
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

  app.get('/login/totp', valid('query', nextQuery, badQuery), async (c) => {
    const pending = await readPendingSession(deps, staffToken(c, config))
    if (pending?.state.purpose !== 'login') return goTo(c, config, '/staff/login')
    return showTotp(c, { next: c.req.valid('query').next })
  })

  // Every field is read leniently (a bad code is a wrong code), so the schema always passes.
  app.post('/login/totp', valid('form', totpForm, badQuery), async (c) => {
    const t = c.var.t.staff.totp
    const { code, next } = c.req.valid('form')
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
      code
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
  app.get('/session-key', requireRole(), async (c) => {
    const token = staffToken(c, config)
    const ks = token ? await sessionKeyOf(deps, token) : null
    if (!ks) return c.json({ error: 'unauthorized' }, 401)
    c.header('Cache-Control', 'no-store')
    const key = toBase64(ks)
    ks.fill(0)
    return c.json({ key })
  })

  // The wrapped secrets (only for the signed-in account), to unlock them with the passphrase.
  app.get('/keys', requireRole(), (c) => {
    const a = staffOf(c).account
    if (!a.keys || !a.boxPublicKey || !a.signPublicKey) return c.json({ error: 'bad-request' }, 404)
    return c.json<KeysResponse>({
      accountId: a.id,
      keys: a.keys,
      boxPublicKey: a.boxPublicKey,
      signPublicKey: a.signPublicKey,
    })
  })

  app.get('/unlock', requireRole(), valid('query', nextQuery, badQuery), (c) => {
    const next = c.req.valid('query').next ?? landingPath(staffOf(c).roles)
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
  app.post('/logout', async (c) => {
    const token = staffToken(c, config)
    if (token) await store.sessions.delete(tokenHash(token))
    clearStaffCookie(c, config)
    if (c.var.staff) await audit(c.var.staff.account, 'logout', c.var.staff.account.id)
    return wantsJson(c) ? c.body(null, 204) : goTo(c, config, '/staff/login?out=1')
  })

  return app
}
