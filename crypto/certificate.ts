/**
 * The organisation key and what it signs: certificates binding an officer's box and signing keys
 * to their account, and revocations. Its secret half lives only in admins' browsers (sealed to
 * each admin's box key), so whoever holds the server or its database cannot make an "officer"
 * key that a reader accepts, neither as a recipient of new reports nor as the signer of an item.
 *
 *   signed = canonical JSON of { ...statement, sig }
 *   sig    = Ed25519-Sign(orgSecretKey, UTF-8(prefix) ‖ UTF-8(canonicalJson(statement)))
 *
 * The prefix differs per statement type, so a signature can never be taken for another kind of
 * object (or for an item envelope, should the key ever be misused).
 */
import { blake2b } from '@noble/hashes/blake2.js'
import nacl from 'tweetnacl'

import {
  bytesEqual,
  canonicalJson,
  concatBytes,
  fromBase64,
  parseCanonicalJson,
  toBase64,
  utf8Encode,
  type JsonValue,
} from './encoding'
import { CryptoError } from './errors'
import type { Author } from './item'
import { formatFingerprint } from './keys'

export const CERTIFICATE_VERSION = 1
export const CERTIFICATE_PREFIX = 'whistle/cert/v1\0'
export const REVOCATION_PREFIX = 'whistle/revocation/v1\0'

/** The organisation's Ed25519 key pair; secretKey = seed ‖ publicKey (64 bytes). */
export type OrgKey = { publicKey: Uint8Array; secretKey: Uint8Array; seed: Uint8Array }

export interface OfficerCertificate {
  v: 1
  type: 'officer-key'
  accountId: string
  /** base64 X25519 key reports are sealed to. */
  boxPublicKey: string
  /** base64 Ed25519 key the officer signs items with. */
  signPublicKey: string
  /** The account's roles when certified; only 'officer' makes a recipient and a signer. */
  roles: string[]
  /** ISO 8601 UTC; the key is valid from here (inclusive) … */
  notBefore: string
  /** … to here (exclusive), when present. */
  notAfter?: string
  issuedAt: string
}

export interface Revocation {
  v: 1
  type: 'revocation'
  accountId: string
  signPublicKey: string
  /** Items the key signed from this instant on are no longer accepted. */
  revokedAt: string
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/
const MAX_ID = 200
const MAX_TEXT = 4096
const CERT_KEYS = [
  'accountId',
  'boxPublicKey',
  'issuedAt',
  'notAfter',
  'notBefore',
  'roles',
  'sig',
  'signPublicKey',
  'type',
  'v',
]
const REVOCATION_KEYS = ['accountId', 'revokedAt', 'sig', 'signPublicKey', 'type', 'v']

function bad(what: string): never {
  throw new CryptoError('bad-format', what)
}

function requireLength(bytes: Uint8Array, n: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new CryptoError('bad-key', `${what} must be ${n} bytes`)
  }
}

export function generateOrgKey(): OrgKey {
  return orgKeyFromSeed(nacl.randomBytes(32))
}

export function orgKeyFromSeed(seed: Uint8Array): OrgKey {
  requireLength(seed, 32, 'org key seed')
  const kp = nacl.sign.keyPair.fromSeed(seed)
  return { publicKey: kp.publicKey, secretKey: kp.secretKey, seed: seed.slice() }
}

/** BLAKE2b-256 of the org public key, shown like an officer fingerprint (hex or 10 words). */
export function orgFingerprint(orgPublicKey: Uint8Array, style: 'hex' | 'words' = 'hex'): string {
  requireLength(orgPublicKey, 32, 'org public key')
  return formatFingerprint(blake2b(orgPublicKey, { dkLen: 32 }), style)
}

function isIso(v: unknown): v is string {
  return typeof v === 'string' && ISO_UTC.test(v) && !isNaN(Date.parse(v))
}

function isKey(v: unknown): v is string {
  if (typeof v !== 'string') return false
  try {
    return fromBase64(v).length === 32
  } catch {
    return false
  }
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID
}

function isRoles(v: unknown): v is string[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((r) => typeof r === 'string' && r.length > 0 && r.length <= 50)
  )
}

// Rebuilt member by member, so a statement carries exactly the checked fields.
function checkCertificate(c: Record<string, unknown>): OfficerCertificate {
  const { accountId, boxPublicKey, signPublicKey, roles, notBefore, notAfter, issuedAt } = c
  if (!isId(accountId)) bad('certificate: accountId')
  if (!isKey(boxPublicKey)) bad('certificate: boxPublicKey')
  if (!isKey(signPublicKey)) bad('certificate: signPublicKey')
  if (!isRoles(roles)) bad('certificate: roles')
  if (!isIso(notBefore) || !isIso(issuedAt)) bad('certificate: dates')
  const until =
    notAfter === undefined
      ? undefined
      : isIso(notAfter) && Date.parse(notAfter) > Date.parse(notBefore)
        ? notAfter
        : bad('certificate: notAfter')
  return {
    v: CERTIFICATE_VERSION,
    type: 'officer-key',
    accountId,
    boxPublicKey,
    signPublicKey,
    roles: [...roles],
    notBefore,
    ...(until === undefined ? {} : { notAfter: until }),
    issuedAt,
  }
}

function checkRevocation(r: Record<string, unknown>): Revocation {
  const { accountId, signPublicKey, revokedAt } = r
  if (!isId(accountId)) bad('revocation: accountId')
  if (!isKey(signPublicKey)) bad('revocation: signPublicKey')
  if (!isIso(revokedAt)) bad('revocation: revokedAt')
  return { v: CERTIFICATE_VERSION, type: 'revocation', accountId, signPublicKey, revokedAt }
}

function sign(prefix: string, statement: Record<string, unknown>, orgSecretKey: Uint8Array) {
  requireLength(orgSecretKey, 64, 'org secret key')
  const bytes = concatBytes(utf8Encode(prefix), utf8Encode(canonicalJson(statement)))
  return canonicalJson({ ...statement, sig: toBase64(nacl.sign.detached(bytes, orgSecretKey)) })
}

/** Parses a signed statement and checks its signature; returns it without `sig`. */
function open(
  prefix: string,
  type: string,
  keys: string[],
  orgPublicKey: Uint8Array,
  signed: string
): Record<string, unknown> {
  requireLength(orgPublicKey, 32, 'org public key')
  if (typeof signed !== 'string' || signed.length > MAX_TEXT) bad(`${type}: too long`)
  const value: JsonValue = parseCanonicalJson(signed)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`${type}: object`)
  const obj: Record<string, unknown> = { ...value }
  if (obj.v !== CERTIFICATE_VERSION) {
    throw new CryptoError('bad-version', `${type} v=${String(obj.v)}`)
  }
  if (obj.type !== type) bad(`${type}: type`)
  if (Object.keys(obj).some((k) => !keys.includes(k))) bad(`${type}: unknown field`)
  const sigText = obj.sig
  delete obj.sig
  let sig: Uint8Array
  try {
    sig = typeof sigText === 'string' ? fromBase64(sigText) : new Uint8Array()
  } catch {
    sig = new Uint8Array()
  }
  const bytes = concatBytes(utf8Encode(prefix), utf8Encode(canonicalJson(obj)))
  if (sig.length !== 64 || !nacl.sign.detached.verify(bytes, sig, orgPublicKey)) {
    throw new CryptoError('bad-signature', `${type}: not signed by this organisation key`)
  }
  return obj
}

export function signCertificate(
  cert: Omit<OfficerCertificate, 'v' | 'type'>,
  orgSecretKey: Uint8Array
): string {
  const statement = checkCertificate({ ...cert, v: CERTIFICATE_VERSION, type: 'officer-key' })
  return sign(CERTIFICATE_PREFIX, { ...statement }, orgSecretKey)
}

/** Throws CryptoError: bad-format, bad-version, bad-signature (another key, or changed). */
export function verifyCertificate(orgPublicKey: Uint8Array, signed: string): OfficerCertificate {
  const obj = open(CERTIFICATE_PREFIX, 'officer-key', CERT_KEYS, orgPublicKey, signed)
  return checkCertificate(obj)
}

export function signRevocation(
  revocation: Omit<Revocation, 'v' | 'type'>,
  orgSecretKey: Uint8Array
): string {
  const statement = checkRevocation({ ...revocation, v: CERTIFICATE_VERSION, type: 'revocation' })
  return sign(REVOCATION_PREFIX, { ...statement }, orgSecretKey)
}

export function verifyRevocation(orgPublicKey: Uint8Array, signed: string): Revocation {
  const obj = open(REVOCATION_PREFIX, 'revocation', REVOCATION_KEYS, orgPublicKey, signed)
  return checkRevocation(obj)
}

/** Verifies what it can and drops the rest: a forged or foreign statement is simply absent. */
export function verifiedStatements(
  orgPublicKey: Uint8Array,
  certificates: readonly string[],
  revocations: readonly string[]
): { certificates: OfficerCertificate[]; revocations: Revocation[] } {
  const keep = <T>(texts: readonly string[], verify: (pk: Uint8Array, s: string) => T): T[] =>
    texts.flatMap((s) => {
      try {
        return [verify(orgPublicKey, s)]
      } catch {
        return []
      }
    })
  return {
    certificates: keep(certificates, verifyCertificate),
    revocations: keep(revocations, verifyRevocation),
  }
}

/**
 * Whether a (verified) certificate vouches for its keys at instant `at`: inside its validity, and
 * not revoked at or before `at`. A revocation covers the certificates of that key issued up to
 * its revokedAt, so a later certificate can certify the key again. Roles are the caller's to check.
 */
export function certificateValidAt(
  cert: OfficerCertificate,
  revocations: readonly Revocation[],
  at: string | Date
): boolean {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime()
  if (isNaN(t)) return false
  if (t < Date.parse(cert.notBefore)) return false
  if (cert.notAfter !== undefined && t >= Date.parse(cert.notAfter)) return false
  return !revocations.some(
    (r) =>
      r.accountId === cert.accountId &&
      r.signPublicKey === cert.signPublicKey &&
      Date.parse(r.revokedAt) <= t &&
      Date.parse(cert.issuedAt) <= Date.parse(r.revokedAt)
  )
}

/**
 * The signer lookup readers use for officer items: the signing key an org-certified, unrevoked
 * certificate names for the author at the item's createdAt, or undefined (the item then shows as
 * unverified). Statements that do not verify against orgPublicKey are ignored. Any other author
 * role is left to the caller.
 */
export function certifiedSignerLookup(
  orgPublicKey: Uint8Array | undefined,
  certificates: readonly string[],
  revocations: readonly string[]
): (author: Author, createdAt: string) => Uint8Array | undefined {
  if (!orgPublicKey) return () => undefined
  const ok = verifiedStatements(orgPublicKey, certificates, revocations)
  return (author, createdAt) => {
    if (author.role !== 'officer' || author.id === undefined) return undefined
    const cert = ok.certificates.find(
      (c) =>
        c.accountId === author.id &&
        c.roles.includes('officer') &&
        certificateValidAt(c, ok.revocations, createdAt)
    )
    return cert ? fromBase64(cert.signPublicKey) : undefined
  }
}

/**
 * Checks a recipient before sealing a case key to it: its certificate verifies against the org
 * key, names this account and exactly these keys, has the officer role and has not expired.
 * notBefore is not checked here: a reporter's clock that runs slow must not refuse an officer
 * certified a minute ago, and sealing to a certified key early discloses nothing. Throws
 * CryptoError.
 */
export function checkCertifiedRecipient(
  orgPublicKey: Uint8Array,
  recipient: { id: string; boxPublicKey: string; signPublicKey: string; certificate: string },
  now: Date
): OfficerCertificate {
  const cert = verifyCertificate(orgPublicKey, recipient.certificate)
  const same = (a: string, b: string) => bytesEqual(fromBase64(a), fromBase64(b))
  if (
    cert.accountId !== recipient.id ||
    !same(cert.boxPublicKey, recipient.boxPublicKey) ||
    !same(cert.signPublicKey, recipient.signPublicKey)
  ) {
    throw new CryptoError('bad-key', 'certificate names other keys')
  }
  if (!cert.roles.includes('officer')) throw new CryptoError('bad-key', 'not an officer')
  if (cert.notAfter !== undefined && now.getTime() >= Date.parse(cert.notAfter)) {
    throw new CryptoError('bad-key', 'certificate expired')
  }
  return cert
}
