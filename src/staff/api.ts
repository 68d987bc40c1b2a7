// JSON shapes between the staff pages' scripts (src/browser/staff-*.ts) and src/routes/staff-*.ts,
// and the checks the server applies to them. Imports nothing from node: the browser bundles the
// types and the recovery challenge from here.
import type { KdfParams } from '../../crypto/keys'
import type { WrappedKeys } from '../store/types'

export type { WrappedKeys }

/** Data of every staff page, in <script type="application/json" id="staff-config">. */
export type StaffPageConfig =
  | { page: 'enrol'; lang: Lang; token: string; email: string; kdf: KdfParams }
  | { page: 'login'; lang: Lang; next: string }
  | { page: 'unlock'; lang: Lang; next: string }
  | { page: 'account'; lang: Lang; accountId: string; fingerprint: string; kdf: KdfParams }
  | { page: 'recover'; lang: Lang; kdf: KdfParams }
  | {
      page: 'admin'
      lang: Lang
      accountId: string
      /** The anchored org public key (base64), once there is one. */
      orgPublicKey?: string
      /** seal(orgSeed, my box public key), when I hold the org key. */
      sealedSeed?: string
      /** The server's time (ISO): a certificate starts at the earlier of it and the browser's. */
      now: string
    }

type Lang = 'uk' | 'en'

export interface LoginParamsRequest {
  email: string
}
/** Same shape for every address, known or not, so accounts cannot be enumerated. */
export interface LoginParamsResponse {
  salt: string
  kdf: KdfParams
}

export interface LoginRequest {
  email: string
  /** base64 of the 32-byte authSecret (the second half of the Argon2id output). */
  authSecret: string
}
export interface LoginResponse {
  /** The TOTP step: '/staff/login/totp', or '/staff/totp' while no authenticator is set up. */
  next: string
  totpSetup: boolean
}

export interface NextResponse {
  next: string
}

/** GET /staff/keys: what the browser needs to unwrap its secret keys. */
export interface KeysResponse {
  accountId: string
  keys: WrappedKeys
  boxPublicKey: string
  signPublicKey: string
}

export interface EnrolRequest {
  token: string
  boxPublicKey: string
  signPublicKey: string
  keys: WrappedKeys
  recoveryKeys: WrappedKeys
  authSecret: string
}
export interface EnrolResponse {
  next: string
  fingerprint: string
}

export interface PassphraseChangeRequest {
  currentAuthSecret: string
  keys: WrappedKeys
  authSecret: string
}

export interface RecoveryStartRequest {
  email: string
  code: string
}
export interface RecoveryStartResponse {
  token: string
  accountId: string
  recoveryKeys: WrappedKeys
}
export interface RecoveryFinishRequest {
  email: string
  token: string
  /** Ed25519 signature over recoveryChallenge(accountId, token) by the officer's signing key. */
  signature: string
  keys: WrappedKeys
  authSecret: string
}

export interface StaffApiError {
  error:
    | 'bad-request'
    | 'login-failed'
    | 'slow-down'
    | 'unauthorized'
    | 'forbidden'
    | 'expired'
    | 'invalid-token'
    | 'conflict'
    /** Proof of work refused on sign-in (src/report/work.ts WorkRefusal). */
    | `work-${string}`
}

/**
 * The recovery code is itself the wrap key (32 random bytes), so its WrappedKeys carry no salt and
 * no KDF parameters: these are the values stored in their place.
 */
export const RECOVERY_NO_KDF: Readonly<KdfParams> = { m: 0, t: 0, p: 0 }

const RECOVERY_PREFIX = 'whistle-portal/staff-recovery/v1\n'

/**
 * What the browser signs to prove, during recovery, that the recovery code opened the real
 * secret keys. Plain text with a fixed prefix: never shaped like a case envelope.
 */
export function recoveryChallenge(accountId: string, token: string): Uint8Array {
  return new TextEncoder().encode(`${RECOVERY_PREFIX}${accountId}\n${token}`)
}
