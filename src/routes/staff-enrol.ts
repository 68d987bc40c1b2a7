// First run (/staff/setup with the printed token), enrolment (/staff/enrol with an invitation
// token: the browser makes the keys, the server stores public keys, wrapped secrets and a slow
// hash of authSecret) and setting up the authenticator app (/staff/totp), which ends in a staff
// session.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { failedFields, typed, valid, validJson } from '../http/validate'
import { orgNameOf } from '../http/render'
import type { Role } from '../domain/vocab'
import { tokenHash } from '../report/ids'
import { ConflictError, type Account } from '../store/types'
import type { EnrolResponse } from '../staff/api'
import {
  accountFingerprint,
  consumeSetupToken,
  findInvite,
  hasActiveAdmin,
  issueInvite,
  staffAudit,
} from '../staff/accounts'
import { loginThrottle } from '../staff/login'
import { hashAuthSecret } from '../staff/server-crypto'
import { wantsJson } from '../http/staff'
import {
  createPendingSession,
  createStaffSession,
  landingPath,
  readPendingSession,
  setStaffCookie,
  staffToken,
} from '../staff/session'
import { newTotpSecret, qrSvg, sealTotpSecret, totpStep, totpUri } from '../staff/totp'
import { enrolRequest, roleList, setupForm, totpForm } from '../staff/validate'
import { goTo, jsonBodyLimit, kdfForPages, local, staffNotice, staffPage } from './staff-common'

type FieldErrors = Partial<
  Record<'email' | 'displayName' | 'roles', 'email' | 'displayName' | 'roles' | 'exists'>
>

/** ?token= of a setup or enrolment link (a repeated one reads as none). */
const tokenQuery = z.object({ token: z.string().max(200).catch('') })

export function staffEnrolRoutes(deps: AppDeps) {
  const { config, store, clock, secrets } = deps
  const app = new Hono<AppEnv>()
  const audit = staffAudit(deps)
  const throttle = loginThrottle(deps)

  // ------------------------------------------------------------------ first run

  const showSetup = (
    c: Context<AppEnv>,
    token: string,
    state: { values?: Record<string, string | string[]>; errors?: FieldErrors } = {},
    status: 200 | 422 = 200
  ) =>
    staffPage(
      c,
      config,
      { page: 'pages/staff/setup', title: c.var.t.staff.setup.title },
      { token, values: state.values ?? {}, errors: state.errors ?? {} },
      status
    )

  const setupDone = (c: Context<AppEnv>) =>
    staffNotice(c, config, c.var.t.staff.setup.doneTitle, c.var.t.staff.setup.done, 410)
  const setupInvalid = (c: Context<AppEnv>) =>
    staffNotice(c, config, c.var.t.staff.setup.invalidTitle, c.var.t.staff.setup.invalid, 403)

  app.get('/setup', valid('query', tokenQuery, setupInvalid), async (c) => {
    if (await hasActiveAdmin(store)) return setupDone(c)
    const { token } = c.req.valid('query')
    if (!token) return setupInvalid(c)
    return showSetup(c, token)
  })

  const setupFields = ['email', 'displayName'] as const
  const setupErrors = (issues: z.core.$ZodIssue[]): FieldErrors => {
    const errors: FieldErrors = {}
    for (const field of failedFields(issues)) {
      if (field === 'email' || field === 'displayName') errors[field] = field
    }
    return errors
  }
  /** Roles other than admin (the first account is always an admin). */
  const extraRoles = (roles: readonly Role[]) => roles.filter((r) => r !== 'admin')

  app.post(
    '/setup',
    valid('form', setupForm, (c, issues, raw) => {
      const values = {
        ...typed(raw, setupFields),
        roles: extraRoles(roleList.catch([]).parse(raw.roles)),
      }
      return showSetup(
        c,
        typed(raw, ['token']).token ?? '',
        { values, errors: setupErrors(issues) },
        422
      )
    }),
    async (c) => {
      const { token, email, displayName, roles } = c.req.valid('form')
      const extra = extraRoles(roles)
      const existing = await store.accounts.getByEmail(email)
      if (existing && existing.status !== 'invited') {
        const values = { email, displayName, roles: extra }
        return showSetup(c, token, { values, errors: { email: 'exists' } }, 422)
      }
      if (await hasActiveAdmin(store)) return setupDone(c)
      // Checked last, so a typo in the form does not use the token up.
      if (!(await consumeSetupToken(deps, token))) return setupInvalid(c)
      const invitation = await issueInvite(deps, { email, displayName, roles: ['admin', ...extra] })
      await audit(undefined, 'setup', invitation.account.id)
      return c.redirect(local(c, config, invitation.path), 303)
    }
  )

  // ------------------------------------------------------------------ enrolment

  const enrolInvalid = (c: Context<AppEnv>) => {
    const t = c.var.t.staff.enrol
    return staffNotice(c, config, t.invalidTitle, t.invalid, 410)
  }

  app.get('/enrol', valid('query', tokenQuery, enrolInvalid), async (c) => {
    const { token } = c.req.valid('query')
    const account = await findInvite(deps, token)
    const t = c.var.t.staff.enrol
    if (!account) return enrolInvalid(c)
    return staffPage(
      c,
      config,
      { page: 'pages/staff/enrol', title: t.title },
      {
        email: account.email,
        displayName: account.displayName,
        roles: account.roles,
        scripts: ['/static/js/staff-enrol.entry.js'],
      },
      200,
      { page: 'enrol', lang: c.var.lang, token, email: account.email, kdf: kdfForPages(config) }
    )
  })

  app.post(
    '/enrol',
    jsonBodyLimit,
    validJson(enrolRequest, (c) => c.json({ error: 'bad-request' }, 400)),
    async (c) => {
      const {
        token: invite,
        boxPublicKey,
        signPublicKey,
        keys,
        recoveryKeys,
        authSecret,
      } = c.req.valid('json')
      const account = await findInvite(deps, invite)
      if (!account) return c.json({ error: 'invalid-token' }, 410)
      const authHash = await hashAuthSecret(authSecret)
      let enrolled
      try {
        enrolled = await store.accounts.update(
          account.id,
          account.version,
          {
            status: 'active',
            authHash,
            boxPublicKey,
            signPublicKey,
            keys,
            recoveryKeys,
            inviteTokenHash: undefined,
            inviteExpiresAt: undefined,
            totpSecretSealed: undefined,
            totpLastStep: undefined,
          },
          clock.now()
        )
      } catch (err) {
        if (err instanceof ConflictError) return c.json({ error: 'conflict' }, 409)
        throw err
      }
      const fingerprint = accountFingerprint(enrolled) ?? ''
      await audit(enrolled, 'enrol', enrolled.id, { fingerprint })

      const previous = staffToken(c, config)
      if (previous) await store.sessions.delete(tokenHash(previous))
      const token = await createPendingSession(deps, enrolled.id, {
        purpose: 'totp-setup',
        totpSecret: newTotpSecret(deps.random),
      })
      setStaffCookie(c, config, token)
      return c.json<EnrolResponse>({ next: local(c, config, '/staff/totp'), fingerprint })
    }
  )

  // ------------------------------------------------------------------ authenticator app

  const showTotpSetup = async (
    c: Context<AppEnv>,
    error?: string,
    status: 200 | 401 | 429 = 200
  ): Promise<Response> => {
    const pending = await readPendingSession(deps, staffToken(c, config))
    const account = pending?.state.totpSecret
      ? await store.accounts.get(pending.session.accountId!)
      : null
    if (!pending?.state.totpSecret || !account) return goTo(c, config, '/staff/login')
    const secret = pending.state.totpSecret
    const uri = totpUri(secret, account.email, orgNameOf(c, config))
    return staffPage(
      c,
      config,
      { page: 'pages/staff/totp-setup', title: c.var.t.staff.totp.setupTitle },
      {
        secret,
        secretGroups: secret.match(/.{1,4}/g)?.join(' ') ?? secret,
        uri,
        qrSvg: qrSvg(uri, c.var.t.staff.totp.qrLabel),
        error,
      },
      status
    )
  }

  app.get('/totp', (c) => showTotpSetup(c))

  // The code is read leniently (a bad code is a wrong code), so the schema always passes.
  app.post(
    '/totp',
    valid('form', totpForm, (c) => showTotpSetup(c)),
    async (c) => {
      const t = c.var.t.staff.totp
      const { code } = c.req.valid('form')
      const pending = await readPendingSession(deps, staffToken(c, config))
      const secret = pending?.state.purpose === 'totp-setup' ? pending.state.totpSecret : undefined
      const account = secret ? await store.accounts.get(pending!.session.accountId!) : null
      if (!pending || !secret || account?.status !== 'active') {
        if (wantsJson(c)) return c.json({ error: 'expired' }, 401)
        return goTo(c, config, '/staff/login?expired=1')
      }
      const wait = await throttle.blockedFor(account.email)
      if (wait > 0) {
        c.header('Retry-After', String(wait))
        return showTotpSetup(c, t.slowDown, 429)
      }
      const step = totpStep(secret, code, clock.now())
      if (step === null) {
        await throttle.fail(account.email)
        return showTotpSetup(c, t.wrong, 401)
      }
      const patch = {
        totpSecretSealed: sealTotpSecret(secrets.DATA_KEY, secret),
        totpLastStep: step,
      }
      let current: Account = account
      for (let attempt = 0; ; attempt++) {
        try {
          current = await store.accounts.update(current.id, current.version, patch, clock.now())
          break
        } catch (err) {
          const fresh: Account | null =
            err instanceof ConflictError && attempt < 2
              ? await store.accounts.get(current.id)
              : null
          if (fresh?.status !== 'active') throw err
          current = fresh
        }
      }
      await throttle.succeed(current.email)
      await store.sessions.delete(pending.session.id)
      const { token } = await createStaffSession(deps, current)
      setStaffCookie(c, config, token)
      await audit(current, 'totp-enrolled', current.id)
      const dest = local(c, config, landingPath(current.roles))
      return wantsJson(c) ? c.json({ next: dest }) : c.redirect(dest, 303)
    }
  )

  return app
}
