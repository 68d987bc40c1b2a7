// "Type words 3 and 7" on the no-JavaScript path, without keeping the receipt anywhere. The
// confirmation form carries a signed, single-use token holding only the two positions and a
// keyed hash of the expected words: keyed with SESSION_SECRET, so someone who copies the
// field (browser history, a shoulder) cannot try the 2048² word pairs offline, and each wrong
// answer costs one online request with a fresh token.
import { createHmac } from 'node:crypto'
import {
  normalizeAnswer,
  pickChallengePositions,
  receiptChallenge,
  receiptKind,
} from '../../crypto/receipt'
import { createSignedTokens, safeEqual, type SignedTokenDeps } from './form-token'

export const CONFIRM_TTL_MS = 30 * 60 * 1000
/** Wrong answers allowed per receipt before the check stops asking. */
export const CONFIRM_MAX_TRIES = 5

const SALT = 16
const HASH = 32
const MAX_POSITIONS = 4
/** In the tries byte: the receipt is digits, so the page asks for groups, not words. */
const DIGITS_FLAG = 0x80

export type ConfirmResult =
  | { status: 'ok' }
  /** Wrong words: ask again with this new token (the old one is used up). */
  | { status: 'wrong'; token: string; positions: number[]; digits: boolean }
  /** Wrong words, and no tries left. */
  | { status: 'exhausted' }
  /** Forged, expired or already used. */
  | { status: 'spent' }
  | { status: 'malformed' }

export function createReceiptCheck(deps: SignedTokenDeps) {
  const { secrets, clock, random } = deps
  // nonce ‖ expiry (24) ‖ salt ‖ tries ‖ count ‖ positions ‖ hash
  const signed = createSignedTokens(deps, 'receipt-confirm', 24 + SALT + 2 + MAX_POSITIONS + HASH)

  function wordsHash(salt: Uint8Array, positions: number[], answers: string[]): Buffer {
    const h = createHmac('sha256', secrets.SESSION_SECRET)
    h.update('receipt-confirm-words\0')
      .update(salt)
      .update(positions.join(',') + '\0')
    for (const a of answers) h.update(normalizeAnswer(a)).update('\0')
    return h.digest()
  }

  function encode(
    expiresAt: number,
    salt: Uint8Array,
    tries: number,
    positions: number[],
    hash: Uint8Array
  ): string {
    const extra = new Uint8Array(SALT + 2 + positions.length + HASH)
    extra.set(salt, 0)
    extra[SALT] = tries
    extra[SALT + 1] = positions.length
    extra.set(positions, SALT + 2)
    extra.set(hash, SALT + 2 + positions.length)
    return signed.issue(expiresAt, extra)
  }

  /** A token for this receipt; the receipt itself is not in it and is kept nowhere. */
  function issue(receipt: string): { token: string; positions: number[]; digits: boolean } {
    const positions = pickChallengePositions(receipt, 2)
    const salt = random.bytes(SALT)
    const hash = wordsHash(salt, positions, receiptChallenge(receipt, positions))
    const digits = receiptKind(receipt) === 'digits'
    const flags = digits ? DIGITS_FLAG : 0
    const token = encode(clock.now().getTime() + CONFIRM_TTL_MS, salt, flags, positions, hash)
    return { token, positions, digits }
  }

  /** Takes the token back (once) and compares the typed words; `typed(n)` reads word n. */
  async function check(token: string, typed: (n: number) => string): Promise<ConfirmResult> {
    const used = await signed.consume(token)
    if (!used.ok) return { status: used.why }
    const body = used.body
    const count = body[24 + SALT + 1] ?? 0
    if (count < 1 || count > MAX_POSITIONS || body.length !== 24 + SALT + 2 + count + HASH) {
      return { status: 'malformed' } // signed by us, so only if the format changed
    }
    const expiresAt = Number(body.readBigUInt64BE(16))
    const salt = body.subarray(24, 24 + SALT)
    const flags = body[24 + SALT]! & DIGITS_FLAG
    const tries = body[24 + SALT]! & ~DIGITS_FLAG
    const positions = [...body.subarray(24 + SALT + 2, 24 + SALT + 2 + count)]
    const expected = body.subarray(24 + SALT + 2 + count)
    const answers = positions.map((n) => typed(n).slice(0, 100))
    if (safeEqual(wordsHash(salt, positions, answers), expected)) return { status: 'ok' }
    if (tries + 1 >= CONFIRM_MAX_TRIES) return { status: 'exhausted' }
    // Same words, salt and expiry: asking again does not extend the token's life.
    return {
      status: 'wrong',
      token: encode(expiresAt, salt, flags | (tries + 1), positions, expected),
      positions,
      digits: flags !== 0,
    }
  }

  return { issue, check }
}

export type ReceiptCheck = ReturnType<typeof createReceiptCheck>
