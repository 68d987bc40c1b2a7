/**
 * Byte/text codecs and canonical JSON, written by hand so that they behave the same in browsers and
 * in Node and are strict: a decoder accepts exactly one spelling of each byte string, so that
 * ciphertexts, keys and signatures cannot be re-encoded into lookalikes that compare unequal.
 */
import { CryptoError, guard } from './errors'

const B64_STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function reverseTable(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1)
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i
  return table
}
const DEC_STD = reverseTable(B64_STD)
const DEC_URL = reverseTable(B64_URL)

function encode64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  const out: string[] = []
  const at = (i: number): number => bytes[i] ?? 0
  const ch = (n: number): string => alphabet.charAt(n & 63)
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2)
    out.push(ch(n >> 18) + ch(n >> 12) + ch(n >> 6) + ch(n))
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = at(i) << 16
    out.push(ch(n >> 18) + ch(n >> 12) + (pad ? '==' : ''))
  } else if (rest === 2) {
    const n = (at(i) << 16) | (at(i + 1) << 8)
    out.push(ch(n >> 18) + ch(n >> 12) + ch(n >> 6) + (pad ? '=' : ''))
  }
  return out.join('')
}

function decode64(text: string, table: Int16Array, padded: boolean, what: string): Uint8Array {
  let body = text
  if (padded) {
    if (text.length % 4 !== 0) throw new CryptoError('bad-format', `${what}: bad length`)
    if (text.endsWith('==')) body = text.slice(0, -2)
    else if (text.endsWith('=')) body = text.slice(0, -1)
  }
  if (body.length % 4 === 1) throw new CryptoError('bad-format', `${what}: bad length`)
  const out = new Uint8Array(Math.floor((body.length * 3) / 4))
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    const v = c < 128 ? (table[c] ?? -1) : -1
    if (v < 0) throw new CryptoError('bad-format', `${what}: bad character`)
    acc = ((acc << 6) | v) & 0xffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  // Leftover bits must be zero, otherwise two strings would decode to the same bytes.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new CryptoError('bad-format', `${what}: non-canonical trailing bits`)
  }
  return out
}

/** Standard base64 (RFC 4648 §4) with padding. */
export function toBase64(bytes: Uint8Array): string {
  return encode64(bytes, B64_STD, true)
}

/** Strict standard base64: padding required, no whitespace, canonical trailing bits. */
export function fromBase64(text: string): Uint8Array {
  return decode64(text, DEC_STD, true, 'base64')
}

/** fromBase64, or null for text that is not strict base64: for checks of untrusted input. */
export function tryFromBase64(text: string): Uint8Array | null {
  try {
    return fromBase64(text)
  } catch {
    return null
  }
}

/** URL-safe base64 (RFC 4648 §5) without padding, for ids and URLs. */
export function toBase64Url(bytes: Uint8Array): string {
  return encode64(bytes, B64_URL, false)
}

/** Strict unpadded base64url. */
export function fromBase64Url(text: string): Uint8Array {
  return decode64(text, DEC_URL, false, 'base64url')
}

const HEX = '0123456789abcdef'

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += HEX.charAt(b >> 4) + HEX.charAt(b & 15)
  return s
}

/** Hex of either case; anything else (odd length, other characters) is bad-format. */
export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new CryptoError('bad-format', 'hex: bad input')
  }
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16)
  return out
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text)
}

/** Fatal UTF-8 decoding: malformed bytes are bad-format, never silently replaced. */
export function utf8Decode(bytes: Uint8Array): string {
  return guard('bad-format', 'utf-8: malformed', () => decoder.decode(bytes))
}

/**
 * The same bytes typed as backed by a plain ArrayBuffer, which Blob and fetch bodies require; a
 * copy only when they sit in a SharedArrayBuffer.
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes)
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Equality whose running time depends only on the lengths, for secrets and MAC-like values. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

// Deep enough for any real body; shallow enough that a hostile, deeply nested body inside a valid
// seal cannot exhaust the stack.
const MAX_JSON_DEPTH = 64

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

function canon(v: unknown, depth: number, out: string[]): void {
  if (depth > MAX_JSON_DEPTH) throw new CryptoError('bad-format', 'json: nested too deeply')
  if (v === null) {
    out.push('null')
    return
  }
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'true' : 'false')
      return
    case 'number':
      if (!Number.isFinite(v)) throw new CryptoError('bad-format', 'json: non-finite number')
      // ECMAScript number-to-string, the same as RFC 8785 (JCS) prescribes.
      out.push(JSON.stringify(v))
      return
    case 'string':
      out.push(JSON.stringify(v))
      return
    case 'object':
      break
    default:
      throw new CryptoError('bad-format', `json: unsupported ${typeof v}`)
  }
  if (Array.isArray(v)) {
    out.push('[')
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',')
      const item: unknown = v[i]
      if (item === undefined) throw new CryptoError('bad-format', 'json: undefined in array')
      canon(item, depth + 1, out)
    }
    out.push(']')
    return
  }
  if (!isPlainObject(v)) throw new CryptoError('bad-format', 'json: not a plain object')
  const obj = v as Record<string, unknown>
  // Default sort = UTF-16 code unit order, as in RFC 8785. Undefined members are left out, as
  // JSON.stringify does, so optional fields set to undefined do not change the signature.
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  out.push('{')
  keys.forEach((k, i) => {
    if (i > 0) out.push(',')
    out.push(JSON.stringify(k), ':')
    canon(obj[k], depth + 1, out)
  })
  out.push('}')
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings as
 * JSON.stringify writes them (compatible with RFC 8785 for the values we use). Throws bad-format
 * for values JSON cannot represent exactly (NaN, Infinity, undefined in arrays, class instances).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = []
  guard('bad-format', 'json: cannot canonicalize', () => canon(value, 0, out))
  return out.join('')
}

/**
 * Parses JSON that must already be in canonical form. Refusing other spellings means one value has
 * exactly one byte encoding, so duplicate keys or reformatting cannot smuggle in a second meaning.
 */
export function parseCanonicalJson(text: string): JsonValue {
  const value = guard('bad-format', 'json: malformed', () => JSON.parse(text) as JsonValue)
  if (canonicalJson(value) !== text) throw new CryptoError('bad-format', 'json: not canonical')
  return value
}
