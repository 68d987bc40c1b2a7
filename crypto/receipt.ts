/**
 * The reporter's receipt: the only secret a reporter keeps. It finds the case, logs in and derives
 * the reporter's keys, so it must resist offline guessing against every case at once (the salt is
 * deployment-wide): 8 words (103.4 bits) from the EFF list or the Ukrainian list, or 32 digits
 * (106.3 bits). 24-digit receipts issued before (79.7 bits) are still accepted.
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
import { UK_WORDLIST } from './wordlist-uk'

export type ReceiptKind = 'words' | 'digits'
/** Word lists: 'en' = EFF large list, 'uk' = crypto/wordlist-uk.txt. Both have 7776 words. */
export type ReceiptWordList = 'en' | 'uk'

export const RECEIPT_WORD_COUNT = 8
/** New digit receipts: 32 digits in 8 groups of 4, 106.3 bits. */
export const RECEIPT_DIGIT_COUNT = 32
/** Digit receipts issued before: 24 digits (79.7 bits), still accepted at login. */
export const LEGACY_RECEIPT_DIGIT_COUNT = 24
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

// The Ukrainian list is lower-case Cyrillic only, without ґ and apostrophes, and every word has a
// letter with no Latin look-alike (tools/wordlist-uk). So the script tells the lists apart.
const UK_WORDS = new Set(UK_WORDLIST)
const WORDLISTS: Readonly<Record<ReceiptWordList, readonly string[]>> = {
  en: EFF_LARGE_WORDLIST,
  uk: UK_WORDLIST,
}

/** The receipt word list for a page language: Ukrainian for 'uk', the EFF list otherwise. */
export function receiptWordListFor(lang: string | undefined): ReceiptWordList {
  return lang === 'uk' ? 'uk' : 'en'
}

// ---------------------------------------------------------------------------------------------
// Generation

/** A new receipt in display form: 8 words separated by spaces, or 8 groups of 4 digits. */
export function generateReceipt(
  kind: ReceiptKind = 'words',
  random: RandomSource = defaultRandom,
  list: ReceiptWordList = 'en'
): string {
  if (kind === 'words') {
    const wordlist = WORDLISTS[list]
    const words: string[] = []
    for (let i = 0; i < RECEIPT_WORD_COUNT; i++) {
      words.push(wordlist[uniformInt(wordlist.length, random)] ?? '')
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
 * breaks). In Cyrillic text ґ counts as г (the Ukrainian list has no ґ). Never throws: validity
 * is isWellFormedReceipt's job, and text mixing Cyrillic and Latin letters is never well-formed.
 */
export function normalizeReceipt(input: string): string {
  const s = input.normalize('NFKC').toLowerCase().trim()
  if (!/\p{L}/u.test(s)) return s.replace(/[\p{P}\p{Z}\s]/gu, '')
  if (/\p{Script=Cyrillic}/u.test(s)) {
    return s
      .replace(/ґ/g, 'г')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((t) => t !== '')
      .join(' ')
  }
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

const DIGIT_RECEIPT = new RegExp(
  `^(?:[0-9]{${RECEIPT_DIGIT_COUNT}}|[0-9]{${LEGACY_RECEIPT_DIGIT_COUNT}})$`
)

/** Which list a normalized word receipt is from: all words from one list, never a mix. */
function listOfNormalized(normalized: string): ReceiptWordList | undefined {
  const words = normalized.split(' ')
  if (words.length !== RECEIPT_WORD_COUNT) return undefined
  if (words.every((w) => CANONICAL_WORDS.has(w))) return 'en'
  if (words.every((w) => UK_WORDS.has(w))) return 'uk'
  return undefined
}

function kindOfNormalized(normalized: string): ReceiptKind | undefined {
  if (DIGIT_RECEIPT.test(normalized)) return 'digits'
  return listOfNormalized(normalized) ? 'words' : undefined
}

/** The word list of a well-formed word receipt ('en' or 'uk'), otherwise undefined. */
export function receiptWordList(input: string): ReceiptWordList | undefined {
  return listOfNormalized(normalizeReceipt(input))
}

/** 'words' or 'digits' when the input normalizes to a complete receipt, otherwise undefined. */
export function receiptKind(input: string): ReceiptKind | undefined {
  return kindOfNormalized(normalizeReceipt(input))
}

export function isWellFormedReceipt(input: string): boolean {
  return receiptKind(input) !== undefined
}

/**
 * What is wrong with a typed receipt, so the message can say what to do ("enter all 8 words;
 * you entered 7"): the count of words or digits, or the positions of words in no list.
 */
export type ReceiptProblem =
  | { problem: 'empty' }
  | { problem: 'word-count'; count: number }
  | { problem: 'digit-count'; count: number }
  | { problem: 'unknown-words'; positions: number[] }

export function receiptProblem(input: string): ReceiptProblem | null {
  const normalized = normalizeReceipt(input)
  if (kindOfNormalized(normalized) !== undefined) return null
  if (normalized === '') return { problem: 'empty' }
  if (/^[0-9]+$/.test(normalized)) return { problem: 'digit-count', count: normalized.length }
  const words = normalized.split(' ')
  if (words.length !== RECEIPT_WORD_COUNT) return { problem: 'word-count', count: words.length }
  // Eight words: the list most of them are from names the ones that are not in it.
  const inUk = words.filter((w) => UK_WORDS.has(w)).length
  const list = inUk * 2 > words.length ? UK_WORDS : CANONICAL_WORDS
  const positions = words.flatMap((w, i) => (list.has(w) ? [] : [i + 1]))
  return { problem: 'unknown-words', positions }
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
  const p = prefix.normalize('NFKC').toLowerCase().trim().replace(/ґ/g, 'г')
  if (p === '') return []
  const list = /\p{Script=Cyrillic}/u.test(p) ? UK_WORDLIST : EFF_LARGE_WORDLIST
  return list.filter((w) => w.startsWith(p)).slice(0, limit)
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
