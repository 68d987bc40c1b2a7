/**
 * Stored items: every piece of case content (report answers, messages, notes, attachment
 * manifests) is a signed envelope, padded, sealed to the case public key:
 *
 *   stored = version (0x01) ‖ algorithm (0x01 = sealed box X25519-XSalsa20-Poly1305)
 *            ‖ seal(pad(UTF-8(canonical JSON envelope)), cpk)
 *
 * The case public key is public, so anyone (the server included) can seal an item; the Ed25519
 * signature and the caseId / itemId / seq inside it are what stop forgery, moving items between
 * cases and replay.
 */
import { blake2b } from '@noble/hashes/blake2.js'
import nacl from 'tweetnacl'

import {
  canonicalJson,
  fromBase64,
  parseCanonicalJson,
  toBase64,
  toHex,
  utf8Decode,
  utf8Encode,
  type JsonValue,
} from './encoding'
import { CryptoError } from './errors'
import { pad, unpad } from './padding'
import { seal, sealOpen } from './sealedbox'

export const ITEM_VERSION = 1
export const ALG_SEALED_BOX = 1
/** v2 chains each item to the one before it (`prev`); v1 items still open, unchained. */
export const ENVELOPE_VERSION = 2
export const ENVELOPE_VERSION_UNCHAINED = 1
/** `prev` of the first item of a thread (seq 1): it has no predecessor. */
export const FIRST_PREV = ''
const HASH_BYTES = 32

export type AuthorRole = 'reporter' | 'officer' | 'system'
export const AUTHOR_ROLES: readonly AuthorRole[] = ['reporter', 'officer', 'system']

export type Author = { role: AuthorRole; id?: string }

export type ItemInput = {
  caseId: string
  itemId: string
  /** Position in the case thread, from 1, without gaps. */
  seq: number
  author: Author
  /** ISO 8601 timestamp, as written by Date.prototype.toISOString. */
  createdAt: string
  /** e.g. 'answers' | 'message' | 'note' | 'attachment'. */
  type: string
  body: JsonValue
  /**
   * itemHash of the stored item at seq - 1 (FIRST_PREV for seq 1), so that a server replacing
   * or dropping an item breaks the chain of the item after it.
   */
  prev: string
}

export type Envelope = Omit<ItemInput, 'prev'> & {
  v: typeof ENVELOPE_VERSION | typeof ENVELOPE_VERSION_UNCHAINED
  /** Present exactly when v = 2. */
  prev?: string
  /** base64 Ed25519 signature over canonicalJson(envelope without sig). */
  sig: string
}

/** base64 BLAKE2b-256 of a stored item's bytes (header and ciphertext): what `prev` names. */
export function itemHash(stored: Uint8Array): string {
  return toBase64(blake2b(stored, { dkLen: HASH_BYTES }))
}

/** The first 4 bytes of an item hash as hex in two groups ("3fa2 91c0"), for people to compare. */
export function shortItemHash(hash: string): string {
  let bytes: Uint8Array
  try {
    bytes = fromBase64(hash)
  } catch {
    return '?'
  }
  if (bytes.length < 4) return '?'
  const hex = toHex(bytes.subarray(0, 4))
  return `${hex.slice(0, 4)} ${hex.slice(4)}`
}

function isPrev(v: unknown, seq: number): boolean {
  if (seq === 1) return v === FIRST_PREV
  if (typeof v !== 'string' || v.length !== 44) return false
  try {
    return fromBase64(v).length === HASH_BYTES
  } catch {
    return false
  }
}

/**
 * A key, or a lookup from the envelope's author to the key that should have signed it. The
 * envelope is passed too, because an officer key is accepted only if certified at its createdAt.
 */
export type SignerKey =
  Uint8Array | ((author: Author, envelope: Envelope) => Uint8Array | undefined)

export type OpenExpectations = {
  caseId: string
  seq?: number
  itemId?: string
  signerPublicKey?: SignerKey
}

export type OpenedItem = {
  envelope: Envelope
  /** True only when a signer key was supplied (or found) and the signature verified with it. */
  verified: boolean
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/
const MAX_ID = 200

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID
}

function bad(what: string): never {
  throw new CryptoError('bad-format', `envelope: ${what}`)
}

function checkAuthor(v: unknown): Author {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('author')
  const a = v as Record<string, unknown>
  if (!AUTHOR_ROLES.includes(a.role as AuthorRole)) bad('author.role')
  if (a.id !== undefined && !isId(a.id)) bad('author.id')
  if (Object.keys(a).some((k) => k !== 'role' && k !== 'id')) bad('author: unknown field')
  return a as Author
}

function checkInput(v: ItemInput): void {
  if (!isId(v.caseId)) bad('caseId')
  if (!isId(v.itemId)) bad('itemId')
  if (!Number.isSafeInteger(v.seq) || v.seq < 1) bad('seq')
  checkAuthor(v.author)
  if (
    typeof v.createdAt !== 'string' ||
    !ISO_UTC.test(v.createdAt) ||
    isNaN(Date.parse(v.createdAt))
  ) {
    bad('createdAt')
  }
  if (!isId(v.type)) bad('type')
  if (v.body === undefined) bad('body')
}

const ENVELOPE_KEYS_V1 = [
  'author',
  'body',
  'caseId',
  'createdAt',
  'itemId',
  'seq',
  'sig',
  'type',
  'v',
]
const ENVELOPE_KEYS = [...ENVELOPE_KEYS_V1, 'prev'].sort()

function checkEnvelope(value: JsonValue): Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('not an object')
  const env = value as unknown as Envelope
  // Version first: a future envelope may legitimately have other fields.
  if (env.v !== ENVELOPE_VERSION && env.v !== ENVELOPE_VERSION_UNCHAINED) {
    throw new CryptoError('bad-version', `envelope v=${String(env.v)}`)
  }
  const keys = env.v === ENVELOPE_VERSION ? ENVELOPE_KEYS : ENVELOPE_KEYS_V1
  if (Object.keys(value).sort().join() !== keys.join()) bad('wrong fields')
  checkInput({ ...env, prev: env.prev ?? FIRST_PREV })
  if (env.v === ENVELOPE_VERSION && !isPrev(env.prev, env.seq)) bad('prev')
  if (typeof env.sig !== 'string') bad('sig')
  return env
}

/** The exact bytes that are signed: canonical JSON of the envelope without `sig`, UTF-8. */
export function signedBytes(envelope: Omit<Envelope, 'sig'>): Uint8Array {
  const unsigned: Record<string, unknown> = { ...envelope }
  delete unsigned.sig
  return utf8Encode(canonicalJson(unsigned))
}

/** Builds, signs, pads and seals an envelope. signSecretKey is a 64-byte Ed25519 secret key. */
export function sealItem(
  input: ItemInput,
  casePublicKey: Uint8Array,
  signSecretKey: Uint8Array
): Uint8Array {
  if (signSecretKey.length !== nacl.sign.secretKeyLength) {
    throw new CryptoError('bad-key', 'item: signing key must be 64 bytes')
  }
  checkInput(input)
  if (!isPrev(input.prev, input.seq)) bad('prev')
  const unsigned: Omit<Envelope, 'sig'> = {
    v: ENVELOPE_VERSION,
    caseId: input.caseId,
    itemId: input.itemId,
    seq: input.seq,
    author: input.author.id === undefined ? { role: input.author.role } : { ...input.author },
    createdAt: input.createdAt,
    type: input.type,
    body: input.body,
    prev: input.prev,
  }
  const sig = toBase64(nacl.sign.detached(signedBytes(unsigned), signSecretKey))
  const plain = pad(utf8Encode(canonicalJson({ ...unsigned, sig })))
  const sealed = seal(plain, casePublicKey)
  const out = new Uint8Array(2 + sealed.length)
  out[0] = ITEM_VERSION
  out[1] = ALG_SEALED_BOX
  out.set(sealed, 2)
  return out
}

function verifySignature(envelope: Envelope, key: Uint8Array): boolean {
  if (key.length !== nacl.sign.publicKeyLength) {
    throw new CryptoError('bad-key', 'signer key length')
  }
  let sig: Uint8Array
  try {
    sig = fromBase64(envelope.sig)
  } catch {
    return false
  }
  return (
    sig.length === nacl.sign.signatureLength &&
    nacl.sign.detached.verify(signedBytes(envelope), sig, key)
  )
}

/**
 * Opens a stored item and checks it against what the caller fetched it as. Throws CryptoError:
 * bad-version / bad-algorithm / truncated (header), open-failed (wrong key, tampered),
 * bad-format (padding, JSON, fields), wrong-case, wrong-item, bad-sequence, bad-signature.
 * Without a signer key the item opens with verified: false, to be shown as "unverified".
 */
export function openItem(
  stored: Uint8Array,
  casePublicKey: Uint8Array,
  caseSecretKey: Uint8Array,
  expect: OpenExpectations
): OpenedItem {
  if (stored.length < 2) throw new CryptoError('truncated', 'item: no header')
  if (stored[0] !== ITEM_VERSION) throw new CryptoError('bad-version', `item version ${stored[0]}`)
  if (stored[1] !== ALG_SEALED_BOX) throw new CryptoError('bad-algorithm', `item alg ${stored[1]}`)
  const plain = unpad(sealOpen(stored.subarray(2), casePublicKey, caseSecretKey))
  const envelope = checkEnvelope(parseCanonicalJson(utf8Decode(plain)))
  if (envelope.caseId !== expect.caseId) {
    throw new CryptoError('wrong-case', 'item is from another case')
  }
  if (expect.itemId !== undefined && envelope.itemId !== expect.itemId) {
    throw new CryptoError('wrong-item', 'item id differs from the stored one')
  }
  if (expect.seq !== undefined && envelope.seq !== expect.seq) {
    throw new CryptoError('bad-sequence', `item seq ${envelope.seq}, expected ${expect.seq}`)
  }
  const key =
    typeof expect.signerPublicKey === 'function'
      ? expect.signerPublicKey(envelope.author, envelope)
      : expect.signerPublicKey
  if (key === undefined) return { envelope, verified: false }
  if (!verifySignature(envelope, key)) throw new CryptoError('bad-signature', 'item signature')
  return { envelope, verified: true }
}

/** The last item of a thread as a reader saw it: its seq and itemHash. */
export type ThreadHead = { seq: number; hash: string }

/** What verifyThread needs of each item: the envelope's fields, and the reader's own hash. */
export type ThreadLink = Pick<Envelope, 'caseId' | 'itemId' | 'seq'> & {
  /** Envelope version; absent when the item could not be opened (its link is then unchecked). */
  v?: number
  prev?: string
  /** itemHash of the stored bytes, computed by the reader (never taken from the server). */
  hash?: string
}

export type ThreadReport = {
  /** No gaps, duplicates, broken links, mixed cases or rollback, and sorted by seq as given. */
  ok: boolean
  /** Runs of sequence numbers missing between firstSeq and the highest seen (or minLastSeq). */
  gaps: { from: number; to: number }[]
  /** Sequence numbers that occur more than once (replays or conflicting items). */
  duplicates: number[]
  /** Item ids that occur more than once. */
  duplicateItemIds: string[]
  /** The list was not in ascending seq order. */
  outOfOrder: boolean
  /** Envelopes from more than one case. */
  mixedCases: boolean
  /** Items whose `prev` is not the hash of the item before them: that one was replaced. */
  brokenLinks: number[]
  /** v1 items: they name no predecessor, so nothing links them (stored before chaining). */
  unchained: number[]
  /** The thread ends before the head this reader saw earlier (`seen`): its tail was cut. */
  behindSeen: boolean
  /** The item at the seen head's seq is not the one seen then. */
  seenReplaced: boolean
  /** The highest item with a hash, as shown to people and remembered for the next view. */
  head?: ThreadHead
  lastSeq: number
}

/**
 * Checks a thread for what a server could do without any key: hide items (gaps), replay them
 * (duplicates), mix cases, replace an item (a broken link in the item after it) or cut the tail.
 * A cut tail shows only against what the reader knew: minLastSeq (a length) or seen (the head it
 * saw on an earlier view, which also catches a replaced head).
 */
export function verifyThread(
  envelopes: readonly ThreadLink[],
  options: { firstSeq?: number; minLastSeq?: number; seen?: ThreadHead } = {}
): ThreadReport {
  const firstSeq = options.firstSeq ?? 1
  const seen = new Map<number, number>()
  const ids = new Map<string, number>()
  const hashes = new Map<number, string | undefined>()
  let outOfOrder = false
  let prev = -Infinity
  let head: ThreadHead | undefined
  for (const e of envelopes) {
    seen.set(e.seq, (seen.get(e.seq) ?? 0) + 1)
    ids.set(e.itemId, (ids.get(e.itemId) ?? 0) + 1)
    hashes.set(e.seq, e.hash)
    if (e.seq < prev) outOfOrder = true
    prev = e.seq
    if (e.hash !== undefined && (!head || e.seq >= head.seq)) head = { seq: e.seq, hash: e.hash }
  }
  const highest = Math.max(firstSeq - 1, ...seen.keys())
  const lastSeq = Math.max(highest, options.minLastSeq ?? 0, options.seen?.seq ?? 0)
  // Ranges, not single numbers: an unverified item may claim seq 2^53, which must not mean a loop
  // over 2^53 numbers.
  const gaps: { from: number; to: number }[] = []
  let expected = firstSeq
  for (const s of [...seen.keys(), lastSeq + 1].sort((a, b) => a - b)) {
    if (s > expected) gaps.push({ from: expected, to: s - 1 })
    expected = Math.max(expected, s + 1)
  }
  const duplicates = [...seen]
    .filter(([, n]) => n > 1)
    .map(([s]) => s)
    .sort((a, b) => a - b)
  const duplicateItemIds = [...ids].filter(([, n]) => n > 1).map(([id]) => id)
  const mixedCases = new Set(envelopes.map((e) => e.caseId)).size > 1
  const belowFirst = [...seen.keys()].some((s) => s < firstSeq)
  // A missing or duplicated predecessor is already a gap or a duplicate; only a single known
  // predecessor with another hash is a broken link.
  const brokenLinks = envelopes
    .filter((e) => {
      if (e.prev === undefined || e.seq <= firstSeq || seen.get(e.seq - 1) !== 1) return false
      const before = hashes.get(e.seq - 1)
      return before !== undefined && before !== e.prev
    })
    .map((e) => e.seq)
  const unchained = envelopes.filter((e) => e.v === ENVELOPE_VERSION_UNCHAINED).map((e) => e.seq)
  const behindSeen = options.seen !== undefined && highest < options.seen.seq
  const atSeen = options.seen ? hashes.get(options.seen.seq) : undefined
  const seenReplaced = atSeen !== undefined && atSeen !== options.seen?.hash
  return {
    ok:
      !gaps.length &&
      !duplicates.length &&
      !duplicateItemIds.length &&
      !brokenLinks.length &&
      !outOfOrder &&
      !mixedCases &&
      !belowFirst &&
      !behindSeen &&
      !seenReplaced,
    gaps,
    duplicates,
    duplicateItemIds,
    outOfOrder,
    mixedCases,
    brokenLinks,
    unchained,
    behindSeen,
    seenReplaced,
    ...(head ? { head } : {}),
    lastSeq,
  }
}

/** `#7 · 3fa2 91c0`: a thread head as people see it and can note it down. */
export function formatThreadHead(head: ThreadHead): string {
  return `#${head.seq} · ${shortItemHash(head.hash)}`
}

/**
 * The high-water mark to keep after a view: its head when the thread moved forward; the old mark
 * when the view was cut or replaced, so that every later view is still compared with what was
 * really seen rather than with what the server now shows.
 */
export function nextSeenHead(
  seen: ThreadHead | undefined,
  report: Pick<ThreadReport, 'behindSeen' | 'seenReplaced' | 'head'>
): ThreadHead | undefined {
  if (report.behindSeen || report.seenReplaced || !report.head) return seen
  return !seen || report.head.seq >= seen.seq ? report.head : seen
}
