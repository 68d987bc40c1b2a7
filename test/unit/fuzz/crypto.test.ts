// Property-based tests of the parsers that open attacker-controlled bytes (issue 10, point 2):
// random and mutated inputs only ever fail with a CryptoError (or the parser's documented
// "no" value), and a mutated ciphertext never opens. Seeded and bounded, so `npm test` stays fast.
import fc from 'fast-check'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import {
  decryptAttachment,
  encryptAttachment,
  parseManifest,
  type AttachmentManifest,
} from '../../../crypto/attachment'
import { verifyCertificate, generateOrgKey } from '../../../crypto/certificate'
import { fromBase64, parseCanonicalJson, toBase64 } from '../../../crypto/encoding'
import { isCryptoError } from '../../../crypto/errors'
import { openItem, sealItem, verifyThread } from '../../../crypto/item'
import {
  generateCaseKeyPair,
  openGrant,
  grantCaseKey,
  parseRecoveryCode,
} from '../../../crypto/keys'
import { unpad } from '../../../crypto/padding'
import {
  generateReceipt,
  isWellFormedReceipt,
  normalizeReceipt,
  receiptKind,
  receiptParts,
} from '../../../crypto/receipt'
import { seal, sealOpen } from '../../../crypto/sealedbox'
import { openSessionBlob, sealSessionBlob } from '../../../src/report/chain'
import { applyMutation, bytes, FUZZ_TIMEOUT, mutated, mutation, RUNS } from './mutate'

/** Runs fn; passes when it returns, or throws a CryptoError (never anything else). */
function onlyCryptoErrors<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch (e) {
    if (!isCryptoError(e)) throw new Error(`unexpected ${String(e)}`, { cause: e })
    return undefined
  }
}

const caseKeys = generateCaseKeyPair()
const signer = nacl.sign.keyPair()
const sealed = sealItem(
  {
    caseId: 'case-1',
    itemId: 'item-1',
    seq: 1,
    prev: '',
    author: { role: 'reporter' },
    createdAt: '2026-03-02T09:00:00.000Z',
    type: 'answers',
    body: { questionsVersion: 1, answers: { what: 'Тендер на ремонт даху' }, attachments: 0 },
  },
  caseKeys.publicKey,
  signer.secretKey
)
const expectations = {
  caseId: 'case-1',
  itemId: 'item-1',
  seq: 1,
  signerPublicKey: signer.publicKey,
}

describe('sealed items', { timeout: FUZZ_TIMEOUT }, () => {
  it('the valid item opens (the baseline the mutations start from)', () => {
    expect(openItem(sealed, caseKeys.publicKey, caseKeys.secretKey, expectations).verified).toBe(
      true
    )
  })

  it('a flipped, truncated or extended item never opens, and fails only with a CryptoError', () => {
    fc.assert(
      fc.property(mutated(sealed), (bad) => {
        expect(() => openItem(bad, caseKeys.publicKey, caseKeys.secretKey, expectations)).toThrow()
        onlyCryptoErrors(() => openItem(bad, caseKeys.publicKey, caseKeys.secretKey, expectations))
      }),
      { seed: 1001, numRuns: RUNS }
    )
  })

  it('random bytes never open as an item', () => {
    fc.assert(
      fc.property(bytes(600), (junk) => {
        expect(
          onlyCryptoErrors(() =>
            openItem(junk, caseKeys.publicKey, caseKeys.secretKey, {
              caseId: 'case-1',
            })
          )
        ).toBeUndefined()
      }),
      { seed: 1002, numRuns: RUNS }
    )
  })

  it('the item does not open with another case key', () => {
    const other = generateCaseKeyPair()
    expect(() => openItem(sealed, other.publicKey, other.secretKey, expectations)).toThrow(
      /open-failed/
    )
  })

  it('a mutated sealed box or grant never opens', () => {
    const box = seal(new TextEncoder().encode('secret'), caseKeys.publicKey)
    const grant = grantCaseKey(caseKeys.secretKey, caseKeys.publicKey)
    fc.assert(
      fc.property(mutated(box), mutated(grant), (b, g) => {
        expect(onlyCryptoErrors(() => sealOpen(b, caseKeys.publicKey, caseKeys.secretKey))).toBe(
          undefined
        )
        expect(
          onlyCryptoErrors(() => openGrant(g, caseKeys.publicKey, caseKeys.secretKey))
        ).toBeUndefined()
      }),
      { seed: 1003, numRuns: RUNS }
    )
  })

  it('unpadding random bytes fails only with a CryptoError', () => {
    fc.assert(
      fc.property(bytes(3000), (junk) => void onlyCryptoErrors(() => unpad(junk))),
      { seed: 1004, numRuns: RUNS }
    )
  })

  it('canonical JSON parsing of random text fails only with a CryptoError', () => {
    const texts = fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' }))
    fc.assert(
      fc.property(texts, (text) => void onlyCryptoErrors(() => parseCanonicalJson(text))),
      { seed: 1005, numRuns: RUNS }
    )
  })

  it('thread checks of arbitrary link lists never throw', () => {
    const link = fc.record({
      caseId: fc.constantFrom('case-1', 'case-2'),
      itemId: fc.string({ maxLength: 4 }),
      seq: fc.integer({ min: -2, max: 12 }),
      v: fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }),
      prev: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
      hash: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
    })
    const seen = fc.option(fc.record({ seq: fc.integer({ min: 0, max: 12 }), hash: fc.string() }), {
      nil: undefined,
    })
    fc.assert(
      fc.property(fc.array(link, { maxLength: 12 }), seen, (links, s) => {
        const report = verifyThread(links, s ? { seen: s } : {})
        expect(typeof report.ok).toBe('boolean')
      }),
      { seed: 1006, numRuns: RUNS }
    )
  })
})

describe('attachments', { timeout: FUZZ_TIMEOUT }, () => {
  // Small chunks: several frames per file, and each decryption cheap enough for hundreds of runs.
  const file = new Uint8Array(5000).map((_, i) => (i * 7) % 256)
  const enc = encryptAttachment(
    file,
    { name: 'scan.pdf', type: 'application/pdf' },
    { chunkSize: 1024 }
  )
  const frames: Uint8Array[] = enc.frames
  const manifest: AttachmentManifest = enc.manifest

  it('the valid attachment decrypts (the baseline)', () => {
    expect(decryptAttachment(frames, manifest)).toEqual(file)
  })

  it('a mutated frame, a dropped, swapped or extra frame never decrypts', () => {
    const which = fc.integer({ min: 0, max: frames.length - 1 })
    const damage = fc.oneof(
      fc
        .tuple(which, mutation)
        .map(([i, m]) => frames.map((f, j) => (j === i ? applyMutation(f, m) : f))),
      which.map((i) => frames.filter((_, j) => j !== i)),
      fc.constant([...frames].reverse()),
      bytes(200).map((extra) => [...frames, extra])
    )
    fc.assert(
      fc.property(damage, (bad) => {
        expect(onlyCryptoErrors(() => decryptAttachment(bad, manifest))).toBeUndefined()
      }),
      { seed: 2001, numRuns: RUNS }
    )
  })

  it('manifests: arbitrary JSON is refused or reduced to the known fields, never a crash', () => {
    const field = fc.oneof(fc.jsonValue(), fc.constant(undefined))
    const near = fc
      .record({ key: fc.constantFrom(...Object.keys(manifest)), value: field })
      .map(({ key, value }) => ({ ...manifest, [key]: value }))
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), near), (body) => {
        const m = onlyCryptoErrors(() => parseManifest(body))
        if (m) expect(Object.keys(m).every((k) => k in manifest || k === 'ref')).toBe(true)
      }),
      { seed: 2002, numRuns: RUNS }
    )
  })

  it('a manifest with another key never decrypts the frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        fc.pre(toBase64(key) !== manifest.key)
        const wrong = { ...manifest, key: toBase64(key) }
        expect(onlyCryptoErrors(() => decryptAttachment(frames, wrong))).toBeUndefined()
      }),
      { seed: 2003, numRuns: RUNS }
    )
  })
})

describe('receipts, recovery codes, certificates, session blobs', { timeout: FUZZ_TIMEOUT }, () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc
      .array(fc.constantFrom('abacus', 'яблуко', 'zebra', '1234', '-', ' ', '\n', 'ґ'), {
        maxLength: 12,
      })
      .map((w) => w.join(' '))
  )

  it('normalising, classifying and splitting arbitrary text never throws unexpectedly', () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(typeof normalizeReceipt(input)).toBe('string')
        const kind = receiptKind(input)
        expect(isWellFormedReceipt(input)).toBe(kind !== undefined)
        const parts = onlyCryptoErrors(() => receiptParts(input))
        expect(parts === undefined).toBe(kind === undefined)
      }),
      { seed: 3001, numRuns: RUNS }
    )
  })

  it('a real receipt stays well-formed under case, spacing and hyphens; a changed word does not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('en', 'uk'),
        fc.constantFrom(' ', '-', '  ', '\n', ', '),
        fc.boolean(),
        (list, sep, upper) => {
          const receipt = generateReceipt('words', undefined, list)
          const words = receiptParts(receipt)
          const typed = words.join(sep)
          expect(isWellFormedReceipt(upper ? typed.toUpperCase() : typed)).toBe(true)
          expect(isWellFormedReceipt(words.slice(1).join(' '))).toBe(false)
        }
      ),
      { seed: 3002, numRuns: 100 }
    )
  })

  it('recovery codes: arbitrary text parses or fails with a CryptoError', () => {
    fc.assert(
      fc.property(text, (input) => void onlyCryptoErrors(() => parseRecoveryCode(input))),
      { seed: 3003, numRuns: RUNS }
    )
  })

  it('officer certificates: arbitrary or altered text never verifies', () => {
    const org = generateOrgKey()
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String()), (signed) => {
        expect(onlyCryptoErrors(() => verifyCertificate(org.publicKey, signed))).toBeUndefined()
      }),
      { seed: 3004, numRuns: RUNS }
    )
  })

  it('a mutated no-JS session blob never opens', () => {
    const key = nacl.randomBytes(32)
    const blob = sealSessionBlob({ bytes: (n) => nacl.randomBytes(n) }, key, {
      caseSecretKey: nacl.randomBytes(32),
      signSecretKey: nacl.randomBytes(64),
    })
    expect(openSessionBlob(blob, key)).not.toBeNull()
    fc.assert(
      fc.property(mutated(blob), (bad) => {
        expect(openSessionBlob(bad, key)).toBeNull()
      }),
      { seed: 3005, numRuns: RUNS }
    )
  })

  it('base64 decoding of arbitrary text fails only with a CryptoError', () => {
    fc.assert(
      fc.property(fc.string(), (s) => void onlyCryptoErrors(() => fromBase64(s))),
      { seed: 3006, numRuns: RUNS }
    )
  })
})
