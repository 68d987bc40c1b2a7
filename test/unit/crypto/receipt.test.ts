import { createHash, createHmac, hkdfSync } from 'node:crypto'

import sodium from 'libsodium-wrappers'
import { beforeAll, describe, expect, it } from 'vitest'

import type { Argon2id } from '../../../crypto/argon2'
import { uniformInt, type RandomSource } from '../../../crypto/random'
import {
  RECEIPT_KDF,
  checkReceiptChallenge,
  completeReceiptWord,
  deriveReceiptKeys,
  formatReceipt,
  generateReceipt,
  isWellFormedReceipt,
  normalizeReceipt,
  pickChallengePositions,
  receiptChallenge,
  receiptKind,
  receiptLookup,
  receiptParts,
} from '../../../crypto/receipt'
import { EFF_LARGE_WORDLIST } from '../../../crypto/wordlist-eff-large'
import { expectCode, expectCodeAsync, hex, nativeArgon2id } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

/** A random source that replays the given bytes and counts how many it handed out. */
function scripted(bytes: number[]): RandomSource & { used: () => number } {
  let pos = 0
  const source = (n: number) => {
    if (pos + n > bytes.length) throw new Error('script exhausted')
    const out = new Uint8Array(bytes.slice(pos, pos + n))
    pos += n
    return out
  }
  return Object.assign(source, { used: () => pos })
}

describe('EFF large word list', () => {
  it('is the published list: 7776 unique words, file SHA-256 addd3553…', () => {
    expect(EFF_LARGE_WORDLIST).toHaveLength(7776)
    expect(new Set(EFF_LARGE_WORDLIST).size).toBe(7776)
    for (const w of EFF_LARGE_WORDLIST) expect(w).toMatch(/^[a-z]+(-[a-z]+)?$/)
    // Rebuild eff_large_wordlist.txt ("11111\tabacus\n" …) and compare with the EFF file's hash.
    const lines = EFF_LARGE_WORDLIST.map((w, i) => {
      const dice = i
        .toString(6)
        .padStart(5, '0')
        .replace(/[0-5]/g, (d) => String(Number(d) + 1))
      return `${dice}\t${w}\n`
    })
    expect(createHash('sha256').update(lines.join('')).digest('hex')).toBe(
      'addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e'
    )
  })

  it('hyphenated words rejoin unambiguously', () => {
    const words = new Set(EFF_LARGE_WORDLIST)
    const hyphenated = EFF_LARGE_WORDLIST.filter((w) => w.includes('-'))
    expect(hyphenated).toEqual(['drop-down', 'felt-tip', 't-shirt', 'yo-yo'])
    for (const w of hyphenated) expect(words.has(w.split('-')[0]!)).toBe(false)
    // Only yo-yo / yoyo collapse when hyphens are ignored (documented in crypto/PROTOCOL.md).
    const collapsed = EFF_LARGE_WORDLIST.filter(
      (w) => w !== w.replace('-', '') && words.has(w.replace('-', ''))
    )
    expect(collapsed).toEqual(['yo-yo'])
  })
})

describe('rejection sampling', () => {
  it('skips draws from the incomplete top block (7776 words: 2 bytes, limit 62208)', () => {
    // 0xffff = 65535 and 0xf300 = 62208 are rejected; 0xf2ff = 62207 → 62207 mod 7776 = 7775.
    const src = scripted([0xff, 0xff, 0xf3, 0x00, 0xf2, 0xff])
    expect(uniformInt(7776, src)).toBe(7775)
    expect(src.used()).toBe(6)
    expect(uniformInt(7776, scripted([0x00, 0x00]))).toBe(0)
    expect(uniformInt(7776, scripted([0x1e, 0x60]))).toBe(0) // 7776 → 0
  })

  it('skips 250..255 for digits', () => {
    const src = scripted([255, 250, 249])
    expect(uniformInt(10, src)).toBe(9)
    expect(src.used()).toBe(3)
  })

  it('gives up on a broken source instead of looping forever', () => {
    expectCode(() => uniformInt(10, () => new Uint8Array([0xff])), 'bad-random')
    expectCode(() => uniformInt(7776, () => new Uint8Array(1)), 'bad-random')
    expectCode(() => uniformInt(0), 'bad-state')
    expect(uniformInt(1, scripted([]))).toBe(0)
  })

  it('drives receipt generation', () => {
    const words = generateReceipt('words', scripted([0xff, 0xff, ...Array<number>(16).fill(0)]))
    expect(words).toBe(Array(8).fill('abacus').join(' '))
    const digits = generateReceipt(
      'digits',
      scripted([250, ...Array.from({ length: 32 }, (_, i) => i)])
    )
    expect(digits).toBe('0123 4567 8901 2345 6789 0123 4567 8901')
  })
})

describe('receipt generation', () => {
  it('makes 8 list words by default and 32 digits on request', () => {
    const index = new Set(EFF_LARGE_WORDLIST)
    for (let i = 0; i < 50; i++) {
      const r = generateReceipt()
      const words = r.split(' ')
      expect(words).toHaveLength(8)
      for (const w of words) expect(index.has(w)).toBe(true)
      expect(receiptKind(r)).toBe('words')
      const d = generateReceipt('digits')
      expect(d).toMatch(/^(\d{4} ){7}\d{4}$/)
      expect(receiptKind(d)).toBe('digits')
    }
  })

  it('is roughly uniform', () => {
    const index = new Map(EFF_LARGE_WORDLIST.map((w, i) => [w, i]))
    const bins = new Array<number>(6).fill(0)
    for (let i = 0; i < 2000; i++) {
      for (const w of generateReceipt().split(' ')) bins[Math.floor(index.get(w)! / 1296)]!++
    }
    // 16000 draws over 6 bins of 1296 words: mean 2666.7, sigma ≈ 47; allow 6 sigma.
    for (const n of bins) expect(Math.abs(n - 16000 / 6)).toBeLessThan(282)
    const digits = new Array<number>(10).fill(0)
    for (let i = 0; i < 1000; i++) {
      for (const c of generateReceipt('digits').replace(/ /g, '')) digits[Number(c)]!++
    }
    // 32000 digits: mean 3200, sigma ≈ 53.7; allow 6 sigma.
    for (const n of digits) expect(Math.abs(n - 3200)).toBeLessThan(322)
  })
})

describe('normalization', () => {
  const canonical = 'abacus tshirt zoom yoyo felttip dropdown zoology able'
  const display = 'abacus t-shirt zoom yoyo felt-tip drop-down zoology able'

  it('folds case, spacing, hyphens, punctuation and compatibility forms', () => {
    const variants = [
      canonical,
      '  Abacus T-Shirt ZOOM yo-yo felt-tip drop-down zoology able  ',
      'abacus-t-shirt-zoom-yo-yo-felt-tip-drop-down-zoology-able',
      'abacus t shirt zoom yo yo felt tip drop down zoology able',
      'abacus tshirt zoom yoyo felttip dropdown zoology able',
      'abacus, t–shirt; zoom.\nyo_yo\tfelt tip / drop down — zoology able!',
      'ＡＢＡＣＵＳ t-shirt zoom yo-yo felt-tip drop-down zoology able',
    ]
    for (const v of variants) {
      expect(normalizeReceipt(v), v).toBe(canonical)
      expect(isWellFormedReceipt(v)).toBe(true)
    }
    expect(formatReceipt(variants[3]!)).toBe(display)
  })

  it('strips separators from digit receipts (legacy 24 digits)', () => {
    const digits = '012345678901234567890123'
    for (const v of [
      '0123 4567 8901 2345 6789 0123',
      '0123-4567-8901-2345-6789-0123',
      ' 0123.4567.8901 — 2345 6789 0123 ',
      '０１２３ ４５６７ ８９０１ ２３４５ ６７８９ ０１２３',
      digits,
    ]) {
      expect(normalizeReceipt(v), v).toBe(digits)
      expect(receiptKind(v)).toBe('digits')
    }
    expect(formatReceipt(digits)).toBe('0123 4567 8901 2345 6789 0123')
  })

  it('reads 32-digit receipts in 8 groups', () => {
    const digits = '01234567890123456789012345678901'
    for (const v of [
      '0123 4567 8901 2345 6789 0123 4567 8901',
      '0123-4567.8901 2345-6789-0123-4567-8901',
    ]) {
      expect(normalizeReceipt(v), v).toBe(digits)
      expect(receiptKind(v)).toBe('digits')
    }
    expect(receiptParts(digits)).toHaveLength(8)
    expect(formatReceipt(digits)).toBe('0123 4567 8901 2345 6789 0123 4567 8901')
  })

  it('tells complete receipts from everything else', () => {
    const eight = 'abacus able zoom zoology abacus able zoom zoology'
    expect(isWellFormedReceipt(eight)).toBe(true)
    for (const bad of [
      '',
      '   ',
      eight.split(' ').slice(0, 7).join(' '),
      `${eight} able`,
      eight.replace('zoom', 'zooom'),
      eight.replace('zoom', 'zoom1'),
      '0'.repeat(23),
      '0'.repeat(25),
      '0'.repeat(31),
      '0'.repeat(33),
      '0123 4567 8901 2345 6789 012x',
      '0123+4567+8901+2345+6789+0123',
    ]) {
      expect(isWellFormedReceipt(bad), bad).toBe(false)
      expectCode(() => receiptParts(bad), 'bad-receipt')
    }
  })

  it('offers completions for a partly typed word', () => {
    expect(completeReceiptWord('abd')).toEqual(['abdomen', 'abdominal'])
    expect(completeReceiptWord('  ZOOLO')).toEqual(['zoologist', 'zoology'])
    expect(completeReceiptWord('')).toEqual([])
    expect(completeReceiptWord('a', 3)).toHaveLength(3)
  })
})

describe('type-back challenge', () => {
  const receipt = 'abacus t-shirt zoom yo-yo felt-tip drop-down zoology able'

  it('asks for distinct positions and checks answers leniently', () => {
    for (let i = 0; i < 20; i++) {
      const pos = pickChallengePositions(receipt, 2)
      expect(pos).toHaveLength(2)
      expect(pos[0]!).toBeLessThan(pos[1]!)
      expect(pos[0]!).toBeGreaterThanOrEqual(1)
      expect(pos[1]!).toBeLessThanOrEqual(8)
    }
    expect(receiptChallenge(receipt, [2, 7])).toEqual(['t-shirt', 'zoology'])
    expect(checkReceiptChallenge(receipt, [2, 7], ['T Shirt', ' Zoology '])).toBe(true)
    expect(checkReceiptChallenge(receipt, [2, 7], ['tshirt', 'zoology'])).toBe(true)
    expect(checkReceiptChallenge(receipt, [2, 7], ['t-shirt', 'zoom'])).toBe(false)
    expect(checkReceiptChallenge(receipt, [2, 7], ['t-shirt'])).toBe(false)
    expectCode(() => receiptChallenge(receipt, [9]), 'bad-state')
    expectCode(() => pickChallengePositions(receipt, 9), 'bad-state')
  })

  it('uses 4-digit groups for digit receipts', () => {
    const d = '0123 4567 8901 2345 6789 0123'
    expect(receiptChallenge(d, [1, 6])).toEqual(['0123', '0123'])
    expect(checkReceiptChallenge(d, [2, 5], ['45-67', '6789'])).toBe(true)
    expect(checkReceiptChallenge(d, [2, 5], ['4568', '6789'])).toBe(false)
    expect(Math.max(...pickChallengePositions(d, 6))).toBe(6)
  })
})

describe('receipt key derivation', () => {
  const salt = new Uint8Array(16).map((_, i) => 0xa0 + i)
  const receipt = 'Abacus T-Shirt zoom yo yo felt-tip drop-down zoology able'
  // Written out by hand: the independent path must not reuse normalizeReceipt.
  const normalized = 'abacus tshirt zoom yoyo felttip dropdown zoology able'

  /** The derivation rebuilt from crypto/PROTOCOL.md with other libraries. */
  async function independent(text: string) {
    const m = await nativeArgon2id(new TextEncoder().encode(text), salt, RECEIPT_KDF)
    const hk = (info: string) => new Uint8Array(hkdfSync('sha256', m, new Uint8Array(0), info, 32))
    return {
      authKey: hk('receipt/auth'),
      boxPk: sodium.crypto_scalarmult_base(hk('receipt/box')),
      signPk: sodium.crypto_sign_seed_keypair(hk('receipt/sign')).publicKey,
    }
  }

  // The literals were computed with @node-rs/argon2 + node:crypto hkdfSync + libsodium (not with
  // crypto/); if they ever change, every existing reporter loses access to their case.
  it('matches an independent implementation and the pinned known answer (words)', async () => {
    const keys = await deriveReceiptKeys(receipt, salt) // default pure-JS Argon2id
    const ref = await independent(normalized)
    expect(hex(keys.authKey)).toBe(hex(ref.authKey))
    expect(hex(keys.box.publicKey)).toBe(hex(ref.boxPk))
    expect(hex(keys.sign.publicKey)).toBe(hex(ref.signPk))
    expect(hex(keys.authKey)).toBe(
      '9347413212b9cedd2525ad682b2646a6a91fc3d562302fd2537e18490f07ae3d'
    )
    expect(hex(keys.box.publicKey)).toBe(
      '2f34604b2f63275ef97fe50c8fcc5e864ff3257b8e37677ac4ac2d3c88b8ab10'
    )
    expect(hex(keys.sign.publicKey)).toBe(
      'd48f11f2c01b3f372fc28c1db8b4518cb6c26b34afdcbdc10f4f2614a2a9e0af'
    )
  })

  it('matches the independent implementation for legacy 24 digits, and pins it', async () => {
    const keys = await deriveReceiptKeys('0123-4567-8901-2345-6789-0123', salt, nativeArgon2id)
    const ref = await independent('012345678901234567890123')
    expect(hex(keys.authKey)).toBe(hex(ref.authKey))
    expect(hex(keys.box.publicKey)).toBe(hex(ref.boxPk))
    expect(hex(keys.sign.publicKey)).toBe(hex(ref.signPk))
    expect(hex(keys.authKey)).toBe(
      '42a3721c838dc8762755fb4f4f93c586b118181281981c965ce57ddfc26151a8'
    )
    expect(hex(keys.box.publicKey)).toBe(
      '34aabb94fb4dffb35b04c95fa8538d8724e29f774e6ea1f5bbb3ab0fe518017c'
    )
    expect(hex(keys.sign.publicKey)).toBe(
      'f77094f61744469313c34905161c648f1c38ee8ce194c728ab80e156def6c03f'
    )
  })

  it('gives the same keys for every spelling of the receipt, different ones for another', async () => {
    const a = await deriveReceiptKeys(receipt, salt, nativeArgon2id)
    const b = await deriveReceiptKeys(
      'ABACUS T SHIRT ZOOM YO-YO FELT TIP DROP-DOWN ZOOLOGY ABLE',
      salt,
      nativeArgon2id
    )
    expect(b).toEqual(a)
    const c = await deriveReceiptKeys(normalized.replace('able', 'zoom'), salt, nativeArgon2id)
    expect(hex(c.authKey)).not.toBe(hex(a.authKey))
    const otherSalt = await deriveReceiptKeys(
      receipt,
      salt.map((x) => x ^ 1),
      nativeArgon2id
    )
    expect(hex(otherSalt.authKey)).not.toBe(hex(a.authKey))
    // The keys work as nacl keys: the secret halves match the public ones.
    expect(sodium.crypto_scalarmult_base(a.box.secretKey)).toEqual(a.box.publicKey)
    expect(a.sign.secretKey.subarray(32)).toEqual(a.sign.publicKey)
  })

  it('refuses malformed receipts before spending time on Argon2id', async () => {
    let calls = 0
    const spy: Argon2id = (pw, s, p) => {
      calls++
      return nativeArgon2id(pw, s, p)
    }
    await expectCodeAsync(() => deriveReceiptKeys('abacus able', salt, spy), 'bad-receipt')
    await expectCodeAsync(() => deriveReceiptKeys('0'.repeat(16), salt, spy), 'bad-receipt')
    await expectCodeAsync(() => deriveReceiptKeys(normalized, new Uint8Array(8), spy), 'bad-format')
    expect(calls).toBe(0)
  })

  it('computes the server lookup as HMAC-SHA-256(pepper, authKey)', () => {
    const pepper = new Uint8Array(32).fill(7)
    const authKey = new Uint8Array(32).fill(9)
    expect(receiptLookup(pepper, authKey)).toBe(
      createHmac('sha256', pepper).update(authKey).digest('hex')
    )
    expectCode(() => receiptLookup(new Uint8Array(8), authKey), 'bad-key')
    expectCode(() => receiptLookup(pepper, new Uint8Array(16)), 'bad-key')
  })
})
