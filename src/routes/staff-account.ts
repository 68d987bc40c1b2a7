// Own account: details and key fingerprint, passphrase change (the browser re-wraps the same
// secrets; the server wants the current authSecret), and recovery with the printed recovery code
// plus a TOTP code, for someone who forgot the passphrase.
import { Hono, type Context } from 'hono'
import nacl from 'tweetnacl'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { validJson } from '../http/validate'
import { newToken, tokenHash } from '../report/ids'
import { ConflictError } from '../store/types'
import { recoveryChallenge, type RecoveryStartResponse } from '../staff/api'
import { accountFingerprint, staffAudit } from '../staff/accounts'
import type { Certificates } from '../staff/certificates'
import { loginThrottle } from '../staff/login'
import { hashAuthSecret, verifyAuthSecret } from '../staff/server-crypto'
import { requireRole, staffOf } from '../http/staff'
import { createStaffSession, setStaffCookie } from '../staff/session'
import { acceptTotp } from '../staff/totp'
import {
  passphraseChangeRequest,
  recoveryFinishRequest,
  recoveryStartRequest,
} from '../staff/validate'
import { jsonBodyLimit, kdfForPages, local, staffPage } from './staff-common'

/** Between the TOTP check and the new passphrase: time to write the new words down. */
export const RECOVERY_TOKEN_TTL_MS = 20 * 60 * 1000

export function staffAccountRoutes(deps: AppDeps, certificates: Certificates) {
  const { config, store, clock, secrets } = deps
  const app = new Hono<AppEnv>()
  const audit = staffAudit(deps)
  const throttle = loginThrottle(deps)

  app.get('/account', requireRole(), async (c) => {
    const account = staffOf(c).account
    return staffPage(
      c,
      config,
      { page: 'pages/staff/account', title: c.var.t.staff.account.title },
      {
        account,
        fingerprint: accountFingerprint(account),
        cert: await certificates.certState(account),
        totp: !!account.totpSecretSealed,
        scripts: ['/static/js/staff-account.entry.js'],
      },
      200,
      {
        page: 'account',
        lang: c.var.lang,
        accountId: account.id,
        fingerprint: accountFingerprint(account) ?? '',
        kdf: kdfForPages(config),
      }
    )
  })

  const badRequest = (c: Context<AppEnv>) => c.json({ error: 'bad-request' }, 400)

  app.post(
    '/account/passphrase',
    requireRole(),
    jsonBodyLimit,
    validJson(passphraseChangeRequest, badRequest),
    async (c) => {
      const { currentAuthSecret: current, authSecret, keys } = c.req.valid('json')
      const account = staffOf(c).account
      const wait = await throttle.blockedFor(account.email)
      if (wait > 0) {
        c.header('Retry-After', String(wait))
        return c.json({ error: 'slow-down' }, 429)
      }
      if (!(await verifyAuthSecret(account.authHash, current))) {
        await throttle.fail(account.email)
        return c.json({ error: 'login-failed' }, 401)
      }
      const authHash = await hashAuthSecret(authSecret)
      try {
        await store.accounts.update(account.id, account.version, { authHash, keys }, clock.now())
      } catch (err) {
        if (err instanceof ConflictError) return c.json({ error: 'conflict' }, 409)
        throw err
      }
      // Every session ends, this one too; this browser continues in a fresh one (new id, new Ks).
      await store.sessions.deleteForAccount(account.id)
      const { token } = await createStaffSession(deps, account)
      setStaffCookie(c, config, token)
      await audit(account, 'passphrase-changed', account.id)
      return c.json({ next: local(c, config, '/staff/account') })
    }
  )

  app.get('/recover', (c) =>
    staffPage(
      c,
      config,
      { page: 'pages/staff/recover', title: c.var.t.staff.recover.title },
      { scripts: ['/static/js/staff-account.entry.js'] },
      200,
      { page: 'recover', lang: c.var.lang, kdf: kdfForPages(config) }
    )
  )

  // Step 1: address and TOTP code. The answer carries the recovery-wrapped secrets, which only
  // the recovery code opens, and a one-time token for step 2.
  app.post(
    '/recover/start',
    jsonBodyLimit,
    validJson(recoveryStartRequest, badRequest),
    async (c) => {
      const { email, code } = c.req.valid('json')
      const wait = await throttle.blockedFor(email)
      if (wait > 0) {
        c.header('Retry-After', String(wait))
        return c.json({ error: 'slow-down' }, 429)
      }
      const found = await store.accounts.getByEmail(email)
      const account = found?.status === 'active' && found.recoveryKeys ? found : undefined
      const ok =
        !!account && (await acceptTotp({ store, clock, dataKey: secrets.DATA_KEY }, account, code))
      if (!ok || !account?.recoveryKeys) {
        await throttle.fail(email)
        return c.json({ error: 'login-failed' }, 401)
      }
      const token = newToken(deps.random)
      const expiresAt = new Date(clock.now().getTime() + RECOVERY_TOKEN_TTL_MS)
      await store.tokens.issue(tokenHash(token), `staff-recovery:${account.id}`, expiresAt)
      await audit(account, 'recovery-started', account.id)
      return c.json<RecoveryStartResponse>({
        token,
        accountId: account.id,
        recoveryKeys: account.recoveryKeys,
      })
    }
  )

  // Step 2: a signature with the signing key the recovery code unlocked proves the code was
  // right; then the new wrapped secrets and authSecret replace the old ones.
  app.post(
    '/recover/finish',
    jsonBodyLimit,
    validJson(recoveryFinishRequest, badRequest),
    async (c) => {
      const { email, token, signature, keys, authSecret } = c.req.valid('json')
      const account = await store.accounts.getByEmail(email)
      if (account?.status !== 'active' || !account.signPublicKey) {
        return c.json({ error: 'expired' }, 401)
      }
      const purpose = `staff-recovery:${account.id}`
      if (!(await store.tokens.consume(tokenHash(token), purpose, clock.now()))) {
        return c.json({ error: 'expired' }, 401)
      }
      const signer = new Uint8Array(Buffer.from(account.signPublicKey, 'base64'))
      if (!nacl.sign.detached.verify(recoveryChallenge(account.id, token), signature, signer)) {
        await throttle.fail(email)
        await audit(account, 'recovery-refused', account.id)
        return c.json({ error: 'login-failed' }, 401)
      }
      const authHash = await hashAuthSecret(authSecret)
      try {
        await store.accounts.update(account.id, account.version, { authHash, keys }, clock.now())
      } catch (err) {
        if (err instanceof ConflictError) return c.json({ error: 'conflict' }, 409)
        throw err
      }
      await store.sessions.deleteForAccount(account.id)
      await throttle.succeed(email)
      await audit(account, 'recovered', account.id)
      return c.json({ next: local(c, config, '/staff/login') })
    }
  )

  return app
}
