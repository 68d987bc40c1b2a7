// Shared test helpers for the crypto suite: an independent Argon2id (native, @node-rs/argon2) and
// assertions that failures are CryptoErrors with the right code.
import { hashRaw } from '@node-rs/argon2'
import { expect } from 'vitest'

import type { Argon2id } from '../../../crypto/argon2'
import { CryptoError, type CryptoErrorCode } from '../../../crypto/errors'

/** Native Argon2id v0x13 (algorithm 2 = Argon2id, version 1 = 0x13 in @node-rs/argon2's enums). */
export const nativeArgon2id: Argon2id = async (password, salt, { m, t, p, dkLen }) =>
  new Uint8Array(
    await hashRaw(password, {
      salt,
      memoryCost: m,
      timeCost: t,
      parallelism: p,
      outputLen: dkLen,
      algorithm: 2,
      version: 1,
    })
  )

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** Byte equality for large arrays (vitest's deep equality walks them element by element). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(
    Buffer.from(b.buffer, b.byteOffset, b.length)
  )
}

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice()
  out[bit >> 3]! ^= 1 << (bit & 7)
  return out
}

function check(e: unknown, code: CryptoErrorCode | readonly CryptoErrorCode[]): void {
  expect(e).toBeInstanceOf(CryptoError)
  const codes: readonly CryptoErrorCode[] = typeof code === 'string' ? [code] : code
  expect(codes).toContain((e as CryptoError).code)
}

/** fn must throw a CryptoError whose code is (one of) code. */
export function expectCode(fn: () => unknown, code: CryptoErrorCode | readonly CryptoErrorCode[]) {
  let thrown: unknown
  try {
    fn()
  } catch (e) {
    thrown = e
  }
  if (thrown === undefined) throw new Error(`expected CryptoError ${String(code)}, nothing thrown`)
  check(thrown, code)
}

export async function expectCodeAsync(
  fn: () => Promise<unknown>,
  code: CryptoErrorCode | readonly CryptoErrorCode[]
) {
  let thrown: unknown
  try {
    await fn()
  } catch (e) {
    thrown = e
  }
  if (thrown === undefined) throw new Error(`expected CryptoError ${String(code)}, nothing thrown`)
  check(thrown, code)
}
