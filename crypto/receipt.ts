/**
 * The reporter's receipt: the only secret a reporter keeps. It finds the case, logs in and derives
 * the reporter's keys, so it must resist offline guessing against every case at once (the salt is
 * deployment-wide): 8 EFF words (103.4 bits) by default, or 24 digits (79.7 bits).
 */
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import nacl from 'tweetnacl'

import { nobleArgon2id, runArgon2id, type Argon2id, type Argon2Params } from './argon2'
import { toHex, utf8Encode } from './encoding'
import { CryptoError } from './errors'
import type { KeyPair } from './keys'
import { defaultRandom, uniformInt, type RandomSource } from './random'
import { EFF_LARGE_WORDLIST } from './wordlist-eff-large'

export type ReceiptKind = 'words' | 'digits'

export const RECEIPT_WORD_COUNT = 8
export const RECEIPT_DIGIT_COUNT = 24
/** Digits are shown and challenged in groups of this many. */
export const RECEIPT_DIGIT_GROUP = 4

/** OWASP-minimum Argon2id: enough for >= 80-bit receipts, and bearable in pure JS without WASM. */
export const RECEIPT_KDF: Readonly<Argon2Params> = { m: 19456, t: 2, p: 1, dkLen: 32 }

/** HKDF-SHA-256 info labels (UTF-8), salt empty, 32 bytes each. Changing one changes every key. */
export const RECEIPT_LABELS = {
  auth: 'receipt/auth',
  box: 'receipt/box',
  sign: 'receipt/sign',
} as const

/** The spelling that is hashed: hyphens inside a word do not count. */
const canonicalWord = (w: string): string => w.replace(/-/g, '')

// Four list words contain a hyphen (drop-down, felt-tip, t-shirt, yo-yo), and the list also has
// "yoyo". Writing a receipt down, people drop or add such hyphens, so hyphens never count:
// "yo-yo", "yo yo" and "yoyo" are one word (this merges 2 of 7776 entries, which costs 0.002 bits
// of a receipt's 103). The first halves (drop, felt, t, yo) are not list words, so rejoining
// "t shirt" cannot split a real pair of words (tested).
const CANONICAL_WORDS = new Set(EFF_LARGE_WORDLIST.map(canonicalWord))
const JOINABLE = new Set(EFF_LARGE_WORDLIST.filter((w) => w.includes('-')).map(canonicalWord))
/** canonical → display spelling, preferring the list's own hyphen-free entry ("yoyo"). */
const DISPLAY = new Map<string, string>()
for (const w of EFF_LARGE_WORDLIST) {
  const c = canonicalWord(w)
  if (!DISPLAY.has(c) || c === w) DISPLAY.set(c, w)
}

// ---------------------------------------------------------------------------------------------
// Generation

/** A new receipt in display form: 8 words separated by spaces, or 6 groups of 4 digits. */
export function generateReceipt(
  kind: ReceiptKind = 'words',
  random: RandomSource = defaultRandom
): string {
  if (kind === 'words') {
    const words: string[] = []
    for (let i = 0; i < RECEIPT_WORD_COUNT; i++) {
      words.push(EFF_LARGE_WORDLIST[uniformInt(EFF_LARGE_WORDLIST.length, random)] ?? '')
    }
    return words.join(' ')
  }
  let digits = ''
  for (let i = 0; i < RECEIPT_DIGIT_COUNT; i++) digits += String(uniformInt(10, random))
  return groupDigits(digits)
}

function groupDigits(digits: string): string {
  return (digits.match(new RegExp(`.{1,${RECEIPT_DIGIT_GROUP}}`, 'g')) ?? []).join(' ')
}

// ---------------------------------------------------------------------------------------------
// Normalization and validation

/**
 * The canonical form that is hashed: NFKC, lower case; a digit receipt keeps only its digits
 * (spaces, dashes, dots and other punctuation dropped); a word receipt becomes its words without
 * hyphens, joined by single spaces, whatever separated them (spaces, hyphens, punctuation, line
 * breaks). Never throws: validity is isWellFormedReceipt's job.
 */
export function normalizeReceipt(input: string): string {
  const s = input.normalize('NFKC').toLowerCase().trim()
  if (!/\p{L}/u.test(s)) return s.replace(/[\p{P}\p{Z}\s]/gu, '')
  const tokens = s.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '')
  const words: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? ''
    const joined = t + (tokens[i + 1] ?? '')
    if (!CANONICAL_WORDS.has(t) && i + 1 < tokens.length && JOINABLE.has(joined)) {
      words.push(joined)
      i++
    } else {
      words.push(t)
    }
  }
  return words.join(' ')
}

function kindOfNormalized(normalized: string): ReceiptKind | undefined {
  if (new RegExp(`^[0-9]{${RECEIPT_DIGIT_COUNT}}$`).test(normalized)) return 'digits'
  const words = normalized.split(' ')
  if (words.length === RECEIPT_WORD_COUNT && words.every((w) => CANONICAL_WORDS.has(w))) {
    return 'words'
  }
  return undefined
}

/** 'words' or 'digits' when the input normalizes to a complete receipt, otherwise undefined. */
export function receiptKind(input: string): ReceiptKind | undefined {
  return kindOfNormalized(normalizeReceipt(input))
}

export function isWellFormedReceipt(input: string): boolean {
  return receiptKind(input) !== undefined
}

/** The list words, or the 4-digit groups, of a well-formed receipt (bad-receipt otherwise). */
export function receiptParts(input: string): string[] {
  const normalized = normalizeReceipt(input)
  const kind = kindOfNormalized(normalized)
  if (kind === 'words') return normalized.split(' ').map((w) => DISPLAY.get(w) ?? w)
  if (kind === 'digits') return groupDigits(normalized).split(' ')
  throw new CryptoError('bad-receipt', 'not a complete receipt')
}

/** Display form of a well-formed receipt. */
export function formatReceipt(input: string): string {
  return receiptParts(input).join(' ')
}

/** List words starting with what the reporter has typed so far, for inline feedback. */
export function completeReceiptWord(prefix: string, limit = 8): string[] {
  const p = prefix.normalize('NFKC').toLowerCase().trim()
  if (p === '') return []
  return EFF_LARGE_WORDLIST.filter((w) => w.startsWith(p)).slice(0, limit)
}

// ---------------------------------------------------------------------------------------------
// "Type words 3 and 7": checks the reporter really wrote the receipt down.

/** count distinct 1-based positions (words, or digit groups), ascending. */
export function pickChallengePositions(
  receipt: string,
  count = 2,
  random: RandomSource = defaultRandom
): number[] {
  const n = receiptParts(receipt).length
  if (!Number.isInteger(count) || count < 1 || count > n) {
    throw new CryptoError('bad-state', `challenge: cannot pick ${count} of ${n}`)
  }
  const picked = new Set<number>()
  while (picked.size < count) picked.add(uniformInt(n, random) + 1)
  return [...picked].sort((a, b) => a - b)
}

/** The expected answers (normalized words or digit groups) at 1-based positions. */
export function receiptChallenge(receipt: string, positions: readonly number[]): string[] {
  const parts = receiptParts(receipt)
  return positions.map((pos) => {
    const part = Number.isInteger(pos) ? parts[pos - 1] : undefined
    if (part === undefined) throw new CryptoError('bad-state', `challenge: no position ${pos}`)
    return part
  })
}

/** One typed-back word (or digit group), normalized as the challenge compares it. */
export function normalizeAnswer(answer: string): string {
  const s = normalizeReceipt(answer)
  return /^[0-9]*$/.test(s) ? s : s.replace(/ /g, '')
}

/** True when every answer matches its position, with the same leniency as normalizeReceipt. */
export function checkReceiptChallenge(
  receipt: string,
  positions: readonly number[],
  answers: readonly string[]
): boolean {
  const expected = receiptChallenge(receipt, positions)
  return (
    answers.length === expected.length &&
    expected.every((e, i) => normalizeAnswer(answers[i] ?? '') === normalizeAnswer(e))
  )
}

// ---------------------------------------------------------------------------------------------
// Key derivation

export type ReceiptKeys = {
  /** Sent to the server at login; the server stores only HMAC(pepper, authKey). */
  authKey: Uint8Array
  /** X25519: the reporter's case-key grant is sealed to box.publicKey. */
  box: KeyPair
  /** Ed25519: signs the reporter's items. */
  sign: KeyPair
}

function hkdf32(master: Uint8Array, label: string): Uint8Array {
  return hkdf(sha256, master, new Uint8Array(0), utf8Encode(label), 32)
}

/**
 * M = Argon2id(UTF-8(normalizeReceipt(receipt)), deploymentSalt, m=19456, t=2, p=1, 32 bytes);
 * authKey / boxSeed / signSeed = HKDF-SHA-256(M, salt = empty, info = label, 32 bytes).
 * box = X25519 key pair with secret key boxSeed (X25519 clamps it); sign = Ed25519 from signSeed.
 */
export async function deriveReceiptKeys(
  receipt: string,
  deploymentSalt: Uint8Array,
  argon2id: Argon2id = nobleArgon2id
): Promise<ReceiptKeys> {
  const normalized = normalizeReceipt(receipt)
  if (!kindOfNormalized(normalized)) throw new CryptoError('bad-receipt', 'not a complete receipt')
  if (!(deploymentSalt instanceof Uint8Array) || deploymentSalt.length < 16) {
    throw new CryptoError('bad-format', 'deployment salt must be at least 16 bytes')
  }
  const master = await runArgon2id(argon2id, utf8Encode(normalized), deploymentSalt, RECEIPT_KDF)
  const authKey = hkdf32(master, RECEIPT_LABELS.auth)
  const boxSeed = hkdf32(master, RECEIPT_LABELS.box)
  const signSeed = hkdf32(master, RECEIPT_LABELS.sign)
  const keys = {
    authKey,
    box: nacl.box.keyPair.fromSecretKey(boxSeed),
    sign: nacl.sign.keyPair.fromSeed(signSeed),
  }
  for (const secret of [master, boxSeed, signSeed]) secret.fill(0)
  return keys
}

/** Zeroes the secret parts of receipt keys once nothing needs them (best effort in JavaScript). */
export function wipeReceiptKeys(keys: ReceiptKeys): void {
  keys.authKey.fill(0)
  keys.box.secretKey.fill(0)
  keys.sign.secretKey.fill(0)
}

/** The server's unique lookup value: hex(HMAC-SHA-256(pepper, authKey)). */
export function receiptLookup(pepper: Uint8Array, authKey: Uint8Array): string {
  if (pepper.length < 16) throw new CryptoError('bad-key', 'pepper must be at least 16 bytes')
  if (authKey.length !== 32) throw new CryptoError('bad-key', 'auth key must be 32 bytes')
  return toHex(hmac(sha256, pepper, authKey))
}
