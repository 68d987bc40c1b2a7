// Admin pages: the list of accounts, invitations, disabling and enabling, certifying an officer's
// keys with the organisation key after comparing the fingerprint out of band (and revoking that),
// making the organisation key, ending sessions, resetting the authenticator. Every action is a
// plain form post answered with a redirect back to the list; htmx posts get the list fragment
// (the redirect keeps the HX-Request header). Certificates, revocations and the org key are made
// in the admin's browser (staff-admin.entry.ts): those forms need JavaScript, the rest do not.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { failedFields, typed, valid } from '../http/validate'
import { orgNameOf } from '../http/render'
import { enqueueMail } from '../mail/outbox'
import { ConflictError, type Account, type AccountPatch } from '../store/types'
import {
  accountFingerprint,
  InviteError,
  inviteField,
  issueInvite,
  normalizeFingerprint,
  staffAudit,
  type Invitation,
} from '../staff/accounts'
import { isSealedSeed, type Certificates } from '../staff/certificates'
import { requireRole, staffOf } from '../http/staff'
import { inviteInput, roleList } from '../staff/validate'
import { goTo, staffPage } from './staff-common'

const NOTICES = [
  'disabled',
  'enabled',
  'certified',
  'cert-revoked',
  'org-created',
  'revoked',
  'totp-reset',
] as const
const ERRORS = [
  'fingerprint-mismatch',
  'needs-js',
  'bad-statement',
  'no-org-key',
  'org-key-exists',
  'anchor-mismatch',
  'self',
  'not-found',
  'conflict',
] as const
const ACTIONS = [
  'disable',
  'enable',
  'certify',
  'revoke-certificate',
  'revoke-sessions',
  'reset-totp',
  'reinvite',
] as const

/** After an action: what was done, or what went wrong and with whose account (never fails). */
const listQuery = z.object({
  done: z.enum(NOTICES).optional().catch(undefined),
  error: z.enum(ERRORS).optional().catch(undefined),
  account: z.string().max(100).optional().catch(undefined),
})
/** A form field that is absent, repeated or not text reads as empty. */
const field = z.string().max(10_000).catch('')
/** A sealed org seed (seal() of 32 bytes), or absent when the browser made none. */
const sealedSeed = z
  .unknown()
  .optional()
  .transform((v) => (isSealedSeed(v) ? v : undefined))
const actionParams = z.object({ id: z.string().max(100), action: z.enum(ACTIONS) })
const actionForm = z.object({ statement: field, fingerprint: field, sealedSeed })
/** Made in the admin's browser: without JavaScript there is nothing here, and it says so. */
const orgKeyForm = z.object({
  publicKey: z.string(),
  sealedSeed: z.string().refine(isSealedSeed),
  certificate: field,
})

type InviteErrors = Partial<Record<'email' | 'displayName' | 'roles', string>>

export function staffAdminRoutes(deps: AppDeps, certificates: Certificates) {
  const { config, store, clock } = deps
  const app = new Hono<AppEnv>()
  const audit = staffAudit(deps)

  app.use('/admin/*', requireRole('admin'))

  const showAccounts = async (
    c: Context<AppEnv>,
    invite: { values?: Record<string, string | string[]>; errors?: InviteErrors } = {},
    status: 200 | 422 = 200
  ) => {
    const t = c.var.t.staff.admin
    const me = staffOf(c).account
    const { done, error, account: errorAccount } = listQuery.parse(c.req.query())
    const accounts = []
    for (const a of await store.accounts.list()) {
      accounts.push({
        id: a.id,
        displayName: a.displayName,
        email: a.email,
        roles: a.roles,
        status: a.status,
        fingerprint: accountFingerprint(a),
        boxPublicKey: a.boxPublicKey,
        signPublicKey: a.signPublicKey,
        cert: await certificates.certState(a),
        totp: !!a.totpSecretSealed,
        self: a.id === me.id,
      })
    }
    const orgPublicKey = await certificates.orgPublicKey()
    const sealedSeed = await certificates.sealedSeedFor(me.id)
    return staffPage(
      c,
      config,
      { page: 'pages/staff/accounts', fragment: 'partials/staff-accounts', title: t.title },
      {
        accounts,
        notice: done && t.notices[done],
        error: error && t.errors[error],
        errorAccount,
        invite: { values: invite.values ?? {}, errors: invite.errors ?? {} },
        org: { state: await certificates.orgKeyState(), ...(await certificates.fingerprints()) },
        scripts: ['/static/js/staff-admin.entry.js'],
      },
      status,
      {
        page: 'admin',
        lang: c.var.lang,
        accountId: me.id,
        now: clock.now().toISOString(),
        ...(orgPublicKey ? { orgPublicKey } : {}),
        ...(sealedSeed ? { sealedSeed } : {}),
      }
    )
  }

  const showInvitation = (c: Context<AppEnv>, invitation: Invitation, mailed: boolean) => {
    const t = c.var.t.staff.admin
    const date = new Intl.DateTimeFormat(c.var.lang === 'uk' ? 'uk-UA' : 'en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Kyiv',
    }).format(invitation.expiresAt)
    return staffPage(
      c,
      config,
      { page: 'pages/staff/invited', title: t.invitedTitle },
      {
        account: invitation.account,
        url: invitation.url,
        intro: t.invitedIntro.replace('{date}', date),
        mailed,
      }
    )
  }

  /** Queues the invitation mail when mail is configured; the admin sees the link either way. */
  const mailInvitation = async (c: Context<AppEnv>, invitation: Invitation): Promise<boolean> => {
    if (!config.smtpUrl) return false
    await enqueueMail(store, clock, deps.random, {
      to: invitation.account.email,
      template: 'invitation',
      params: {
        inviteUrl: invitation.url,
        expiresOn: invitation.expiresAt.toISOString().slice(0, 10),
        orgName: orgNameOf(c, config),
      },
      lang: c.var.lang,
    })
    return true
  }

  app.get('/admin/accounts', (c) => showAccounts(c))

  const inviteFields = ['email', 'displayName'] as const
  app.post(
    '/admin/accounts/invite',
    valid('form', inviteInput, (c, issues, raw) => {
      const values = { ...typed(raw, inviteFields), roles: roleList.catch([]).parse(raw.roles) }
      const errors: InviteErrors = {}
      for (const field of failedFields(issues)) {
        const name = inviteField(field)
        errors[name] = name
      }
      return showAccounts(c, { values, errors }, 422)
    }),
    async (c) => {
      const values = c.req.valid('form')
      let invitation: Invitation
      try {
        invitation = await issueInvite(deps, values)
      } catch (err) {
        if (!(err instanceof InviteError)) throw err
        const field = err.field === 'exists' ? 'email' : err.field
        return showAccounts(c, { values, errors: { [field]: err.field } }, 422)
      }
      const mailed = await mailInvitation(c, invitation)
      await audit(staffOf(c).account, 'invite', invitation.account.id, {
        roles: invitation.account.roles.join(','),
        mailed,
      })
      return showInvitation(c, invitation, mailed)
    }
  )

  // The admin's browser made the org key pair: its public half, its seed sealed to this admin's
  // box key, and a certificate of the admin's own keys (no read-out needed: the same browser).
  app.post(
    '/admin/org-key',
    valid('form', orgKeyForm, (c) => goTo(c, config, '/staff/admin/accounts?error=needs-js')),
    async (c) => {
      const me = staffOf(c).account
      const form = c.req.valid('form')
      const back = (query: string) => goTo(c, config, `/staff/admin/accounts?${query}`)
      const problem = await certificates.createOrgKey(me, form.publicKey, form.sealedSeed)
      if (problem) return back(`error=${problem}`)
      if (form.certificate) {
        const selfProblem = await certificates.addCertificate(me, form.certificate)
        if (selfProblem) return back(`error=${selfProblem}`)
      }
      const fingerprints = await certificates.fingerprints()
      await audit(me, 'org-key', undefined, { fingerprint: fingerprints?.hex ?? '' })
      return back('done=org-created')
    }
  )

  app.post(
    '/admin/accounts/:id/:action',
    valid('param', actionParams, (c) => c.notFound()),
    valid('form', actionForm, (c) => goTo(c, config, '/staff/admin/accounts?error=needs-js')),
    async (c) => {
      const me = staffOf(c).account
      const { id, action } = c.req.valid('param')
      const form = c.req.valid('form')
      const back = (query: string) => goTo(c, config, `/staff/admin/accounts?${query}`)
      const account = await store.accounts.get(id)
      if (!account) return back('error=not-found')
      const fail = (error: (typeof ERRORS)[number]) =>
        back(`error=${error}&account=${encodeURIComponent(account.id)}`)
      if (account.id === me.id && (action === 'disable' || action === 'reset-totp')) {
        return fail('self')
      }

      if (action === 'reinvite') {
        if (account.status !== 'invited') return fail('conflict')
        const invitation = await issueInvite(deps, account)
        const mailed = await mailInvitation(c, invitation)
        await audit(me, 'reinvite', account.id, { mailed })
        return showInvitation(c, invitation, mailed)
      }
      if (action === 'certify' || action === 'revoke-certificate') {
        const statement = form.statement
        const fingerprint = accountFingerprint(account)
        if (
          action === 'certify' &&
          normalizeFingerprint(form.fingerprint) !== normalizeFingerprint(fingerprint)
        ) {
          await audit(me, 'certify-mismatch', account.id)
          return fail('fingerprint-mismatch')
        }
        // Signed in the admin's browser with the org key; without JavaScript there is nothing to store.
        if (!statement) return fail('needs-js')
        const problem =
          action === 'certify'
            ? await certificates.addCertificate(account, statement)
            : await certificates.addRevocation(account, statement)
        if (problem) return fail(problem === 'no-org-key' ? problem : 'bad-statement')
        // An admin certified here gets the org key too, sealed to their box key by this admin.
        if (action === 'certify' && account.roles.includes('admin') && form.sealedSeed) {
          await certificates.putSealedSeed(account.id, form.sealedSeed)
        }
        await audit(me, action, account.id, { fingerprint: fingerprint ?? '' })
        return back(action === 'certify' ? 'done=certified' : 'done=cert-revoked')
      }
      if (action === 'revoke-sessions') {
        const ended = await store.sessions.deleteForAccount(account.id)
        await audit(me, 'revoke-sessions', account.id, { ended })
        return back('done=revoked')
      }

      let patch: AccountPatch
      let notice: (typeof NOTICES)[number]
      const details: Record<string, string> = {}
      switch (action) {
        case 'disable':
          patch = { status: 'disabled' }
          notice = 'disabled'
          break
        case 'enable':
          if (account.status !== 'disabled') return fail('conflict')
          // Someone disabled before enrolling goes back to "invited" (a new link is needed then).
          patch = { status: account.keys ? 'active' : 'invited' }
          notice = 'enabled'
          break
        default:
          patch = { totpSecretSealed: undefined, totpLastStep: undefined }
          notice = 'totp-reset'
      }
      let updated: Account
      try {
        updated = await store.accounts.update(account.id, account.version, patch, clock.now())
      } catch (err) {
        if (err instanceof ConflictError) return fail('conflict')
        throw err
      }
      // Whoever is disabled, or loses the second factor, is signed out everywhere at once.
      if (action === 'disable' || action === 'reset-totp') {
        await store.sessions.deleteForAccount(updated.id)
      }
      await audit(me, action, updated.id, details)
      return back(`done=${notice}`)
    }
  )

  return app
}
