import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'

import {
  bytesEqual,
  canonicalJson,
  concatBytes,
  fromBase64,
  fromBase64Url,
  fromHex,
  parseCanonicalJson,
  toBase64,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from '../../../crypto/encoding'
import { expectCode } from './helpers'

describe('base64 / base64url / hex', () => {
  it('agree with Node Buffer for all small lengths and round-trip', () => {
    for (let n = 0; n < 70; n++) {
      const b = nacl.randomBytes(n)
      const buf = Buffer.from(b)
      expect(toBase64(b)).toBe(buf.toString('base64'))
      expect(toBase64Url(b)).toBe(buf.toString('base64url'))
      expect(toHex(b)).toBe(buf.toString('hex'))
      expect(fromBase64(toBase64(b))).toEqual(b)
      expect(fromBase64Url(toBase64Url(b))).toEqual(b)
      expect(fromHex(toHex(b))).toEqual(b)
      expect(fromHex(toHex(b).toUpperCase())).toEqual(b)
    }
  })

  it('are strict: one spelling per byte string', () => {
    for (const bad of [
      'QR==',
      'QUI=x',
      'QUJ',
      'Q',
      ' QUJD',
      'QUJD\n',
      'QU-D',
      'QUJD====',
      'é===',
    ]) {
      expectCode(() => fromBase64(bad), 'bad-format')
    }
    for (const bad of ['QR', 'QUI=', 'Q', 'QU+D', 'QU/D']) {
      expectCode(() => fromBase64Url(bad), 'bad-format')
    }
    for (const bad of ['abc', 'zz', '0x00', ' 00']) expectCode(() => fromHex(bad), 'bad-format')
    expect(fromBase64('')).toEqual(new Uint8Array(0))
  })
})

describe('utf-8', () => {
  it('round-trips text and rejects malformed bytes', () => {
    const s = 'Звернення ✓ 😀'
    expect(utf8Decode(utf8Encode(s))).toBe(s)
    expectCode(() => utf8Decode(new Uint8Array([0xc3, 0x28])), 'bad-format')
    expectCode(() => utf8Decode(new Uint8Array([0xed, 0xa0, 0x80])), 'bad-format')
  })
})

describe('bytes', () => {
  it('concatenates and compares', () => {
    const a = new Uint8Array([1, 2])
    const b = new Uint8Array([3])
    expect(concatBytes(a, b, new Uint8Array(0))).toEqual(new Uint8Array([1, 2, 3]))
    expect(bytesEqual(a, new Uint8Array([1, 2]))).toBe(true)
    expect(bytesEqual(a, new Uint8Array([1, 3]))).toBe(false)
    expect(bytesEqual(a, b)).toBe(false)
  })
})

describe('canonical JSON', () => {
  it('sorts keys at every level and has no whitespace', () => {
    const v = { b: 1, a: { d: [3, { z: null, y: true }], c: 'x' }, é: 'ü', A: -0.5 }
    expect(canonicalJson(v)).toBe(
      '{"A":-0.5,"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1,"é":"ü"}'
    )
  })

  it('sorts by UTF-16 code units (RFC 8785) and escapes like JSON.stringify', () => {
    expect(canonicalJson({ '\u20ac': 1, '\ud83d\ude00': 2, '\r': 3, '1': 4 })).toBe(
      '{"\\r":3,"1":4,"€":1,"😀":2}'
    )
    expect(canonicalJson('a"b\\c\u0001')).toBe('"a\\"b\\\\c\\u0001"')
    expect(canonicalJson([1e21, 0.1, -0, 5e-7])).toBe('[1e+21,0.1,0,5e-7]')
  })

  it('drops undefined members and refuses what JSON cannot carry exactly', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    let deep: unknown = 1
    for (let i = 0; i < 100; i++) deep = [deep]
    for (const bad of [
      NaN,
      Infinity,
      [undefined],
      [1, , 2], // eslint-disable-line no-sparse-arrays
      new Date(0),
      new Map(),
      new Uint8Array(1),
      () => 1,
      10n,
      Symbol('s'),
      cyclic,
      deep,
    ]) {
      expectCode(() => canonicalJson(bad), 'bad-format')
    }
  })

  it('parses only canonical text', () => {
    expect(parseCanonicalJson('{"a":[1,"x"],"b":null}')).toEqual({ a: [1, 'x'], b: null })
    for (const bad of [
      '{"b":1,"a":2}',
      '{ "a":1}',
      '{"a":1,"a":1}',
      '1.0',
      '{"a":1',
      '',
      '"\\u0041"',
    ]) {
      expectCode(() => parseCanonicalJson(bad), 'bad-format')
    }
    expectCode(() => parseCanonicalJson('['.repeat(100_000) + ']'.repeat(100_000)), 'bad-format')
  })

  it('keeps __proto__ as plain data', () => {
    const parsed = parseCanonicalJson('{"__proto__":{"x":1}}') as Record<string, unknown>
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})
