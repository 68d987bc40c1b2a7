// Checks on what staff pages send: form fields (email, name, roles) and the JSON the browser
// builds (public keys, wrapped secrets, authSecret). Anything off is refused as a whole.
import { fromBase64 } from '../../crypto/encoding'
import { checkKdfParams, type KdfParams } from '../../crypto/keys'
import { ROLES, type Role } from '../domain/vocab'
import type { WrappedKeys } from '../store/types'
import { RECOVERY_NO_KDF } from './api'

/** nonce (24) ‖ secretbox(boxSk ‖ signSeed) (64 + 16). */
const WRAPPED_BYTES = 104

export function normalizeEmail(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : ''
}

// One plain address: what the outbox accepts too (no display name, no second recipient).
const EMAIL = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/

export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email)
}

/** Trimmed, inner whitespace collapsed, no control characters; '' when unusable. */
export function cleanDisplayName(value: unknown): string {
  if (typeof value !== 'string') return ''
  const name = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return name.length <= 100 ? name : ''
}

/** Known roles, each once, in the canonical order. */
export function parseRoles(values: unknown): Role[] {
  const list = ([] as unknown[]).concat(values ?? [])
  return ROLES.filter((r) => list.includes(r))
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

export function parseAuthSecret(value: unknown): Uint8Array | null {
  return base64Bytes(value, 32)
}

export function parsePublicKey(value: unknown): string | null {
  return base64Bytes(value, 32) ? (value as string) : null
}

/**
 * Passphrase-wrapped secrets: salt of 16–64 bytes and KDF parameters the client would accept
 * itself (floor and ceiling), so nobody can store keys that are cheap to guess at.
 */
export function parseWrappedKeys(value: unknown): WrappedKeys | null {
  if (!isObject(value) || !base64Bytes(value.wrapped, WRAPPED_BYTES)) return null
  if (!base64Bytes(value.salt, 16, 64)) return null
  const kdf = parseKdf(value.kdf)
  if (!kdf) return null
  try {
    checkKdfParams(kdf)
  } catch {
    return null
  }
  return { wrapped: value.wrapped as string, salt: value.salt as string, kdf }
}

/** Recovery-wrapped secrets: the recovery code is the key, so no salt and no KDF. */
export function parseRecoveryKeys(value: unknown): WrappedKeys | null {
  if (!isObject(value) || !base64Bytes(value.wrapped, WRAPPED_BYTES)) return null
  const kdf = parseKdf(value.kdf)
  if (value.salt !== '' || !kdf) return null
  const none = RECOVERY_NO_KDF
  if (kdf.m !== none.m || kdf.t !== none.t || kdf.p !== none.p) return null
  return { wrapped: value.wrapped as string, salt: '', kdf: { ...none } }
}

function parseKdf(value: unknown): KdfParams | null {
  if (!isObject(value)) return null
  const { m, t, p } = value
  if (![m, t, p].every((x) => typeof x === 'number' && Number.isSafeInteger(x))) return null
  return { m: m as number, t: t as number, p: p as number }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Where to go after signing in: only our own staff areas, as a plain path, so a crafted link
 * cannot send a freshly signed-in officer somewhere else.
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
