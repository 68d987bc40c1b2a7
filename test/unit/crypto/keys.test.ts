import sodium from 'libsodium-wrappers'
import nacl from 'tweetnacl'
import { beforeAll, describe, expect, it } from 'vitest'

import { nobleArgon2id, type Argon2id } from '../../../crypto/argon2'
import { toBase64 } from '../../../crypto/encoding'
import {
  OFFICER_KDF_DEFAULT,
  OFFICER_KDF_FLOOR,
  caseKeyPairFromSecret,
  deriveOfficerKeys,
  formatFingerprint,
  formatRecoveryCode,
  generateCaseKeyPair,
  generateKdfSalt,
  generateOfficerKeys,
  generateRecoveryKey,
  grantCaseKey,
  keyFingerprint,
  officerKeysFromSecrets,
  openGrant,
  parseRecoveryCode,
  unwrapSecrets,
  wrapSecrets,
} from '../../../crypto/keys'
import { seal } from '../../../crypto/sealedbox'
import { EFF_LARGE_WORDLIST } from '../../../crypto/wordlist-eff-large'
import { expectCode, expectCodeAsync, flipBit, hex, nativeArgon2id } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

describe('case keys and grants', () => {
  const kase = generateCaseKeyPair()
  const officer = generateOfficerKeys()

  it('grants the case secret key to an officer, libsodium-compatible', () => {
    const grant = grantCaseKey(kase.secretKey, officer.box.publicKey)
    expect(grant).toHaveLength(80)
    expect(openGrant(grant, officer.box.publicKey, officer.box.secretKey)).toEqual(kase.secretKey)
    expect(openGrant(grant, officer.box.publicKey, officer.box.secretKey, kase.publicKey)).toEqual(
      kase.secretKey
    )
    expect(
      sodium.crypto_box_seal_open(grant, officer.box.publicKey, officer.box.secretKey)
    ).toEqual(kase.secretKey)
    expect(caseKeyPairFromSecret(kase.secretKey).publicKey).toEqual(kase.publicKey)
  })

  it('refuses a grant for another case, a tampered grant, a wrong key or a wrong length', () => {
    const other = generateCaseKeyPair()
    const grant = grantCaseKey(other.secretKey, officer.box.publicKey)
    const { box } = officer
    expectCode(() => openGrant(grant, box.publicKey, box.secretKey, kase.publicKey), 'wrong-case')
    expectCode(() => openGrant(flipBit(grant, 400), box.publicKey, box.secretKey), 'open-failed')
    const stranger = generateOfficerKeys().box
    expectCode(() => openGrant(grant, stranger.publicKey, stranger.secretKey), 'open-failed')
    const short = seal(new Uint8Array(31), box.publicKey)
    expectCode(() => openGrant(short, box.publicKey, box.secretKey), 'bad-format')
    expectCode(() => grantCaseKey(new Uint8Array(31), box.publicKey), 'bad-key')
  })
})

describe('officer keys', () => {
  it('are deterministic from their secrets', () => {
    const k = generateOfficerKeys()
    const again = officerKeysFromSecrets(k.box.secretKey, k.signSeed)
    expect(again.box.publicKey).toEqual(k.box.publicKey)
    expect(again.sign.publicKey).toEqual(k.sign.publicKey)
    expect(sodium.crypto_sign_seed_keypair(k.signSeed).publicKey).toEqual(k.sign.publicKey)
    expect(sodium.crypto_scalarmult_base(k.box.secretKey)).toEqual(k.box.publicKey)
  })

  it('wrap and unwrap with secretbox', () => {
    const k = generateOfficerKeys()
    const wrapKey = nacl.randomBytes(32)
    const wrapped = wrapSecrets(wrapKey, k.box.secretKey, k.signSeed)
    expect(Buffer.from(wrapped, 'base64')).toHaveLength(104)
    expect(wrapSecrets(wrapKey, k.box.secretKey, k.signSeed)).not.toBe(wrapped) // random nonce
    expect(unwrapSecrets(wrapped, wrapKey)).toEqual({
      boxSecretKey: k.box.secretKey,
      signSeed: k.signSeed,
    })
    // libsodium opens it too: nonce ‖ secretbox.
    const raw = Buffer.from(wrapped, 'base64')
    const plain = sodium.crypto_secretbox_open_easy(raw.subarray(24), raw.subarray(0, 24), wrapKey)
    expect(hex(plain)).toBe(hex(k.box.secretKey) + hex(k.signSeed))
  })

  it('unwrap fails closed: wrong key, tampering, bad encoding, wrong length', () => {
    const k = generateOfficerKeys()
    const wrapKey = nacl.randomBytes(32)
    const wrapped = wrapSecrets(wrapKey, k.box.secretKey, k.signSeed)
    const raw = Buffer.from(wrapped, 'base64')
    expectCode(() => unwrapSecrets(wrapped, nacl.randomBytes(32)), 'open-failed')
    for (const bit of [0, 100, 300, 831]) {
      expectCode(() => unwrapSecrets(toBase64(flipBit(raw, bit)), wrapKey), 'open-failed')
    }
    expectCode(() => unwrapSecrets(toBase64(raw.subarray(0, 103)), wrapKey), 'bad-format')
    expectCode(() => unwrapSecrets('%%%', wrapKey), 'bad-format')
    expectCode(() => unwrapSecrets(wrapped, new Uint8Array(16)), 'bad-key')
    expectCode(() => wrapSecrets(wrapKey, new Uint8Array(31), k.signSeed), 'bad-key')
  })
})

describe('officer key derivation', () => {
  const salt = new Uint8Array(16).map((_, i) => i + 1)

  it('splits 64 bytes of Argon2id into wrapKey ‖ authSecret (native oracle)', async () => {
    const keys = await deriveOfficerKeys(
      'correct horse battery staple',
      salt,
      OFFICER_KDF_FLOOR,
      nobleArgon2id
    )
    const raw = await nativeArgon2id(
      new TextEncoder().encode('correct horse battery staple'),
      salt,
      {
        ...OFFICER_KDF_FLOOR,
        dkLen: 64,
      }
    )
    expect(hex(keys.wrapKey)).toBe(hex(raw.subarray(0, 32)))
    expect(hex(keys.authSecret)).toBe(hex(raw.subarray(32)))
  })

  it('defaults to m=64 MiB, t=3, p=1 (known answer)', async () => {
    expect(OFFICER_KDF_DEFAULT).toEqual({ m: 65536, t: 3, p: 1 })
    const keys = await deriveOfficerKeys('correct horse battery staple', salt)
    const native = await deriveOfficerKeys(
      'correct horse battery staple',
      salt,
      undefined,
      nativeArgon2id
    )
    expect(keys).toEqual(native)
    // Pinned so that a change in the derivation (or a library) cannot pass unnoticed.
    expect(hex(keys.wrapKey)).toBe(
      'c048543905406a078816c478ab3457e1e0971b9637390e5c7a3e3c9787c1a058'
    )
    expect(hex(keys.authSecret)).toBe(
      'ad9ed2e347d77f3428602c548b94567e20585d368f413d68eca9809799e4e59d'
    )
  })

  it('normalizes the passphrase to NFKC', async () => {
    const a = await deriveOfficerKeys('ﬁle Å', salt, OFFICER_KDF_FLOOR, nativeArgon2id)
    const b = await deriveOfficerKeys('file A\u030a', salt, OFFICER_KDF_FLOOR, nativeArgon2id)
    expect(a).toEqual(b)
  })

  it('refuses parameters below the floor or beyond the ceiling, and bad inputs', async () => {
    const never: Argon2id = () => Promise.reject(new Error('must not run'))
    const run = (p: { m: number; t: number; p: number }, pw = 'pw', s = salt) =>
      deriveOfficerKeys(pw, s, p, never)
    await expectCodeAsync(() => run({ m: 19455, t: 2, p: 1 }), 'weak-kdf')
    await expectCodeAsync(() => run({ m: 65536, t: 1, p: 1 }), 'weak-kdf')
    await expectCodeAsync(() => run({ m: 4 * 1048576, t: 3, p: 1 }), 'bad-kdf')
    await expectCodeAsync(() => run({ m: 65536, t: 1000, p: 1 }), 'bad-kdf')
    await expectCodeAsync(() => run({ m: 65536.5, t: 3, p: 1 }), 'bad-kdf')
    await expectCodeAsync(() => run({ m: 65536, t: 3, p: 0 }), 'bad-kdf')
    await expectCodeAsync(() => run(OFFICER_KDF_FLOOR, 'pw', new Uint8Array(8)), 'bad-format')
    await expectCodeAsync(() => run(OFFICER_KDF_FLOOR, ''), 'bad-format')
    await expectCodeAsync(() => run(OFFICER_KDF_FLOOR, 'x'.repeat(1025)), 'too-large')
    await expectCodeAsync(() => run(OFFICER_KDF_FLOOR), 'kdf-failed')
    const short: Argon2id = () => Promise.resolve(new Uint8Array(32))
    await expectCodeAsync(
      () => deriveOfficerKeys('pw', salt, OFFICER_KDF_FLOOR, short),
      'kdf-failed'
    )
    expect(generateKdfSalt()).toHaveLength(16)
  })
})

describe('recovery codes', () => {
  it('round-trip through the printed form, forgiving case, spacing and look-alikes', () => {
    const key = generateRecoveryKey()
    const code = formatRecoveryCode(key)
    expect(code).toMatch(/^([0-9a-hjkmnp-tv-z]{4} ){12}[0-9a-hjkmnp-tv-z]{4}$/)
    expect(parseRecoveryCode(code)).toEqual(key)
    expect(parseRecoveryCode(code.toUpperCase().replace(/ /g, '-'))).toEqual(key)
    const zeros = formatRecoveryCode(new Uint8Array(32))
    expect(parseRecoveryCode(zeros.replace(/0/g, 'O'))).toEqual(new Uint8Array(32))
    const ones = formatRecoveryCode(new Uint8Array(32).fill(0x42))
    expect(parseRecoveryCode(ones.replace(/1/g, 'l'))).toEqual(new Uint8Array(32).fill(0x42))
  })

  it('rejects malformed codes', () => {
    const code = formatRecoveryCode(generateRecoveryKey())
    expectCode(() => parseRecoveryCode(code.slice(0, -1)), 'bad-format')
    expectCode(() => parseRecoveryCode(code + 'a'), 'bad-format')
    expectCode(() => parseRecoveryCode(code.slice(0, -1) + 'u'), 'bad-format')
    expectCode(() => parseRecoveryCode(code.slice(0, -1) + 'z'), 'bad-format') // non-zero tail bits
  })
})

describe('fingerprints', () => {
  it('are BLAKE2b-256(boxPk ‖ signPk), shown as hex groups or words', () => {
    const k = generateOfficerKeys()
    const fp = keyFingerprint(k.box.publicKey, k.sign.publicKey)
    const expected = sodium.crypto_generichash(
      32,
      new Uint8Array([...k.box.publicKey, ...k.sign.publicKey]),
      null
    )
    expect(fp).toEqual(expected)
    const h = formatFingerprint(fp)
    expect(h).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/)
    expect(h.replace(/ /g, '')).toBe(hex(fp.subarray(0, 16)))
    const words = formatFingerprint(fp, 'words').split(' ')
    expect(words).toHaveLength(10)
    for (const w of words) expect(EFF_LARGE_WORDLIST).toContain(w)
    const other = generateOfficerKeys()
    expect(
      formatFingerprint(keyFingerprint(other.box.publicKey, other.sign.publicKey), 'words')
    ).not.toBe(words.join(' '))
  })

  it('words are the 128-bit prefix in base 7776, least significant first', () => {
    const fp = new Uint8Array(32)
    fp[15] = 1 // the number 1
    expect(formatFingerprint(fp, 'words')).toBe(['abdomen', ...Array(9).fill('abacus')].join(' '))
    expect(formatFingerprint(new Uint8Array(32).fill(0xff), 'words').split(' ')[9]).toBe(
      EFF_LARGE_WORDLIST[Number(2n ** 128n / 7776n ** 9n)]
    )
  })
})
