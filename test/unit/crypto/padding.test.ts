import sodium from 'libsodium-wrappers'
import { beforeAll, describe, expect, it } from 'vitest'

import { PAD_MAX, isBucketSize, pad, paddedSize, unpad } from '../../../crypto/padding'
import { expectCode } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

describe('padding buckets', () => {
  it('rounds to 1 KiB steps up to 16 KiB, then to powers of two', () => {
    const cases: [number, number][] = [
      [0, 1024],
      [1, 1024],
      [1023, 1024],
      [1024, 2048],
      [5000, 5120],
      [16382, 16384],
      [16383, 16384],
      [16384, 32768],
      [32767, 32768],
      [32768, 65536],
      [100_000, 131072],
      [PAD_MAX - 1, PAD_MAX],
    ]
    for (const [len, size] of cases) {
      expect(paddedSize(len), `length ${len}`).toBe(size)
      expect(isBucketSize(size)).toBe(true)
    }
    for (const size of [0, 1000, 1025, 17408, 24576, PAD_MAX * 2]) {
      expect(isBucketSize(size)).toBe(false)
    }
  })

  it('is ISO/IEC 7816-4, byte-identical to libsodium sodium_pad in the 1 KiB range', () => {
    for (const len of [0, 1, 500, 1023, 1024, 4097, 16383]) {
      const content = new Uint8Array(len).fill(0xab)
      expect(pad(content)).toEqual(sodium.pad(content, 1024))
      expect(unpad(pad(content))).toEqual(content)
    }
  })

  it('round-trips content that ends in 0x80 or zeros', () => {
    for (const tail of [[0x80], [0x00], [0x80, 0x00], [0x00, 0x80, 0x00, 0x00]]) {
      const content = new Uint8Array([1, 2, 3, ...tail])
      expect(unpad(pad(content))).toEqual(content)
    }
  })

  it('refuses what pad() cannot produce', () => {
    expectCode(() => unpad(new Uint8Array(1024)), 'bad-format') // no marker
    expectCode(() => unpad(new Uint8Array(1000)), 'bad-format') // not a bucket
    const wrongBucket = new Uint8Array(2048)
    wrongBucket[10] = 0x80 // 10 bytes of content belong in the 1 KiB bucket
    expectCode(() => unpad(wrongBucket), 'bad-format')
    const noise = new Uint8Array(1024).fill(1)
    expectCode(() => unpad(noise), 'bad-format')
  })

  it('refuses content over the largest bucket', () => {
    expectCode(() => pad(new Uint8Array(PAD_MAX)), 'too-large')
  })
})
