/**
 * Key material: case key pairs and their grants, officer key pairs, the passphrase-derived wrap
 * key that protects an officer's secrets at rest, recovery codes and fingerprints.
 */
import { blake2b } from '@noble/hashes/blake2.js'
import nacl from 'tweetnacl'

import { nobleArgon2id, runArgon2id, type Argon2id } from './argon2'
import { bytesEqual, concatBytes, fromBase64, toHex, toBase64, utf8Encode } from './encoding'
import { CryptoError } from './errors'
import { seal, sealOpen } from './sealedbox'
import { EFF_LARGE_WORDLIST } from './wordlist-eff-large'

export type KeyPair = { publicKey: Uint8Array; secretKey: Uint8Array }

/** An X25519 box key pair and an Ed25519 signing key pair (secretKey = seed ‖ publicKey, 64 B). */
export type OfficerKeys = { box: KeyPair; sign: KeyPair; signSeed: Uint8Array }

function requireLength(bytes: Uint8Array, n: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new CryptoError('bad-key', `${what} must be ${n} bytes`)
  }
}

// ---------------------------------------------------------------------------------------------
// Case keys and grants

/** A fresh case key pair (csk, cpk): anyone with cpk can add items, only csk holders can read. */
export function generateCaseKeyPair(): KeyPair {
  return nacl.box.keyPair()
}

export function caseKeyPairFromSecret(caseSecretKey: Uint8Array): KeyPair {
  requireLength(caseSecretKey, 32, 'case secret key')
  return nacl.box.keyPair.fromSecretKey(caseSecretKey)
}

/** Gives the holder of granteeBoxPublicKey read access: seal(csk, granteePk), 80 bytes. */
export function grantCaseKey(
  caseSecretKey: Uint8Array,
  granteeBoxPublicKey: Uint8Array
): Uint8Array {
  requireLength(caseSecretKey, 32, 'case secret key')
  return seal(caseSecretKey, granteeBoxPublicKey)
}

/**
 * Opens a grant. With expectedCasePublicKey, also checks that the key really belongs to that case,
 * so a server cannot hand out the key of another case under this case's name.
 */
export function openGrant(
  sealed: Uint8Array,
  granteePublicKey: Uint8Array,
  granteeSecretKey: Uint8Array,
  expectedCasePublicKey?: Uint8Array
): Uint8Array {
  const csk = sealOpen(sealed, granteePublicKey, granteeSecretKey)
  if (csk.length !== 32) throw new CryptoError('bad-format', 'grant: case key must be 32 bytes')
  if (expectedCasePublicKey) {
    const cpk = nacl.box.keyPair.fromSecretKey(csk).publicKey
    if (!bytesEqual(cpk, expectedCasePublicKey)) {
      throw new CryptoError('wrong-case', 'grant: key does not match the case public key')
    }
  }
  return csk
}

// ---------------------------------------------------------------------------------------------
// Officer keys

/** Made in the officer's browser at enrolment; only public keys ever leave it unwrapped. */
export function generateOfficerKeys(): OfficerKeys {
  return officerKeysFromSecrets(nacl.randomBytes(32), nacl.randomBytes(32))
}

export function officerKeysFromSecrets(
  boxSecretKey: Uint8Array,
  signSeed: Uint8Array
): OfficerKeys {
  requireLength(boxSecretKey, 32, 'box secret key')
  requireLength(signSeed, 32, 'sign seed')
  return {
    box: nacl.box.keyPair.fromSecretKey(boxSecretKey),
    sign: nacl.sign.keyPair.fromSeed(signSeed),
    signSeed: signSeed.slice(),
  }
}

const WRAP_NONCE = nacl.secretbox.nonceLength // 24
const WRAPPED_BYTES = WRAP_NONCE + nacl.secretbox.overheadLength + 64 // 104

/** base64(nonce(24) ‖ secretbox(boxSk(32) ‖ signSeed(32), nonce, wrapKey)). */
export function wrapSecrets(
  wrapKey: Uint8Array,
  boxSecretKey: Uint8Array,
  signSeed: Uint8Array
): string {
  requireLength(wrapKey, 32, 'wrap key')
  requireLength(boxSecretKey, 32, 'box secret key')
  requireLength(signSeed, 32, 'sign seed')
  const nonce = nacl.randomBytes(WRAP_NONCE)
  const plain = concatBytes(boxSecretKey, signSeed)
  const box = nacl.secretbox(plain, nonce, wrapKey)
  plain.fill(0)
  return toBase64(concatBytes(nonce, box))
}

/** Reverses wrapSecrets; a wrong passphrase or a modified blob is open-failed. */
export function unwrapSecrets(
  wrapped: string,
  wrapKey: Uint8Array
): { boxSecretKey: Uint8Array; signSeed: Uint8Array } {
  requireLength(wrapKey, 32, 'wrap key')
  const raw = fromBase64(wrapped)
  if (raw.length !== WRAPPED_BYTES) {
    throw new CryptoError('bad-format', 'wrapped secrets: bad length')
  }
  const plain = nacl.secretbox.open(raw.subarray(WRAP_NONCE), raw.subarray(0, WRAP_NONCE), wrapKey)
  if (!plain) throw new CryptoError('open-failed', 'wrapped secrets: wrong key or modified')
  return { boxSecretKey: plain.slice(0, 32), signSeed: plain.slice(32, 64) }
}

export type KdfParams = { m: number; t: number; p: number }

/** Normal cost for officer passphrases: 64 MiB, 3 passes, 1 lane. */
export const OFFICER_KDF_DEFAULT: Readonly<KdfParams> = { m: 65536, t: 3, p: 1 }
/** OWASP minimum. Refused below, whatever the server sends, so it cannot downgrade the KDF. */
export const OFFICER_KDF_FLOOR: Readonly<KdfParams> = { m: 19456, t: 2, p: 1 }
/** Refused above, so a hostile server cannot make the browser allocate gigabytes or spin forever. */
export const OFFICER_KDF_CEILING: Readonly<KdfParams> = { m: 1048576, t: 32, p: 8 }

const MAX_PASSPHRASE_BYTES = 1024

export function checkKdfParams(params: KdfParams): void {
  const { m, t, p } = params
  if (![m, t, p].every((x) => Number.isSafeInteger(x) && x >= 1)) {
    throw new CryptoError('bad-kdf', 'argon2id parameters must be positive integers')
  }
  if (m < OFFICER_KDF_FLOOR.m || t < OFFICER_KDF_FLOOR.t) {
    throw new CryptoError('weak-kdf', `argon2id m=${m} t=${t} below the floor m=19456 t=2`)
  }
  if (m > OFFICER_KDF_CEILING.m || t > OFFICER_KDF_CEILING.t || p > OFFICER_KDF_CEILING.p) {
    throw new CryptoError('bad-kdf', `argon2id m=${m} t=${t} p=${p} above the ceiling`)
  }
  if (m < 8 * p) throw new CryptoError('bad-kdf', 'argon2id needs m >= 8p')
}

/** A fresh per-officer KDF salt. */
export function generateKdfSalt(): Uint8Array {
  return nacl.randomBytes(16)
}

/**
 * wrapKey ‖ authSecret = Argon2id(NFKC(passphrase), salt, params, 64 bytes).
 * wrapKey never leaves the browser; authSecret is the login credential the server hashes again.
 */
export async function deriveOfficerKeys(
  passphrase: string,
  salt: Uint8Array,
  params: KdfParams = OFFICER_KDF_DEFAULT,
  argon2id: Argon2id = nobleArgon2id
): Promise<{ wrapKey: Uint8Array; authSecret: Uint8Array }> {
  checkKdfParams(params)
  if (!(salt instanceof Uint8Array) || salt.length < 16 || salt.length > 64) {
    throw new CryptoError('bad-format', 'kdf salt must be 16..64 bytes')
  }
  const pw = utf8Encode(passphrase.normalize('NFKC'))
  if (pw.length === 0) throw new CryptoError('bad-format', 'empty passphrase')
  if (pw.length > MAX_PASSPHRASE_BYTES) throw new CryptoError('too-large', 'passphrase too long')
  const out = await runArgon2id(argon2id, pw, salt, {
    m: params.m,
    t: params.t,
    p: params.p,
    dkLen: 64,
  })
  const keys = { wrapKey: out.slice(0, 32), authSecret: out.slice(32, 64) }
  out.fill(0)
  pw.fill(0)
  return keys
}

// ---------------------------------------------------------------------------------------------
// Recovery codes: 32 random bytes, printed once, used directly as a second wrap key.

// Crockford's base32 alphabet: no I, L, O, U, so handwriting and OCR mix-ups are few.
const B32 = '0123456789abcdefghjkmnpqrstvwxyz'
const B32_ALIASES: Record<string, string> = { o: '0', i: '1', l: '1' }

export function generateRecoveryKey(): Uint8Array {
  return nacl.randomBytes(32)
}

/** 52 base32 characters in groups of four, e.g. "7zq4 1k0d …". */
export function formatRecoveryCode(key: Uint8Array): string {
  requireLength(key, 32, 'recovery key')
  let bits = 0
  let acc = 0
  let s = ''
  for (const b of key) {
    acc = (acc << 8) | b
    bits += 8
    while (bits >= 5) {
      bits -= 5
      s += B32.charAt((acc >> bits) & 31)
    }
    acc &= (1 << bits) - 1
  }
  if (bits > 0) s += B32.charAt((acc << (5 - bits)) & 31)
  return (s.match(/.{1,4}/g) ?? []).join(' ')
}

/** Accepts any case, spaces and hyphens, and the usual O/0 and I/L/1 confusions. */
export function parseRecoveryCode(code: string): Uint8Array {
  const chars = code
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[oil]/g, (c) => B32_ALIASES[c] ?? c)
  if (chars.length !== 52) throw new CryptoError('bad-format', 'recovery code: wrong length')
  const out = new Uint8Array(32)
  let acc = 0
  let bits = 0
  let o = 0
  for (const c of chars) {
    const v = B32.indexOf(c)
    if (v < 0) throw new CryptoError('bad-format', 'recovery code: bad character')
    acc = ((acc << 5) | v) & 0xfff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new CryptoError('bad-format', 'recovery code: bad end')
  return out
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

/** BLAKE2b-256(boxPk ‖ signPk): one value that pins both of an officer's public keys. */
export function keyFingerprint(boxPublicKey: Uint8Array, signPublicKey: Uint8Array): Uint8Array {
  requireLength(boxPublicKey, 32, 'box public key')
  requireLength(signPublicKey, 32, 'sign public key')
  return blake2b(concatBytes(boxPublicKey, signPublicKey), { dkLen: 32 })
}

/**
 * Human form of the first 128 bits of a fingerprint (second-preimage work 2^128):
 * 'hex' = 8 groups of 4 hex digits; 'words' = 10 EFF words (the 128-bit number in base 7776).
 */
export function formatFingerprint(fingerprint: Uint8Array, style: 'hex' | 'words' = 'hex'): string {
  if (fingerprint.length < 16) throw new CryptoError('bad-key', 'fingerprint too short')
  const head = fingerprint.subarray(0, 16)
  if (style === 'hex') return (toHex(head).match(/.{4}/g) ?? []).join(' ')
  let n = BigInt(`0x${toHex(head)}`)
  const words: string[] = []
  for (let i = 0; i < 10; i++) {
    words.push(EFF_LARGE_WORDLIST[Number(n % 7776n)] ?? '?')
    n /= 7776n
  }
  return words.join(' ')
}
