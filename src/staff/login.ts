// Signing in, the server's part: the KDF parameters a login page asks for, and the attempt
// limits. Neither may tell whether an address belongs to an account: unknown addresses get
// parameters derived from the address by HMAC (stable, same shape), and the limits count
// failures per address whether or not an account exists.
import { toBase64 } from '../../crypto/encoding'
import { OFFICER_KDF_DEFAULT, type KdfParams } from '../../crypto/keys'
import type { Clock } from '../deps'
import { createThrottle, type Limit, type Throttle } from '../lib/throttle'
import type { Secrets } from '../secrets'
import type { Store } from '../store/types'
import type { LoginParamsResponse } from './api'
import { keyedHash } from './server-crypto'

/**
 * Argon2id parameters for new passphrases (enrolment, change, recovery): the design's 64 MiB,
 * 3 passes. Pure JS in a worker takes about a second in desktop Chromium; the browser refuses
 * anything below m=19456, t=2 whatever the server says. The default of config.staffKdf.
 */
export const STAFF_KDF: Readonly<KdfParams> = OFFICER_KDF_DEFAULT

/** Failed sign-ins (passphrase or code): per address, and over all addresses together. */
export const STAFF_LOGIN_LIMITS = {
  global: { key: 'staff-login-fail:global', max: 50, windowMs: 60_000 } satisfies Limit,
  perAccount: (addressKey: string): Limit => ({
    key: `staff-login-fail:${addressKey}`,
    max: 10,
    windowMs: 15 * 60_000,
  }),
}

/** A short keyed hash of the address: counters never hold an email address. */
export function addressKey(secrets: Pick<Secrets, 'SESSION_SECRET'>, email: string): string {
  return keyedHash(secrets.SESSION_SECRET, 'login-throttle', email).toString('hex').slice(0, 32)
}

/** Salt and parameters for an address: the account's own, or stable fakes of the same shape. */
export async function loginParams(
  deps: {
    store: Store
    secrets: Pick<Secrets, 'SESSION_SECRET'>
    config: { staffKdf: KdfParams }
  },
  email: string
): Promise<LoginParamsResponse> {
  const account = email ? await deps.store.accounts.getByEmail(email) : null
  if (account?.keys && account.status !== 'invited') {
    return { salt: account.keys.salt, kdf: { ...account.keys.kdf } }
  }
  const salt = keyedHash(deps.secrets.SESSION_SECRET, 'login-salt', email).subarray(0, 16)
  return { salt: toBase64(new Uint8Array(salt)), kdf: { ...deps.config.staffKdf } }
}

export interface LoginThrottle {
  /** Seconds to wait when blocked (globally or for this address), else 0. */
  blockedFor(email: string): Promise<number>
  fail(email: string): Promise<void>
  /** After a complete sign-in: the address starts afresh. */
  succeed(email: string): Promise<void>
}

export function loginThrottle(deps: {
  store: Store
  clock: Clock
  secrets: Pick<Secrets, 'SESSION_SECRET'>
}): LoginThrottle {
  const throttle: Throttle = createThrottle(deps.store.counters, deps.clock)
  const limits = (email: string) => [
    STAFF_LOGIN_LIMITS.global,
    STAFF_LOGIN_LIMITS.perAccount(addressKey(deps.secrets, email)),
  ]
  return {
    async blockedFor(email) {
      for (const l of limits(email)) {
        if (await throttle.isBlocked(l)) return throttle.retryAfter(l)
      }
      return 0
    },
    async fail(email) {
      for (const l of limits(email)) await throttle.fail(l)
    },
    async succeed(email) {
      await deps.store.counters.reset(
        STAFF_LOGIN_LIMITS.perAccount(addressKey(deps.secrets, email)).key
      )
    },
  }
}
