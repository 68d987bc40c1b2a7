import sodium from 'libsodium-wrappers'
import nacl from 'tweetnacl'
import { beforeAll, describe, expect, it } from 'vitest'

import { canonicalJson, fromBase64, utf8Encode } from '../../../crypto/encoding'
import {
  FIRST_PREV,
  itemHash,
  openItem,
  sealItem,
  shortItemHash,
  signedBytes,
  verifyThread,
  type ItemInput,
  type ThreadLink,
} from '../../../crypto/item'
import { pad } from '../../../crypto/padding'
import { SEAL_OVERHEAD, seal } from '../../../crypto/sealedbox'
import { expectCode, flipBit } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

const caseKeys = nacl.box.keyPair()
const reporter = nacl.sign.keyPair()
const officer = nacl.sign.keyPair()

function input(over: Partial<ItemInput> = {}): ItemInput {
  return {
    caseId: 'case-7f3a',
    itemId: 'item-0001',
    seq: 1,
    author: { role: 'reporter' },
    createdAt: '2025-03-01T10:20:30.123Z',
    type: 'message',
    body: { text: 'sentinel-PLAINTEXT-42', answers: [1, 'two', null] },
    prev: FIRST_PREV,
    ...over,
  }
}

const stored = sealItem(input(), caseKeys.publicKey, reporter.secretKey)
const open = (s: Uint8Array, expect: Parameters<typeof openItem>[3]) =>
  openItem(s, caseKeys.publicKey, caseKeys.secretKey, expect)

/** Seals arbitrary plaintext bytes as if it were an envelope, with a valid item header. */
function rawItem(plain: Uint8Array, header = [1, 1]): Uint8Array {
  const sealed = seal(plain, caseKeys.publicKey)
  return new Uint8Array([...header, ...sealed])
}

/** A correctly signed and sealed envelope with arbitrary fields, for format tests. */
function craft(fields: Record<string, unknown>, signer = reporter.secretKey): Uint8Array {
  const sig = Buffer.from(nacl.sign.detached(utf8Encode(canonicalJson(fields)), signer)).toString(
    'base64'
  )
  return rawItem(pad(utf8Encode(canonicalJson({ ...fields, sig }))))
}

describe('items: round trip', () => {
  it('opens, verifies with the author key and returns the envelope', () => {
    const { envelope, verified } = open(stored, {
      caseId: 'case-7f3a',
      seq: 1,
      signerPublicKey: reporter.publicKey,
    })
    expect(verified).toBe(true)
    expect(envelope).toMatchObject({ ...input(), v: 2 })
    expect(fromBase64(envelope.sig)).toHaveLength(64)
  })

  it('reports verified: false without a signer key, and resolves keys by author', () => {
    expect(open(stored, { caseId: 'case-7f3a' }).verified).toBe(false)
    const byAuthor = (a: { role: string }) =>
      a.role === 'reporter' ? reporter.publicKey : undefined
    expect(open(stored, { caseId: 'case-7f3a', signerPublicKey: byAuthor }).verified).toBe(true)
    const officerItem = sealItem(
      input({
        author: { role: 'officer', id: 'officer-1' },
        seq: 2,
        itemId: 'item-0002',
        prev: itemHash(stored),
      }),
      caseKeys.publicKey,
      officer.secretKey
    )
    const opened = open(officerItem, { caseId: 'case-7f3a', signerPublicKey: byAuthor })
    expect(opened.verified).toBe(false)
    expect(opened.envelope.author).toEqual({ role: 'officer', id: 'officer-1' })
  })

  it('has the documented layout: 01 01 sealed(padded canonical JSON)', () => {
    expect([stored[0], stored[1]]).toEqual([1, 1])
    expect(stored.length).toBe(2 + SEAL_OVERHEAD + 1024)
    // libsodium opens the sealed part, sodium_unpad strips the padding, the signature verifies.
    const padded = sodium.crypto_box_seal_open(
      stored.subarray(2),
      caseKeys.publicKey,
      caseKeys.secretKey
    )
    const json = new TextDecoder().decode(sodium.unpad(padded, 1024))
    const env = JSON.parse(json) as Record<string, unknown>
    expect(Object.keys(env)).toEqual([
      'author',
      'body',
      'caseId',
      'createdAt',
      'itemId',
      'prev',
      'seq',
      'sig',
      'type',
      'v',
    ])
    const { sig, ...rest } = env
    expect(
      sodium.crypto_sign_verify_detached(
        fromBase64(sig as string),
        utf8Encode(canonicalJson(rest)),
        reporter.publicKey
      )
    ).toBe(true)
    expect(signedBytes(env as never)).toEqual(utf8Encode(canonicalJson(rest)))
  })

  it('hides the body length within a bucket', () => {
    const short = sealItem(input({ body: 'x' }), caseKeys.publicKey, reporter.secretKey)
    const long = sealItem(input({ body: 'x'.repeat(700) }), caseKeys.publicKey, reporter.secretKey)
    const bigger = sealItem(
      input({ body: 'x'.repeat(20_000) }),
      caseKeys.publicKey,
      reporter.secretKey
    )
    expect(short.length).toBe(long.length)
    expect(bigger.length).toBe(2 + SEAL_OVERHEAD + 32768)
  })
})

describe('items: what a hostile server or a wrong key gets', () => {
  it('wrong case key → open-failed', () => {
    const other = nacl.box.keyPair()
    expectCode(
      () => openItem(stored, other.publicKey, other.secretKey, { caseId: 'case-7f3a' }),
      'open-failed'
    )
  })

  it('item moved to another case → wrong-case', () => {
    // Someone holding both case keys re-seals case A's envelope to case B: the signed caseId tells.
    const caseB = nacl.box.keyPair()
    const moved = sealItem(input({ caseId: 'case-A' }), caseB.publicKey, reporter.secretKey)
    expectCode(
      () =>
        openItem(moved, caseB.publicKey, caseB.secretKey, {
          caseId: 'case-B',
          signerPublicKey: reporter.publicKey,
        }),
      'wrong-case'
    )
  })

  it('replayed or misplaced item → bad-sequence / wrong-item', () => {
    expectCode(() => open(stored, { caseId: 'case-7f3a', seq: 2 }), 'bad-sequence')
    expectCode(() => open(stored, { caseId: 'case-7f3a', itemId: 'item-0002' }), 'wrong-item')
  })

  it('forged by the server (signed with another key) → bad-signature', () => {
    const forged = sealItem(input(), caseKeys.publicKey, nacl.sign.keyPair().secretKey)
    expectCode(
      () => open(forged, { caseId: 'case-7f3a', signerPublicKey: reporter.publicKey }),
      'bad-signature'
    )
    // Same fields, signature from the real key over different content.
    const realSig = open(stored, { caseId: 'case-7f3a' }).envelope.sig
    const fields = { ...input({ body: 'changed' }), v: 2 }
    const swapped = rawItem(pad(utf8Encode(canonicalJson({ ...fields, sig: realSig }))))
    expectCode(
      () => open(swapped, { caseId: 'case-7f3a', signerPublicKey: reporter.publicKey }),
      'bad-signature'
    )
    const garbageSig = rawItem(pad(utf8Encode(canonicalJson({ ...fields, sig: 'AAAA' }))))
    expectCode(
      () => open(garbageSig, { caseId: 'case-7f3a', signerPublicKey: reporter.publicKey }),
      'bad-signature'
    )
  })

  it('bit flips anywhere → a CryptoError (header codes or open-failed)', () => {
    for (let bit = 0; bit < stored.length * 8; bit += bit < 16 ? 1 : 37) {
      const code = bit < 8 ? 'bad-version' : bit < 16 ? 'bad-algorithm' : 'open-failed'
      expectCode(() => open(flipBit(stored, bit), { caseId: 'case-7f3a' }), code)
    }
  })

  it('truncation and extension → CryptoError', () => {
    expectCode(() => open(new Uint8Array(0), { caseId: 'case-7f3a' }), 'truncated')
    expectCode(() => open(stored.subarray(0, 1), { caseId: 'case-7f3a' }), 'truncated')
    for (const n of [2, 10, 50, stored.length - 1]) {
      expectCode(() => open(stored.subarray(0, n), { caseId: 'case-7f3a' }), 'open-failed')
    }
    expectCode(() => open(new Uint8Array([...stored, 0]), { caseId: 'case-7f3a' }), 'open-failed')
  })

  it('unknown version or algorithm bytes are named as such', () => {
    expectCode(
      () => open(new Uint8Array([2, 1, ...stored.subarray(2)]), { caseId: 'case-7f3a' }),
      'bad-version'
    )
    expectCode(
      () => open(new Uint8Array([1, 2, ...stored.subarray(2)]), { caseId: 'case-7f3a' }),
      'bad-algorithm'
    )
  })

  it('well-sealed but malformed plaintext → bad-format / bad-version', () => {
    const valid = { ...input(), v: 2 }
    const cases: [Uint8Array, string][] = [
      [rawItem(utf8Encode('{"a":1}')), 'bad-format'], // not padded
      [rawItem(pad(new Uint8Array([0xff, 0xfe]))), 'bad-format'], // not UTF-8
      [rawItem(pad(utf8Encode('not json'))), 'bad-format'],
      [rawItem(pad(utf8Encode('[1,2]'))), 'bad-format'],
      [rawItem(pad(utf8Encode('{"v":3}'))), 'bad-version'],
      [rawItem(pad(utf8Encode(JSON.stringify({ ...valid, sig: 'x' }, null, 1)))), 'bad-format'],
      [rawItem(pad(utf8Encode('['.repeat(5000) + ']'.repeat(5000)))), 'bad-format'],
      [craft({ ...valid, v: 3 }), 'bad-version'],
      [craft({ ...valid, extra: 1 }), 'bad-format'],
      [craft({ ...valid, prev: undefined }), 'bad-format'],
      [craft({ ...valid, prev: itemHash(stored) }), 'bad-format'], // seq 1 has no predecessor
      [craft({ ...valid, seq: 2, prev: FIRST_PREV }), 'bad-format'],
      [craft({ ...valid, seq: 2, prev: 'AAAA' }), 'bad-format'],
      [craft({ ...valid, v: 1 }), 'bad-format'], // v1 has no prev member
      [craft({ ...valid, seq: 0 }), 'bad-format'],
      [craft({ ...valid, seq: 1.5 }), 'bad-format'],
      [craft({ ...valid, caseId: '' }), 'bad-format'],
      [craft({ ...valid, createdAt: 'yesterday' }), 'bad-format'],
      [craft({ ...valid, author: { role: 'admin' } }), 'bad-format'],
      [craft({ ...valid, author: { role: 'reporter', name: 'x' } }), 'bad-format'],
      [craft({ ...valid, sig: undefined, body: undefined }), 'bad-format'],
    ]
    for (const [item, code] of cases) {
      expectCode(
        () => open(item, { caseId: 'case-7f3a', signerPublicKey: reporter.publicKey }),
        code as never
      )
    }
    // A v1 envelope (stored before chaining) still opens, without prev.
    const v1 = { ...valid, v: 1, prev: undefined }
    const old = open(craft(v1), { caseId: 'case-7f3a', signerPublicKey: reporter.publicKey })
    expect(old.verified).toBe(true)
    expect(old.envelope.v).toBe(1)
    expect(old.envelope.prev).toBeUndefined()
    // The crafting helper itself is sound: a valid envelope passes.
    expect(
      open(craft(valid), { caseId: 'case-7f3a', signerPublicKey: reporter.publicKey }).verified
    ).toBe(true)
  })
})

describe('sealItem input checks', () => {
  it('refuses malformed input and wrong keys', () => {
    const bad: Partial<ItemInput>[] = [
      { seq: 0 },
      { seq: -1 },
      { seq: 2 ** 53 },
      { prev: 'x' },
      { seq: 2 }, // seq 2 must name its predecessor
      { itemId: '' },
      { caseId: 'x'.repeat(201) },
      { createdAt: '2025-03-01 10:20' },
      { createdAt: '2025-13-45T10:20:30Z' },
      { type: '' },
      { body: { n: NaN } },
      { body: [undefined] as never },
      { author: { role: 'nobody' as never } },
    ]
    for (const over of bad) {
      expectCode(() => sealItem(input(over), caseKeys.publicKey, reporter.secretKey), 'bad-format')
    }
    expectCode(() => sealItem(input(), caseKeys.publicKey, reporter.publicKey), 'bad-key')
    expectCode(() => sealItem(input(), new Uint8Array(5), reporter.secretKey), 'bad-key')
  })

  it('treats author.id undefined like no id', () => {
    const a = sealItem(
      input({ author: { role: 'reporter', id: undefined } }),
      caseKeys.publicKey,
      reporter.secretKey
    )
    expect(open(a, { caseId: 'case-7f3a' }).envelope.author).toEqual({ role: 'reporter' })
  })
})

describe('verifyThread', () => {
  const env = (seq: number, itemId = `i${seq}`, caseId = 'c') => ({ seq, itemId, caseId })

  it('accepts a complete thread', () => {
    const r = verifyThread([1, 2, 3, 4].map((s) => env(s)))
    expect(r).toEqual({
      ok: true,
      gaps: [],
      duplicates: [],
      duplicateItemIds: [],
      outOfOrder: false,
      mixedCases: false,
      brokenLinks: [],
      unchained: [],
      behindSeen: false,
      seenReplaced: false,
      lastSeq: 4,
    })
    expect(verifyThread([]).ok).toBe(true)
  })

  it('reports gaps, replays, disorder, mixed cases and a cut tail', () => {
    expect(verifyThread([1, 2, 5, 7].map((s) => env(s))).gaps).toEqual([
      { from: 3, to: 4 },
      { from: 6, to: 6 },
    ])
    expect(verifyThread([2, 3].map((s) => env(s))).gaps).toEqual([{ from: 1, to: 1 }])
    const replay = verifyThread([env(1), env(2), env(2, 'i2-again')])
    expect(replay.ok).toBe(false)
    expect(replay.duplicates).toEqual([2])
    expect(verifyThread([env(1), env(2, 'i1')]).duplicateItemIds).toEqual(['i1'])
    expect(verifyThread([env(2), env(1)]).outOfOrder).toBe(true)
    expect(verifyThread([env(1), env(2, 'i2', 'other')]).mixedCases).toBe(true)
    const cut = verifyThread([env(1), env(2)], { minLastSeq: 4 })
    expect(cut.ok).toBe(false)
    expect(cut.gaps).toEqual([{ from: 3, to: 4 }])
  })

  it('handles absurd sequence numbers without looping over them', () => {
    const r = verifyThread([env(1), env(2 ** 53 - 1)])
    expect(r.gaps).toEqual([{ from: 2, to: 2 ** 53 - 2 }])
  })
})

describe('verifyThread: the hash chain', () => {
  /** A sealed thread of n items, each naming the hash of the one before. */
  function chain(n: number, caseId = 'case-7f3a'): Uint8Array[] {
    const out: Uint8Array[] = []
    for (let seq = 1; seq <= n; seq++) {
      const prev = seq === 1 ? FIRST_PREV : itemHash(out[seq - 2]!)
      out.push(
        sealItem(
          input({ caseId, seq, itemId: `item-${seq}`, prev }),
          caseKeys.publicKey,
          reporter.secretKey
        )
      )
    }
    return out
  }
  /** What a reader passes: the opened envelope's fields and its own hash of the stored bytes. */
  const links = (items: Uint8Array[]): ThreadLink[] =>
    items.map((stored) => {
      const { envelope } = open(stored, { caseId: 'case-7f3a' })
      return { ...envelope, hash: itemHash(stored) }
    })
  const thread = chain(5)

  it('a whole chain verifies, and names its head', () => {
    const r = verifyThread(links(thread))
    expect(r.ok).toBe(true)
    expect(r.brokenLinks).toEqual([])
    expect(r.head).toEqual({ seq: 5, hash: itemHash(thread[4]!) })
    expect(verifyThread(links(thread), { seen: { seq: 5, hash: itemHash(thread[4]!) } }).ok).toBe(
      true
    )
    expect(verifyThread(links(thread), { seen: { seq: 3, hash: itemHash(thread[2]!) } }).ok).toBe(
      true
    )
  })

  it('a removed middle item is a gap', () => {
    const r = verifyThread(links([...thread.slice(0, 2), ...thread.slice(3)]))
    expect(r.ok).toBe(false)
    expect(r.gaps).toEqual([{ from: 3, to: 3 }])
  })

  it('a replaced item breaks the link of the item after it', () => {
    // Same seq and itemId, validly signed, but not the item the next one was written after.
    const other = sealItem(
      input({ seq: 3, itemId: 'item-3', prev: itemHash(thread[1]!), body: 'other' }),
      caseKeys.publicKey,
      reporter.secretKey
    )
    const r = verifyThread(links([...thread.slice(0, 2), other, ...thread.slice(3)]))
    expect(r.ok).toBe(false)
    expect(r.brokenLinks).toEqual([4])
    expect(r.gaps).toEqual([])
    // Even the very same envelope sealed again is another item.
    const { envelope } = open(thread[2]!, { caseId: 'case-7f3a' })
    const resealed = sealItem(
      { ...envelope, prev: envelope.prev ?? '' },
      caseKeys.publicKey,
      reporter.secretKey
    )
    expect(
      verifyThread(links([...thread.slice(0, 2), resealed, ...thread.slice(3)])).brokenLinks
    ).toEqual([4])
  })

  it('a reordered item is reported', () => {
    const r = verifyThread(links([thread[0]!, thread[2]!, thread[1]!, thread[3]!, thread[4]!]))
    expect(r.ok).toBe(false)
    expect(r.outOfOrder).toBe(true)
  })

  it('a cut tail is reported against the head seen earlier', () => {
    const seen = { seq: 5, hash: itemHash(thread[4]!) }
    // Without memory the shortened thread is a valid chain: that is the limit.
    expect(verifyThread(links(thread.slice(0, 3))).ok).toBe(true)
    const r = verifyThread(links(thread.slice(0, 3)), { seen })
    expect(r.ok).toBe(false)
    expect(r.behindSeen).toBe(true)
    expect(r.gaps).toEqual([{ from: 4, to: 5 }])
    expect(r.head).toEqual({ seq: 3, hash: itemHash(thread[2]!) })
  })

  it('a cut tail refilled with other items is reported as a replaced head', () => {
    const seen = { seq: 5, hash: itemHash(thread[4]!) }
    const other = sealItem(
      input({ seq: 5, itemId: 'item-5b', prev: itemHash(thread[3]!), body: 'other' }),
      caseKeys.publicKey,
      reporter.secretKey
    )
    const r = verifyThread(links([...thread.slice(0, 4), other]), { seen })
    expect(r.ok).toBe(false)
    expect(r.seenReplaced).toBe(true)
    expect(r.behindSeen).toBe(false)
  })

  it('v1 items are unchained, and a v2 item may follow one', () => {
    const r = verifyThread([
      { caseId: 'c', itemId: 'a', seq: 1, v: 1, hash: 'h1' },
      { caseId: 'c', itemId: 'b', seq: 2, v: 2, prev: 'h1', hash: 'h2' },
      { caseId: 'c', itemId: 'c', seq: 3, v: 2, prev: 'wrong', hash: 'h3' },
    ])
    expect(r.unchained).toEqual([1])
    expect(r.brokenLinks).toEqual([3])
  })

  it('shortItemHash shows the first four bytes', () => {
    expect(shortItemHash(Buffer.from([0x3f, 0xa2, 0x91, 0xc0, 1]).toString('base64'))).toBe(
      '3fa2 91c0'
    )
    expect(shortItemHash('')).toBe('?')
  })
})
