// The server's side of staff credentials: the slow hash of authSecret, sub-keys of the
// deployment secrets (one per purpose), and secretbox sealing of small values.
import { createHmac, randomBytes } from 'node:crypto'
import { hash, verify, type Algorithm } from '@node-rs/argon2'
import nacl from 'tweetnacl'

const ARGON2ID = 2 as Algorithm // const enum Algorithm.Argon2id

/**
 * authSecret is already the output of a 64 MiB Argon2id in the browser; hashing it again keeps a
 * database dump from being a login credential. OWASP's minimum is plenty on top of that.
 */
const AUTH_HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 }

// The binding wants a password it can read as UTF-8, which random bytes are not: it hashes
// the base64 text of authSecret (same entropy, plain ASCII).
const asText = (authSecret: Uint8Array) => Buffer.from(authSecret).toString('base64')

export function hashAuthSecret(authSecret: Uint8Array): Promise<string> {
  return hash(asText(authSecret), AUTH_HASH_OPTIONS)
}

let dummyHash: Promise<string> | undefined

/**
 * Verifies authSecret against a stored PHC string. With no stored hash (unknown address, not
 * enrolled yet) it still spends the same time on a dummy hash and fails, so timing tells nothing.
 */
export async function verifyAuthSecret(
  phc: string | undefined,
  authSecret: Uint8Array
): Promise<boolean> {
  if (!phc) {
    dummyHash ??= hash(asText(randomBytes(32)), AUTH_HASH_OPTIONS)
    await verify(await dummyHash, asText(authSecret)).catch(() => false)
    return false
  }
  try {
    return await verify(phc, asText(authSecret))
  } catch {
    return false
  }
}

/** A 32-byte key for one purpose, derived from a deployment secret (HMAC-SHA-256). */
export function subkey(secret: Uint8Array, purpose: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update(`staff/${purpose}`).digest())
}

/** HMAC-SHA-256 of a text under a purpose sub-key of `secret`. */
export function keyedHash(secret: Uint8Array, purpose: string, text: string): Buffer {
  return createHmac('sha256', subkey(secret, purpose)).update(text).digest()
}

/** nonce (24) ‖ secretbox(plain). */
export function sealBytes(key: Uint8Array, plain: Uint8Array): Uint8Array {
  const nonce = nacl.randomBytes(nacl.secretbox.nonceLength)
  const box = nacl.secretbox(plain, nonce, key)
  const out = new Uint8Array(nonce.length + box.length)
  out.set(nonce)
  out.set(box, nonce.length)
  return out
}

export function openBytes(key: Uint8Array, sealed: Uint8Array | undefined): Uint8Array | null {
  const n = nacl.secretbox.nonceLength
  if (!sealed || sealed.length < n + nacl.secretbox.overheadLength) return null
  return nacl.secretbox.open(sealed.subarray(n), sealed.subarray(0, n), key)
}
