// Receipts from the Ukrainian list: generation, lenient normalization, key derivation and the
// type-back check; Cyrillic/Latin mixes are refused, and English receipts are untouched.
import { hkdfSync } from 'node:crypto'

import sodium from 'libsodium-wrappers'
import { beforeAll, describe, expect, it } from 'vitest'

import type { Argon2id } from '../../../crypto/argon2'
import {
  RECEIPT_KDF,
  checkReceiptChallenge,
  completeReceiptWord,
  deriveReceiptKeys,
  formatReceipt,
  generateReceipt,
  isWellFormedReceipt,
  normalizeReceipt,
  receiptChallenge,
  receiptKind,
  receiptWordList,
  receiptWordListFor,
} from '../../../crypto/receipt'
import { UK_WORDLIST } from '../../../crypto/wordlist-uk'
import { expectCode, expectCodeAsync, hex, nativeArgon2id } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

// Written out by hand; every word is in crypto/wordlist-uk.txt.
const receipt = 'країна йогурт героїчний маєток хліб дерево щонайменше інтрига'

describe('Ukrainian receipts', () => {
  it('are 8 words of the Ukrainian list', () => {
    const index = new Set(UK_WORDLIST)
    for (let i = 0; i < 50; i++) {
      const r = generateReceipt('words', undefined, 'uk')
      const words = r.split(' ')
      expect(words).toHaveLength(8)
      for (const w of words) expect(index.has(w), w).toBe(true)
      expect(receiptKind(r)).toBe('words')
      expect(receiptWordList(r)).toBe('uk')
    }
    const first = generateReceipt('words', () => new Uint8Array(2), 'uk')
    expect(first).toBe(Array(8).fill(UK_WORDLIST[0]).join(' '))
    expect(receiptWordList(generateReceipt())).toBe('en')
    expect(receiptWordList(generateReceipt('digits'))).toBeUndefined()
  })

  it('follow the page language', () => {
    expect(receiptWordListFor('uk')).toBe('uk')
    expect(receiptWordListFor('en')).toBe('en')
    expect(receiptWordListFor(undefined)).toBe('en')
  })

  it('fold case, spacing, punctuation, NFKC forms and ґ', () => {
    for (const v of [
      receipt,
      '  КРАЇНА Йогурт героїчний   маєток\nхліб, дерево; щонайменше — інтрига!  ',
      'країна-йогурт-героїчний-маєток-хліб-дерево-щонайменше-інтрига',
      receipt.normalize('NFD'),
      receipt.replace('героїчний', 'ґероїчний').replace('інтрига', 'інтриҐа'),
    ]) {
      expect(normalizeReceipt(v), v).toBe(receipt)
      expect(isWellFormedReceipt(v), v).toBe(true)
    }
    expect(formatReceipt(receipt.toUpperCase())).toBe(receipt)
  })

  it('refuse Cyrillic/Latin mixes and words off the list', () => {
    for (const bad of [
      receipt.replace('хліб', 'zoom'), // an EFF word among Ukrainian ones
      receipt.replace('країна', 'крaїна'), // Latin a inside a Cyrillic word
      receipt.replace('інтрига', 'iнтрига'), // Latin i
      receipt.replace('хліб', 'хлiб'),
      receipt.replace('хліб', 'хлеб'), // not a list word
      receipt.replace('йогурт', 'м’ята'),
      receipt.split(' ').slice(0, 7).join(' '),
      `${receipt} хліб`,
    ]) {
      expect(isWellFormedReceipt(bad), bad).toBe(false)
      expect(receiptWordList(bad)).toBeUndefined()
    }
  })

  it('type back with the same leniency', () => {
    expect(receiptChallenge(receipt, [3, 8])).toEqual(['героїчний', 'інтрига'])
    expect(checkReceiptChallenge(receipt, [3, 8], [' Ґероїчний', 'ІНТРИГА '])).toBe(true)
    expect(checkReceiptChallenge(receipt, [3, 8], ['героїчний', 'iнтрига'])).toBe(false)
    expect(checkReceiptChallenge(receipt, [3, 8], ['героїчний', 'країна'])).toBe(false)
    expectCode(() => receiptChallenge(receipt, [9]), 'bad-state')
  })

  it('complete Cyrillic prefixes from the Ukrainian list', () => {
    const done = completeReceiptWord('ЙОГУ')
    expect(done).toContain('йогурт')
    for (const w of done) expect(w.startsWith('йогу')).toBe(true)
    expect(completeReceiptWord('abd')).toEqual(['abdomen', 'abdominal'])
  })
})

describe('Ukrainian receipt key derivation', () => {
  const salt = new Uint8Array(16).map((_, i) => 0xa0 + i)

  async function independent(text: string) {
    const m = await nativeArgon2id(new TextEncoder().encode(text), salt, RECEIPT_KDF)
    const hk = (info: string) => new Uint8Array(hkdfSync('sha256', m, new Uint8Array(0), info, 32))
    return {
      authKey: hk('receipt/auth'),
      boxPk: sodium.crypto_scalarmult_base(hk('receipt/box')),
      signPk: sodium.crypto_sign_seed_keypair(hk('receipt/sign')).publicKey,
    }
  }

  it('hashes the normalized Cyrillic words, whatever the spelling, and pins the answer', async () => {
    const keys = await deriveReceiptKeys(receipt, salt) // default pure-JS Argon2id
    const ref = await independent(receipt)
    expect(hex(keys.authKey)).toBe(hex(ref.authKey))
    expect(hex(keys.box.publicKey)).toBe(hex(ref.boxPk))
    expect(hex(keys.sign.publicKey)).toBe(hex(ref.signPk))
    // Pinned once the independent path above agreed: changing it locks out Ukrainian receipts.
    expect(hex(keys.authKey)).toBe(
      '6b5a1678ab240d69d3b1ba6a61fb3cf8afc39fc566d8af26cb47421a486412e0'
    )
    const again = await deriveReceiptKeys(
      ' КРАЇНА, йогурт ҐЕРОЇЧНИЙ маєток-хліб дерево\tщонайменше інтрига. ',
      salt,
      nativeArgon2id
    )
    expect(again).toEqual(keys)
    const other = await deriveReceiptKeys(receipt.replace('хліб', 'дерево'), salt, nativeArgon2id)
    expect(hex(other.authKey)).not.toBe(hex(keys.authKey))
  })

  it('refuses a mixed receipt before running Argon2id', async () => {
    let calls = 0
    const spy: Argon2id = (pw, s, p) => {
      calls++
      return nativeArgon2id(pw, s, p)
    }
    await expectCodeAsync(
      () => deriveReceiptKeys(receipt.replace('хліб', 'zoom'), salt, spy),
      'bad-receipt'
    )
    await expectCodeAsync(
      () => deriveReceiptKeys(receipt.replace('країна', 'крaїна'), salt, spy),
      'bad-receipt'
    )
    expect(calls).toBe(0)
  })
})
