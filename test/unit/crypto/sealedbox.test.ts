import sodium from 'libsodium-wrappers'
import nacl from 'tweetnacl'
import { beforeAll, describe, expect, it } from 'vitest'

import { SEAL_OVERHEAD, seal, sealOpen } from '../../../crypto/sealedbox'
import { expectCode, flipBit } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

const LENGTHS = [0, 1, 31, 32, 33, 100, 1024, 65536 + 7]

describe('sealed box, libsodium interop', () => {
  it('what we seal, libsodium crypto_box_seal_open opens', () => {
    const kp = nacl.box.keyPair()
    for (const n of LENGTHS) {
      const m = nacl.randomBytes(n)
      const sealed = seal(m, kp.publicKey)
      expect(sealed.length).toBe(n + SEAL_OVERHEAD)
      expect(sodium.crypto_box_seal_open(sealed, kp.publicKey, kp.secretKey)).toEqual(m)
    }
  })

  it('what libsodium crypto_box_seal seals, we open', () => {
    const kp = sodium.crypto_box_keypair()
    for (const n of LENGTHS) {
      const m = nacl.randomBytes(n)
      const sealed = sodium.crypto_box_seal(m, kp.publicKey)
      expect(sealOpen(sealed, kp.publicKey, kp.privateKey)).toEqual(m)
    }
  })

  it('uses a fresh ephemeral key each time', () => {
    const kp = nacl.box.keyPair()
    const m = new Uint8Array(10)
    expect(seal(m, kp.publicKey)).not.toEqual(seal(m, kp.publicKey))
  })
})

describe('sealed box, tampering', () => {
  const kp = nacl.box.keyPair()
  const message = new TextEncoder().encode('sentinel: the quick brown fox')
  const sealed = seal(message, kp.publicKey)

  it('fails on every single-bit flip', () => {
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      expectCode(() => sealOpen(flipBit(sealed, bit), kp.publicKey, kp.secretKey), 'open-failed')
    }
  })

  it('fails on every truncation and on extension', () => {
    for (let n = 0; n < sealed.length; n++) {
      expectCode(() => sealOpen(sealed.subarray(0, n), kp.publicKey, kp.secretKey), 'open-failed')
    }
    const longer = new Uint8Array(sealed.length + 1)
    longer.set(sealed)
    expectCode(() => sealOpen(longer, kp.publicKey, kp.secretKey), 'open-failed')
  })

  it('fails with a wrong secret key or a wrong public key', () => {
    const other = nacl.box.keyPair()
    expectCode(() => sealOpen(sealed, kp.publicKey, other.secretKey), 'open-failed')
    expectCode(() => sealOpen(sealed, other.publicKey, kp.secretKey), 'open-failed')
    expectCode(() => sealOpen(sealed, kp.publicKey, kp.secretKey.subarray(1)), 'open-failed')
  })

  it('rejects a low-order ephemeral key like libsodium does', () => {
    // epk = 0 makes the shared secret all zeros, so anyone could have made the box.
    const epk = new Uint8Array(32)
    const forged = new Uint8Array(SEAL_OVERHEAD + 4)
    forged.set(epk)
    expectCode(() => sealOpen(forged, kp.publicKey, kp.secretKey), 'open-failed')
    expect(() => sodium.crypto_box_seal_open(forged, kp.publicKey, kp.secretKey)).toThrow()
  })

  it('refuses a recipient key of the wrong length when sealing', () => {
    expectCode(() => seal(message, new Uint8Array(31)), 'bad-key')
  })
})
