// Test-side staff: accounts made directly in the store (addStaff), signed-in sessions made by
// the same function the login handler uses (loginAs), and the browser's part of enrolment and
// sign-in done with crypto/ in Node, as the staff pages' scripts do it.
import { randomBytes } from 'node:crypto'
import { TOTP } from 'otpauth'
import { toBase64 } from '../../crypto/encoding'
import {
  deriveOfficerKeys,
  formatRecoveryCode,
  generateKdfSalt,
  generateOfficerKeys,
  generateRecoveryKey,
  OFFICER_KDF_DEFAULT,
  OFFICER_KDF_FLOOR,
  wrapSecrets,
  type OfficerKeys,
} from '../../crypto/keys'
import type { Config } from '../../src/config'
import type { Clock } from '../../src/deps'
import type { Role } from '../../src/domain/vocab'
import { nativeArgon2id } from '../../src/report/native-argon2'
import type { Secrets } from '../../src/secrets'
import { RECOVERY_NO_KDF, type EnrolRequest } from '../../src/staff/api'
import { createStaffSession, staffCookieName } from '../../src/staff/session'
import { openTotpSecret } from '../../src/staff/totp'
import type { Account, Store } from '../../src/store/types'
import { certify } from './org'

export interface TestStaff {
  account: Account
  keys: OfficerKeys
  /** The key the secrets are wrapped under in account.keys (no passphrase behind it). */
  wrapKey: Uint8Array
}

export interface AddStaffOptions {
  roles?: Role[]
  email?: string
  displayName?: string
  status?: Account['status']
  /** Keys certified with the (test) org key (default true: reports go only to certified keys). */
  certified?: boolean
}

/** An enrolled account with officer keys made here; it signs in through loginAs, not a passphrase. */
export async function addStaff(store: Store, opts: AddStaffOptions = {}): Promise<TestStaff> {
  const roles = opts.roles ?? ['officer']
  const keys = generateOfficerKeys()
  const wrapKey = new Uint8Array(randomBytes(32))
  const id = randomBytes(16).toString('base64url')
  const created = await store.accounts.create({
    id,
    email: opts.email ?? `${roles.join('-')}-${id.slice(0, 8).toLowerCase()}@council.example`,
    displayName: opts.displayName ?? roles.join(' + '),
    roles,
    status: opts.status ?? 'active',
    boxPublicKey: toBase64(keys.box.publicKey),
    signPublicKey: toBase64(keys.sign.publicKey),
    keys: {
      wrapped: wrapSecrets(wrapKey, keys.box.secretKey, keys.signSeed),
      salt: toBase64(generateKdfSalt()),
      kdf: { ...OFFICER_KDF_DEFAULT },
    },
    notifyDigest: false,
    createdAt: new Date('2026-01-01T00:00:00Z'),
  })
  if (opts.certified !== false) await certify(store, created)
  return { account: created, keys, wrapKey }
}

/** What ensureSetupToken, createInvite and friends take, from a test app (TestApp has no random). */
export function staffDeps(t: { store: Store; clock: Clock; config: Config }) {
  return {
    store: t.store,
    clock: t.clock,
    config: t.config,
    random: { bytes: (n: number) => new Uint8Array(randomBytes(n)) },
  }
}

/**
 * A signed-in staff session for the account, made by the login handler's own function; returns
 * the Cookie header value, e.g. `app.request('/officer', { headers: { Cookie } })`.
 */
export async function loginAs(
  t: { store: Store; clock: Clock; config: Pick<Config, 'publicUrl'> },
  account: Pick<Account, 'id'>
): Promise<string> {
  const { token } = await createStaffSession(
    { store: t.store, clock: t.clock, random: { bytes: (n) => new Uint8Array(randomBytes(n)) } },
    account
  )
  return `${staffCookieName(t.config)}=${token}`
}

/** What the enrolment page's script makes and sends, and what it shows the person. */
export interface BrowserEnrolment {
  request: EnrolRequest
  keys: OfficerKeys
  passphrase: string
  wrapKey: Uint8Array
  authSecret: Uint8Array
  recoveryCode: string
  recoveryKey: Uint8Array
}

/**
 * The Argon2id cost of the tests' passphrases: the floor every browser accepts, as makeTestApp
 * configures the server (STAFF_KDF_MIB/PASSES). Real Argon2id, a ninth of the production cost;
 * the production parameters are checked once (test/unit/crypto/keys.test.ts, known answer at
 * m=64 MiB, t=3; test/unit/config.test.ts, the defaults).
 */
export const TEST_KDF = OFFICER_KDF_FLOOR

/** The enrolment page's work, in Node: keys, derivation (native Argon2id), both wraps. */
export async function browserEnrolment(
  token: string,
  passphrase = 'correct horse battery staple sample words here',
  kdf = TEST_KDF
): Promise<BrowserEnrolment> {
  const keys = generateOfficerKeys()
  const salt = generateKdfSalt()
  const { wrapKey, authSecret } = await deriveOfficerKeys(passphrase, salt, kdf, nativeArgon2id)
  const recoveryKey = generateRecoveryKey()
  return {
    request: {
      token,
      boxPublicKey: toBase64(keys.box.publicKey),
      signPublicKey: toBase64(keys.sign.publicKey),
      keys: {
        wrapped: wrapSecrets(wrapKey, keys.box.secretKey, keys.signSeed),
        salt: toBase64(salt),
        kdf: { ...kdf },
      },
      recoveryKeys: {
        wrapped: wrapSecrets(recoveryKey, keys.box.secretKey, keys.signSeed),
        salt: '',
        kdf: { ...RECOVERY_NO_KDF },
      },
      authSecret: toBase64(authSecret),
    },
    keys,
    passphrase,
    wrapKey,
    authSecret,
    recoveryCode: formatRecoveryCode(recoveryKey),
    recoveryKey,
  }
}

/** The login page's derivation, in Node. */
export async function browserDerive(passphrase: string, salt: Uint8Array, kdf = TEST_KDF) {
  return deriveOfficerKeys(passphrase, salt, kdf, nativeArgon2id)
}

/** The code an authenticator app shows for a base32 secret at a moment. */
export function totpCode(secretBase32: string, at: Date): string {
  return new TOTP({ secret: secretBase32, digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at.getTime(),
  })
}

/** The code for an enrolled account, opening its stored secret as the server does. */
export async function accountTotpCode(
  t: { store: Store; secrets: Secrets },
  accountId: string,
  at: Date
): Promise<string> {
  const account = await t.store.accounts.get(accountId)
  const secret = openTotpSecret(t.secrets.DATA_KEY, account?.totpSecretSealed)
  if (!secret) throw new Error(`account ${accountId} has no TOTP secret`)
  return totpCode(secret, at)
}
