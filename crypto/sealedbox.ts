/**
 * Anonymous public-key encryption, byte-compatible with libsodium crypto_box_seal /
 * crypto_box_seal_open, so any libsodium binding can open what we seal (and tests use it as an
 * oracle):
 *
 *   sealed = epk ‖ crypto_box(m, nonce = BLAKE2b-192(epk ‖ rpk), rpk, esk)
 *
 * The ephemeral key is used once, so the derived nonce never repeats. The sender is anonymous:
 * authenticity comes from the Ed25519 signature inside item envelopes, not from here.
 */
import { blake2b } from '@noble/hashes/blake2.js'
import nacl from 'tweetnacl'

import { CryptoError } from './errors'
import { concatBytes } from './encoding'

export const BOX_PUBLIC_KEY_BYTES = nacl.box.publicKeyLength // 32
export const BOX_SECRET_KEY_BYTES = nacl.box.secretKeyLength // 32
/** Bytes added by seal(): ephemeral public key (32) + Poly1305 tag (16). */
export const SEAL_OVERHEAD = BOX_PUBLIC_KEY_BYTES + nacl.box.overheadLength // 48

function sealNonce(epk: Uint8Array, rpk: Uint8Array): Uint8Array {
  return blake2b(concatBytes(epk, rpk), { dkLen: nacl.box.nonceLength })
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0
  for (const b of bytes) acc |= b
  return acc === 0
}

/** Encrypts message to recipientPublicKey; only the holder of the matching secret key can open. */
export function seal(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  if (recipientPublicKey.length !== BOX_PUBLIC_KEY_BYTES) {
    throw new CryptoError('bad-key', 'sealed box: recipient public key must be 32 bytes')
  }
  const eph = nacl.box.keyPair()
  try {
    const box = nacl.box(
      message,
      sealNonce(eph.publicKey, recipientPublicKey),
      recipientPublicKey,
      eph.secretKey
    )
    return concatBytes(eph.publicKey, box)
  } finally {
    eph.secretKey.fill(0)
  }
}

/**
 * Opens a sealed box. Any failure (wrong key pair, flipped bit, truncation, low-order ephemeral key
 * as libsodium rejects it) is CryptoError('open-failed'); there is no partial result.
 */
export function sealOpen(
  sealed: Uint8Array,
  recipientPublicKey: Uint8Array,
  recipientSecretKey: Uint8Array
): Uint8Array {
  if (
    sealed.length < SEAL_OVERHEAD ||
    recipientPublicKey.length !== BOX_PUBLIC_KEY_BYTES ||
    recipientSecretKey.length !== BOX_SECRET_KEY_BYTES
  ) {
    throw new CryptoError('open-failed', 'sealed box: bad length')
  }
  const epk = sealed.subarray(0, BOX_PUBLIC_KEY_BYTES)
  // libsodium refuses an all-zero shared secret (low-order epk); do the same so both open exactly
  // the same set of inputs.
  if (isAllZero(nacl.scalarMult(recipientSecretKey, epk))) {
    throw new CryptoError('open-failed', 'sealed box: low-order ephemeral key')
  }
  const opened = nacl.box.open(
    sealed.subarray(BOX_PUBLIC_KEY_BYTES),
    sealNonce(epk, recipientPublicKey),
    epk,
    recipientSecretKey
  )
  if (!opened) throw new CryptoError('open-failed', 'sealed box: authentication failed')
  return opened
}
