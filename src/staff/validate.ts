// What staff pages send, as zod schemas checked at the boundary (src/routes/staff-*.ts): form
// fields (email, name, roles, codes) and the JSON the browser builds (public keys, wrapped
// secrets, authSecret). The wire types in ./api.ts are inferred from them. Anything off is
// refused as a whole.
import { z } from 'zod'
import { fromBase64 } from '../../crypto/encoding'
import { checkKdfParams } from '../../crypto/keys'
import { ROLES, type Role } from '../domain/vocab'
import { RECOVERY_NO_KDF } from './api'
import { cleanTotpCode } from './totp'

/** nonce (24) ‖ secretbox(boxSk ‖ signSeed) (64 + 16). */
const WRAPPED_BYTES = 104

// One plain address: what the outbox accepts too (no display name, no second recipient).
const EMAIL = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/

export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email)
}

/** Trimmed, inner whitespace collapsed, no control characters; '' when unusable. */
function cleanDisplayName(value: string): string {
  const name = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return name.length <= 100 ? name : ''
}

/** Decodes standard base64 of exactly `length` bytes (or within [min, max]); null otherwise. */
export function base64Bytes(value: unknown, min: number, max = min): Uint8Array | null {
  if (typeof value !== 'string' || value.length > 4 * Math.ceil(max / 3)) return null
  try {
    const bytes = fromBase64(value)
    return bytes.length >= min && bytes.length <= max ? bytes : null
  } catch {
    return null
  }
}

/** Base64 of `min`..`max` bytes, kept as the string. */
const base64Of = (min: number, max = min) =>
  z.string().refine((v) => base64Bytes(v, min, max) !== null, `base64 of ${min} bytes`)
/** Base64 of exactly `length` bytes, decoded. */
const bytes = (length: number) =>
  z.string().transform((v, ctx) => {
    const b = base64Bytes(v, length)
    if (b) return b
    ctx.addIssue({ code: 'custom', message: `base64 of ${length} bytes` })
    return z.NEVER
  })

/** An address as typed: trimmed and lower-cased (checked for shape where it is stored). */
export const emailField = z.string().transform((v) => v.trim().toLowerCase())
/** Signing in: any address at all (unknown ones get the same answers), but not an empty one. */
const loginEmail = emailField.pipe(z.string().min(1).max(254))
/** An address to store: one plain address. */
export const newEmail = emailField.refine(isEmail, 'email')
export const displayName = z
  .string()
  .transform(cleanDisplayName)
  .pipe(z.string().min(1, 'displayName'))
/** Known roles, each once, in the canonical order (checkboxes: absent, one, or many). */
export const roleList = z
  .union([z.string(), z.array(z.unknown())])
  .optional()
  .transform((v): Role[] => {
    const list = ([] as unknown[]).concat(v ?? [])
    return ROLES.filter((r) => list.includes(r))
  })
/** Six digits, spaces and dashes dropped; '' for anything else (a wrong code, not a bad request). */
export const totpCode = z.unknown().optional().transform(cleanTotpCode)
export const authSecret = bytes(32)
export const publicKey = base64Of(32)

const kdfParams = z.object({ m: z.int(), t: z.int(), p: z.int() })

/**
 * Passphrase-wrapped secrets: salt of 16–64 bytes and KDF parameters the client would accept
 * itself (floor and ceiling), so nobody can store keys that are cheap to guess at.
 */
export const wrappedKeys = z.object({
  wrapped: base64Of(WRAPPED_BYTES),
  salt: base64Of(16, 64),
  kdf: kdfParams.refine((kdf) => {
    try {
      checkKdfParams(kdf)
      return true
    } catch {
      return false
    }
  }, 'KDF parameters out of range'),
})

/** Recovery-wrapped secrets: the recovery code is the key, so no salt and no KDF. */
export const recoveryKeys = z.object({
  wrapped: base64Of(WRAPPED_BYTES),
  salt: z.literal(''),
  kdf: z.object({
    m: z.literal(RECOVERY_NO_KDF.m),
    t: z.literal(RECOVERY_NO_KDF.t),
    p: z.literal(RECOVERY_NO_KDF.p),
  }),
})

/** An invitation, from the admin's form or the CLI. */
export const inviteInput = z.object({
  email: newEmail,
  displayName,
  roles: roleList.pipe(z.array(z.enum(ROLES)).min(1, 'roles')),
})

/** The first admin, from /staff/setup (always an admin; the form adds other roles). */
export const setupForm = z.object({
  token: z.string().max(200).catch(''),
  email: newEmail,
  displayName,
  roles: roleList,
})

// ---------------------------------------------------------------------------- JSON requests

/** POST /staff/login/params. */
export const loginParamsRequest = z.object({ email: loginEmail })

/** POST /staff/login (the honeypot and the proof of work are checked before it). */
export const loginRequest = z.object({
  email: loginEmail,
  /** base64 of the 32-byte authSecret (the second half of the Argon2id output). */
  authSecret,
})

/** POST /staff/enrol. */
export const enrolRequest = z.object({
  token: z.string().max(200),
  boxPublicKey: publicKey,
  signPublicKey: publicKey,
  keys: wrappedKeys,
  recoveryKeys,
  authSecret,
})

/** POST /staff/account/passphrase. */
export const passphraseChangeRequest = z.object({
  currentAuthSecret: authSecret,
  keys: wrappedKeys,
  authSecret,
})

/** POST /staff/recover/start. */
export const recoveryStartRequest = z.object({ email: loginEmail, code: totpCode })

/** POST /staff/recover/finish. */
export const recoveryFinishRequest = z.object({
  email: loginEmail,
  token: z.string().min(1).max(100),
  /** Ed25519 signature over recoveryChallenge(accountId, token) by the officer's signing key. */
  signature: bytes(64),
  keys: wrappedKeys,
  authSecret,
})

// ---------------------------------------------------------------------------- forms and queries

/**
 * Where to go after signing in: only our own staff areas, as a plain path, so a crafted link
 * cannot send a freshly signed-in officer somewhere else. Anything else reads as absent.
 */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined
  if (!/^\/(staff|officer|management)(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&_%-]*)?$/.test(value)) {
    return undefined
  }
  if (value.includes('//') || /^\/staff\/(login|logout|setup|enrol|recover|totp)/.test(value)) {
    return undefined
  }
  return value
}
export const nextField = z.unknown().optional().transform(safeNext)

/** POST /staff/login/totp and /staff/totp: the code, and where to go next. */
export const totpForm = z.object({ code: totpCode, next: nextField })
