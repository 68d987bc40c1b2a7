/**
 * Argon2id is injected: browsers pass the WASM one (argon2-wasm.ts, in a Web Worker), the server
 * may pass a native one, and everything falls back to this pure-JS implementation (works with
 * WebAssembly disabled, e.g. Tor Browser "Safer"). All of them MUST return identical bytes for the
 * same inputs; the tests check that.
 */
import { argon2idAsync } from '@noble/hashes/argon2.js'

import { CryptoError } from './errors'

export type Argon2Params = {
  /** Memory in KiB. */
  m: number
  /** Passes over memory. */
  t: number
  /** Lanes. */
  p: number
  /** Output bytes. */
  dkLen: number
}

/** Argon2id version 0x13 (RFC 9106), no secret, no associated data. */
export type Argon2id = (
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params
) => Promise<Uint8Array>

export type NobleArgon2Options = {
  /** Called with the completed fraction (0..1), for a progress bar. */
  onProgress?: (fraction: number) => void
  /** How long (ms) to compute before yielding to the event loop. */
  asyncTick?: number
}

export function createNobleArgon2id(options: NobleArgon2Options = {}): Argon2id {
  return async (password, salt, { m, t, p, dkLen }) =>
    argon2idAsync(password, salt, {
      m,
      t,
      p,
      dkLen,
      version: 0x13,
      // noble's default cap is 1 GiB; callers already cap memory lower, so just allow what they ask.
      maxmem: m * 1024 + 1024 * 1024,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.asyncTick !== undefined ? { asyncTick: options.asyncTick } : {}),
    })
}

/** The pure-JS default (@noble/hashes). */
export const nobleArgon2id: Argon2id = createNobleArgon2id()

/**
 * Runs an injected Argon2id and checks what comes back, so a broken or swapped implementation
 * surfaces as a CryptoError instead of a short key.
 */
export async function runArgon2id(
  argon2id: Argon2id,
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params
): Promise<Uint8Array> {
  let out: Uint8Array
  try {
    out = await argon2id(password, salt, params)
  } catch (e) {
    throw new CryptoError('kdf-failed', 'argon2id failed', { cause: e })
  }
  if (!(out instanceof Uint8Array) || out.length !== params.dkLen) {
    throw new CryptoError('kdf-failed', 'argon2id returned the wrong length')
  }
  return out
}
