// Staff accounts and their sessions: records and ports of the storage port (src/store/types.ts,
// which re-exports them).

import type { Role } from '../domain/vocab'

// ---------------------------------------------------------------- staff accounts

export interface WrappedKeys {
  /** secretbox(wrapKey, boxSk ‖ signSeed), base64 nonce ‖ box. */
  wrapped: string
  salt: string
  /** Argon2id parameters the browser used. */
  kdf: { m: number; t: number; p: number }
}

export interface Account {
  id: string
  email: string
  displayName: string
  roles: Role[]
  status: 'invited' | 'active' | 'disabled'
  /** Slow hash (PHC string) of the authSecret the browser derives; never the passphrase. */
  authHash?: string | undefined
  /** Encrypted TOTP secret (server secret box), and the last accepted time step (replay guard). */
  totpSecretSealed?: string | undefined
  totpLastStep?: number | undefined
  boxPublicKey?: string | undefined
  signPublicKey?: string | undefined
  keys?: WrappedKeys | undefined
  recoveryKeys?: WrappedKeys | undefined
  /** Hash of a one-time invitation token, and its expiry. */
  inviteTokenHash?: string | undefined
  inviteExpiresAt?: Date | undefined
  notifyDigest: boolean
  createdAt: Date
  updatedAt: Date
  version: number
}

export type NewAccount = Omit<Account, 'updatedAt' | 'version'>
/** A key set to `undefined` clears that optional field; absent keys are kept. */
export type AccountPatch = Partial<Omit<Account, 'id' | 'createdAt' | 'updatedAt' | 'version'>>

export interface AccountStore {
  create(a: NewAccount): Promise<Account>
  get(id: string): Promise<Account | null>
  getByEmail(email: string): Promise<Account | null>
  getByInviteTokenHash(hash: string): Promise<Account | null>
  update(id: string, expectedVersion: number, patch: AccountPatch, at: Date): Promise<Account>
  list(): Promise<Account[]>
  count(): Promise<number>
}

// ---------------------------------------------------------------- sessions

export interface Session {
  /** SHA-256 of the cookie token (hex): a database dump yields no usable cookie. */
  id: string
  kind: 'staff' | 'reporter' | 'pending-2fa'
  accountId?: string | undefined
  caseId?: string | undefined
  /** Opaque sealed blob (e.g. the reporter's case key under the cookie-held key). */
  data?: Uint8Array | undefined
  createdAt: Date
  lastSeenAt: Date
  /** Absolute expiry; idle expiry is lastSeenAt + idle timeout, checked by the caller. */
  expiresAt: Date
}

export interface SessionStore {
  create(s: Session): Promise<void>
  /** Returns null for unknown or expired (expiresAt <= now) sessions. */
  get(id: string, now: Date): Promise<Session | null>
  touch(id: string, at: Date): Promise<void>
  /** Replaces the sealed blob (the no-JS reporter's thread head moves on as they read). */
  setData(id: string, data: Uint8Array): Promise<void>
  delete(id: string): Promise<void>
  deleteForAccount(accountId: string): Promise<number>
}
