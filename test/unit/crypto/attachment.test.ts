import { createHash } from 'node:crypto'

import sodium from 'libsodium-wrappers'
import nacl from 'tweetnacl'
import { beforeAll, describe, expect, it } from 'vitest'

import {
  ATTACHMENT_CHUNK_SIZE,
  chunkNonce,
  createAttachmentDecryptor,
  createAttachmentEncryptor,
  decryptAttachment,
  decryptAttachmentStream,
  encryptAttachment,
  encryptAttachmentStream,
  encryptFrame,
  frameCount,
  paddedFileSize,
  parseManifest,
  type AttachmentManifest,
} from '../../../crypto/attachment'
import { concatBytes, toBase64 } from '../../../crypto/encoding'
import { expectCode, expectCodeAsync, flipBit, hex, sameBytes } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

const CHUNK = ATTACHMENT_CHUNK_SIZE
const meta = { name: 'scan.pdf', type: 'application/pdf' }

function data(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 65536) out.set(nacl.randomBytes(Math.min(65536, n - i)), i)
  return out
}

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const x of gen) out.push(x)
  return out
}

/** Splits bytes into pieces of the given (cycled) sizes, as a network stream would. */
function* pieces(bytes: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  let i = 0
  for (let k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!
    yield bytes.subarray(i, i + n)
    i += n
  }
}

describe('attachments: padding', () => {
  it('uses Padmé buckets (4 KiB minimum) capped at the last chunk, empty files stay empty', () => {
    const cases: [number, number][] = [
      [0, 0],
      [1, 4096],
      [4096, 4096],
      [4097, 4352],
      [5000, 5120],
      [65536, 65536],
      [65537, 67584],
      [1_000_000, 1_015_808],
      [10 * 2 ** 20 + 1, 10 * 2 ** 20 + 65536], // Padmé would say 10747904: whole chunks win
    ]
    for (const [size, padded] of cases) expect(paddedFileSize(size), `size ${size}`).toBe(padded)
    expect(paddedFileSize(650, 64)).toBe(704)
    expect(paddedFileSize(10, 16)).toBe(16)
  })

  it('never adds a frame', () => {
    for (let size = 1; size < 2 ** 30; size = Math.ceil(size * 1.07) + 3) {
      expect(frameCount(paddedFileSize(size))).toBe(Math.ceil(size / CHUNK))
    }
    expect(frameCount(paddedFileSize(0))).toBe(1)
  })

  it('never shrinks, costs at most 11.2 % above 4 KiB, and is monotonic', () => {
    let prev = 0
    for (let size = 1; size < 2 ** 34; size = Math.ceil(size * 1.013) + 1) {
      const p = paddedFileSize(size)
      expect(p).toBeGreaterThanOrEqual(size)
      expect(p).toBeGreaterThanOrEqual(prev)
      if (size > 4096) expect((p - size) / size).toBeLessThan(0.112)
      prev = p
    }
    expectCode(() => paddedFileSize(-1), 'bad-format')
  })

  it('makes the ciphertext length depend only on the bucket', () => {
    const a = encryptAttachment(new Uint8Array(5000), meta).frames
    const b = encryptAttachment(new Uint8Array(5100), meta).frames
    const total = (fs: Uint8Array[]) => fs.reduce((n, f) => n + f.length, 0)
    expect(total(a)).toBe(total(b))
    expect(total(a)).toBe(5120 + 16)
  })
})

describe('attachments: format', () => {
  it('builds nonces as prefix ‖ LE64(counter), final flag in the top bit', () => {
    const prefix = new Uint8Array(16).fill(0xaa)
    expect(hex(chunkNonce(prefix, 0, false))).toBe('aa'.repeat(16) + '0000000000000000')
    expect(hex(chunkNonce(prefix, 0x01020304, false))).toBe('aa'.repeat(16) + '0403020100000000')
    expect(hex(chunkNonce(prefix, 5, true))).toBe('aa'.repeat(16) + '0500000000000080')
    expect(hex(chunkNonce(prefix, 2 ** 32 - 1, true))).toBe('aa'.repeat(16) + 'ffffffff00000080')
    expectCode(() => chunkNonce(prefix, 2 ** 32, false), 'too-large')
    expectCode(() => chunkNonce(new Uint8Array(15), 0, false), 'bad-key')
  })

  it('round-trips files of awkward sizes; frames are libsodium secretboxes of the padded file', () => {
    for (const n of [0, 1, 4095, 4097, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5]) {
      const plain = data(n)
      const { manifest, frames } = encryptAttachment(plain, meta)
      const padded = paddedFileSize(n)
      const count = frameCount(padded, CHUNK)
      expect(frames).toHaveLength(count)
      expect(manifest).toMatchObject({
        v: 1,
        ...meta,
        size: n,
        chunks: count,
        chunkSize: CHUNK,
        sha256: createHash('sha256').update(plain).digest('hex'),
      })
      const key = Buffer.from(manifest.key, 'base64')
      const prefix = Buffer.from(manifest.noncePrefix, 'base64')
      const opened = frames.map((f, i) => {
        const last = i === frames.length - 1
        expect(f.length).toBe(last ? padded - i * CHUNK + 16 : CHUNK + 16)
        return sodium.crypto_secretbox_open_easy(f, chunkNonce(prefix, i, last), key)
      })
      const expected = new Uint8Array(padded)
      expected.set(plain)
      expect(sameBytes(concatBytes(...opened), expected)).toBe(true)
      expect(sameBytes(decryptAttachment(frames, manifest), plain)).toBe(true)
    }
  })

  it('encrypts an empty file as one empty final frame', () => {
    const { manifest, frames } = encryptAttachment(new Uint8Array(0), meta)
    expect(frames).toHaveLength(1)
    expect(frames[0]).toHaveLength(16)
    expect(manifest.size).toBe(0)
    expect(manifest.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(decryptAttachment(frames, manifest)).toEqual(new Uint8Array(0))
  })

  it('uses a fresh key and nonce prefix per file', () => {
    const a = encryptAttachment(new Uint8Array(10), meta).manifest
    const b = encryptAttachment(new Uint8Array(10), meta).manifest
    expect(a.key).not.toBe(b.key)
    expect(a.noncePrefix).not.toBe(b.noncePrefix)
  })
})

describe('attachments: tampering', () => {
  const chunkSize = 64
  const plain = new Uint8Array(10 * chunkSize + 10).fill(0xab) // pads to 704: 11 frames
  const { manifest, frames } = encryptAttachment(plain, meta, { chunkSize })
  const key = Buffer.from(manifest.key, 'base64')
  const prefix = Buffer.from(manifest.noncePrefix, 'base64')
  const decrypt = (fs: Uint8Array[], m: AttachmentManifest = manifest) => decryptAttachment(fs, m)
  const last = frames.length - 1

  it('sanity: untouched frames decrypt', () => {
    expect(frames).toHaveLength(11)
    expect(sameBytes(decrypt(frames), plain)).toBe(true)
  })

  it('a flipped bit in any frame → open-failed', () => {
    for (let i = 0; i < frames.length; i++) {
      const fs = frames.slice()
      fs[i] = flipBit(fs[i]!, 8 * 20 + 3)
      expectCode(() => decrypt(fs), 'open-failed')
    }
  })

  it('swapped, duplicated, dropped or moved frames → reordered', () => {
    expectCode(() => decrypt([frames[1]!, frames[0]!, ...frames.slice(2)]), 'reordered')
    expectCode(() => decrypt([frames[0]!, frames[0]!, ...frames.slice(1)]), 'reordered')
    expectCode(() => decrypt([frames[0]!, ...frames.slice(2)]), 'reordered')
    expectCode(() => decrypt([frames[last]!, ...frames.slice(0, last)]), 'reordered')
  })

  it('missing final frame → truncated; anything after it → extended', () => {
    expectCode(() => decrypt(frames.slice(0, last)), 'truncated')
    expectCode(() => decrypt(frames.slice(0, 10)), 'truncated')
    expectCode(() => decrypt([]), 'truncated')
    expectCode(() => decrypt([...frames, frames[3]!]), 'extended')
    expectCode(() => decrypt([...frames, new Uint8Array(40)]), 'extended')
    expectCode(() => decrypt([...frames, new Uint8Array(0)]), 'extended')
  })

  it('a cut frame → open-failed or truncated, never a result', () => {
    const cut = frames.slice()
    cut[last] = cut[last]!.subarray(0, 20)
    expectCode(() => decrypt(cut), 'open-failed')
    cut[last] = cut[last].subarray(0, 5)
    expectCode(() => decrypt(cut), 'truncated')
    const cutMiddle = frames.slice()
    cutMiddle[4] = cutMiddle[4]!.subarray(0, 70)
    expectCode(() => decrypt(cutMiddle), 'open-failed')
    const tooLong = frames.slice()
    tooLong[0] = new Uint8Array(chunkSize + 17)
    expectCode(() => decrypt(tooLong), 'bad-format')
  })

  it('frames of another file under the same key (other prefix) → open-failed', () => {
    const other = encryptAttachment(plain, meta, { chunkSize, key }).frames
    expectCode(() => decrypt([frames[0]!, other[1]!, ...frames.slice(2)]), 'open-failed')
  })

  it('a wrong key or prefix in the manifest → open-failed', () => {
    const wrongKey = { ...manifest, key: toBase64(nacl.randomBytes(32)) }
    expectCode(() => decrypt(frames, wrongKey), 'open-failed')
    const wrongPrefix = { ...manifest, noncePrefix: toBase64(nacl.randomBytes(16)) }
    expectCode(() => decrypt(frames, wrongPrefix), 'open-failed')
  })

  it('a manifest that lies about the content → hash-mismatch or bad-format', () => {
    expectCode(() => decrypt(frames, { ...manifest, sha256: '0'.repeat(64) }), 'hash-mismatch')
    // One byte more: a padding zero counts as content, so the hash differs.
    expectCode(() => decrypt(frames, { ...manifest, size: manifest.size + 1 }), 'hash-mismatch')
    // One byte less: the last real byte (0xab) would be padding, which must be zero.
    expectCode(() => decrypt(frames, { ...manifest, size: manifest.size - 1 }), 'bad-format')
    expectCode(() => decrypt(frames, { ...manifest, chunks: 3 }), 'bad-format')
  })

  it('non-zero padding written by a sloppy or hostile sender → bad-format', () => {
    const chunk = new Uint8Array(chunkSize)
    chunk.fill(0xab, 0, 10) // the 10 real bytes of the last chunk
    chunk[20] = 1
    const forged = frames.slice()
    forged[last] = encryptFrame(key, prefix, last, chunk, true)
    expectCode(() => decrypt(forged), 'bad-format')
  })

  it('a failed decryptor stays failed', () => {
    const dec = createAttachmentDecryptor(key, prefix, { chunkSize })
    expect(dec.decryptChunk(frames[0]!).final).toBe(false)
    expectCode(() => dec.decryptChunk(frames[2]!), 'reordered')
    expectCode(() => dec.decryptChunk(frames[1]!), 'bad-state')
    expectCode(() => dec.finish(), 'bad-state')
  })
})

describe('attachments: streaming', () => {
  const plain = data(3 * CHUNK + 1234)

  it('encrypts any piece sizes into the same frames as the whole-buffer API', async () => {
    const key = nacl.randomBytes(32)
    const noncePrefix = nacl.randomBytes(16)
    const whole = encryptAttachment(plain, meta, { key, noncePrefix })
    for (const sizes of [[1000], [CHUNK], [CHUNK + 1, 7, 30_000], [plain.length]]) {
      const enc = createAttachmentEncryptor({ key, noncePrefix })
      const frames = await collect(encryptAttachmentStream(pieces(plain, sizes), enc))
      expect(frames.map((f) => f.length)).toEqual(whole.frames.map((f) => f.length))
      expect(sameBytes(concatBytes(...frames), concatBytes(...whole.frames))).toBe(true)
      expect(enc.manifest(meta)).toEqual(whole.manifest)
    }
  })

  it('chunk-at-a-time encryption gives the same frames as push/finish', () => {
    const key = nacl.randomBytes(32)
    const noncePrefix = nacl.randomBytes(16)
    const whole = encryptAttachment(plain, meta, { key, noncePrefix })
    const enc = createAttachmentEncryptor({ key, noncePrefix })
    const frames: Uint8Array[] = []
    for (let off = 0; off === 0 || off < plain.length; off += CHUNK) {
      const end = Math.min(off + CHUNK, plain.length)
      frames.push(enc.encryptChunk(plain.subarray(off, end), end === plain.length))
    }
    expect(sameBytes(concatBytes(...frames), concatBytes(...whole.frames))).toBe(true)
    expect(enc.manifest(meta)).toEqual(whole.manifest)
  })

  it('accepts an empty final frame after full ones (a writer that learnt of the end late)', () => {
    const enc = createAttachmentEncryptor()
    const data2 = plain.subarray(0, 2 * CHUNK)
    const frames = [
      enc.encryptChunk(data2.subarray(0, CHUNK), false),
      enc.encryptChunk(data2.subarray(CHUNK), false),
      enc.encryptChunk(new Uint8Array(0), true),
    ]
    const manifest = enc.manifest(meta)
    expect(manifest.chunks).toBe(3)
    expect(sameBytes(decryptAttachment(frames, manifest), data2)).toBe(true)
    expectCode(() => decryptAttachment(frames.slice(0, 2), manifest), 'truncated')
  })

  it('decrypts ciphertext arriving in arbitrary pieces', async () => {
    const { manifest, frames } = encryptAttachment(plain, meta)
    const ciphertext = concatBytes(...frames)
    for (const sizes of [[4096], [999, 70_000], [CHUNK + 16], [ciphertext.length]]) {
      const out = await collect(decryptAttachmentStream(pieces(ciphertext, sizes), manifest))
      expect(sameBytes(concatBytes(...out), plain)).toBe(true)
    }
    const empty = encryptAttachment(new Uint8Array(0), meta)
    expect(await collect(decryptAttachmentStream(empty.frames, empty.manifest))).toEqual([])
    const small = encryptAttachment(new Uint8Array([1, 2, 3]), meta)
    const out = await collect(decryptAttachmentStream(small.frames, small.manifest))
    expect(out).toEqual([new Uint8Array([1, 2, 3])])
  })

  it('rejects a truncated, extended or reordered stream', async () => {
    const { manifest, frames } = encryptAttachment(plain, meta)
    const ct = concatBytes(...frames)
    const run = (parts: Uint8Array[]) => collect(decryptAttachmentStream(parts, manifest))
    await expectCodeAsync(() => run([ct.subarray(0, ct.length - 1)]), 'truncated')
    await expectCodeAsync(() => run([ct.subarray(0, 2 * (CHUNK + 16))]), 'truncated')
    await expectCodeAsync(() => run([ct, new Uint8Array(1)]), 'extended')
    await expectCodeAsync(
      () => run([concatBytes(frames[1]!, frames[0]!, ...frames.slice(2))]),
      'reordered'
    )
  })
})

describe('attachments: API misuse and manifest validation', () => {
  it('the encryptor refuses use after finish, mixed use and early manifests', () => {
    const enc = createAttachmentEncryptor({ chunkSize: 16 })
    expect(enc.push(new Uint8Array(40))).toHaveLength(2)
    expectCode(() => enc.manifest(meta), 'bad-state')
    expectCode(() => enc.encryptChunk(new Uint8Array(16), false), 'bad-state') // push data pending
    expect(enc.finish()).toHaveLength(1)
    expectCode(() => enc.push(new Uint8Array(1)), 'bad-state')
    expectCode(() => enc.finish(), 'bad-state')
    const byChunk = createAttachmentEncryptor({ chunkSize: 16 })
    expectCode(() => byChunk.encryptChunk(new Uint8Array(15), false), 'bad-state')
    expectCode(() => byChunk.encryptChunk(new Uint8Array(17), true), 'bad-state')
    byChunk.encryptChunk(new Uint8Array(3), true)
    expectCode(() => byChunk.encryptChunk(new Uint8Array(0), true), 'bad-state')
    expectCode(() => createAttachmentEncryptor({ key: new Uint8Array(16) }), 'bad-key')
    expectCode(() => createAttachmentEncryptor({ chunkSize: 0 }), 'bad-format')
  })

  it('parseManifest accepts good manifests and keeps only known fields', () => {
    const { manifest } = encryptAttachment(new Uint8Array(100), { ...meta, ref: 'upload-1' })
    expect(parseManifest({ ...manifest, extra: 'ignored' })).toEqual(manifest)
    expect(manifest.ref).toBe('upload-1')
  })

  it('parseManifest rejects malformed ones', () => {
    const { manifest } = encryptAttachment(new Uint8Array(100), meta)
    const bad: Record<string, unknown>[] = [
      { name: 1 },
      { name: 'x'.repeat(1025) },
      { type: null },
      { size: -1 },
      { size: 1.5 },
      { sha256: 'ABC' },
      { sha256: 'A'.repeat(64) },
      { key: toBase64(new Uint8Array(31)) },
      { key: '!!!' },
      { noncePrefix: toBase64(new Uint8Array(24)) },
      { chunkSize: 0 },
      { chunkSize: 64 * 1024 * 1024 },
      { chunks: 0 },
      { chunks: 2 },
      { ref: 5 },
    ]
    for (const over of bad) expectCode(() => parseManifest({ ...manifest, ...over }), 'bad-format')
    expectCode(() => parseManifest({ ...manifest, v: 2 }), 'bad-version')
    for (const notObject of [null, 'x', [manifest]]) {
      expectCode(() => parseManifest(notObject), 'bad-format')
    }
  })
})
