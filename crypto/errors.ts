/**
 * Every failure of this module is a CryptoError with a stable code, so callers can map it to a UI
 * state ("unverified", "sequence gap", "wrong receipt") without parsing messages. Functions that
 * open attacker-controlled data catch whatever the libraries throw and rethrow one of these.
 */
export type CryptoErrorCode =
  /** Stored item or blob carries a version byte this code does not know. */
  | 'bad-version'
  /** Stored item names an algorithm this code does not know. */
  | 'bad-algorithm'
  /** Authenticated decryption failed: wrong key, flipped bit, truncated or forged ciphertext. */
  | 'open-failed'
  /** The Ed25519 signature does not verify against the expected signer key. */
  | 'bad-signature'
  /** The envelope names another case than the one it was fetched for (moved between cases). */
  | 'wrong-case'
  /** The envelope names another item id than the one it was fetched for. */
  | 'wrong-item'
  /** The envelope's sequence number is not the expected one (replayed or reordered item). */
  | 'bad-sequence'
  /** An attachment stream ended before its final chunk. */
  | 'truncated'
  /** An attachment chunk decrypts, but at another position than where it was found. */
  | 'reordered'
  /** Data follows the final chunk of an attachment. */
  | 'extended'
  /** Decrypted or encoded data does not have the expected shape (JSON, padding, base64, lengths). */
  | 'bad-format'
  /** A key argument has the wrong length or is otherwise unusable. */
  | 'bad-key'
  /** Argon2id parameters below the floor this client accepts. */
  | 'weak-kdf'
  /** Argon2id parameters that are invalid or above the ceiling this client accepts. */
  | 'bad-kdf'
  /** The Argon2id implementation failed or returned the wrong length. */
  | 'kdf-failed'
  /** A receipt that is not 8 words of one list, or 32 (legacy: 24) digits. */
  | 'bad-receipt'
  /** Input larger than the format allows. */
  | 'too-large'
  /** Decrypted attachment does not match the size or SHA-256 in its manifest. */
  | 'hash-mismatch'
  /** An API used out of order (for example a chunk encrypted after the final one). */
  | 'bad-state'
  /** The random source failed to provide usable bytes. */
  | 'bad-random'

export class CryptoError extends Error {
  override readonly name = 'CryptoError'
  readonly code: CryptoErrorCode

  constructor(code: CryptoErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ? `${code}: ${message}` : code, options)
    this.code = code
  }
}

export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code)
}

/** Runs fn and turns any non-CryptoError exception into CryptoError(code). */
export function guard<T>(code: CryptoErrorCode, message: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof CryptoError) throw e
    throw new CryptoError(code, message, { cause: e })
  }
}
