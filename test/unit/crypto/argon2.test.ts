import { afterEach, describe, expect, it, vi } from 'vitest'

import {
  createNobleArgon2id,
  nobleArgon2id,
  runArgon2id,
  type Argon2id,
} from '../../../crypto/argon2'
import { createFastArgon2id, wasmArgon2id } from '../../../crypto/argon2-wasm'
import { expectCodeAsync, hex, nativeArgon2id } from './helpers'

const enc = (s: string) => new TextEncoder().encode(s)

const IMPLEMENTATIONS: [string, Argon2id][] = [
  ['noble (pure JS)', nobleArgon2id],
  ['hash-wasm', wasmArgon2id],
  ['@node-rs/argon2', nativeArgon2id],
]

async function allEqual(password: Uint8Array, salt: Uint8Array, params: Parameters<Argon2id>[2]) {
  const outs = await Promise.all(IMPLEMENTATIONS.map(([, f]) => f(password, salt, params)))
  for (const [i, out] of outs.entries()) {
    expect(out, IMPLEMENTATIONS[i]![0]).toBeInstanceOf(Uint8Array)
    expect(hex(out), IMPLEMENTATIONS[i]![0]).toBe(hex(outs[0]!))
    expect(out).toHaveLength(params.dkLen)
  }
  return hex(outs[0]!)
}

describe('Argon2id implementations agree', () => {
  it('for small parameters, several shapes of input', async () => {
    const cases: [string, string, { m: number; t: number; p: number; dkLen: number }][] = [
      ['password', 'somesalt', { m: 64, t: 1, p: 1, dkLen: 32 }],
      ['password', 'somesalt', { m: 256, t: 3, p: 1, dkLen: 64 }],
      // (hash-wasm refuses an empty password; receipts and passphrases are never empty.)
      ['a', 'saltsaltsaltsalt', { m: 32, t: 2, p: 1, dkLen: 16 }],
      ['Звернення 😀', 'sixteen-byte-slt', { m: 128, t: 2, p: 2, dkLen: 32 }],
      ['x'.repeat(1000), 'another salt of some length', { m: 512, t: 1, p: 4, dkLen: 100 }],
    ]
    for (const [pw, salt, params] of cases) await allEqual(enc(pw), enc(salt), params)
  })

  it('for the receipt parameters (m=19456, t=2, p=1), with a pinned answer', async () => {
    const out = await allEqual(enc('password'), new Uint8Array(16).fill(1), {
      m: 19456,
      t: 2,
      p: 1,
      dkLen: 32,
    })
    expect(out).toBe('14695787c8ad1a210f90997854ba075c517b97924ed513e244aa058c48a03ea3')
  })
})

describe('Argon2id plumbing', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('reports progress when asked', async () => {
    const seen: number[] = []
    const f = createNobleArgon2id({ onProgress: (x) => seen.push(x) })
    await f(enc('pw'), enc('saltsalt'), { m: 1024, t: 2, p: 1, dkLen: 32 })
    expect(seen.length).toBeGreaterThan(0)
    expect(Math.max(...seen)).toBeLessThanOrEqual(1)
  })

  it('createFastArgon2id uses WASM when present and falls back without it', async () => {
    const params = { m: 64, t: 1, p: 1, dkLen: 32 }
    const expected = hex(await nativeArgon2id(enc('pw'), enc('saltsalt'), params))
    expect(hex(await createFastArgon2id()(enc('pw'), enc('saltsalt'), params))).toBe(expected)
    let fallbackCalls = 0
    const fallback: Argon2id = (a, b, c) => {
      fallbackCalls++
      return nobleArgon2id(a, b, c)
    }
    vi.stubGlobal('WebAssembly', undefined)
    const fast = createFastArgon2id(fallback)
    expect(hex(await fast(enc('pw'), enc('saltsalt'), params))).toBe(expected)
    expect(fallbackCalls).toBe(1)
  })

  it('runArgon2id turns failures and wrong lengths into kdf-failed', async () => {
    const params = { m: 64, t: 1, p: 1, dkLen: 32 }
    await expectCodeAsync(
      () => runArgon2id(() => Promise.reject(new Error('x')), enc('a'), enc('saltsalt'), params),
      'kdf-failed'
    )
    await expectCodeAsync(
      () =>
        runArgon2id(() => Promise.resolve(new Uint8Array(31)), enc('a'), enc('saltsalt'), params),
      'kdf-failed'
    )
    await expectCodeAsync(
      () => runArgon2id(nobleArgon2id, enc('a'), enc('short'), params),
      'kdf-failed'
    )
  })
})
