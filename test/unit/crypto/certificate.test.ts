import sodium from 'libsodium-wrappers'
import { beforeAll, describe, expect, it } from 'vitest'

import {
  CERTIFICATE_PREFIX,
  certifiedSignerLookup,
  checkCertifiedRecipient,
  generateOrgKey,
  orgFingerprint,
  orgKeyFromSeed,
  signCertificate,
  signRevocation,
  verifyCertificate,
  verifyRevocation,
} from '../../../crypto/certificate'
import { canonicalJson, fromBase64, toBase64, utf8Encode } from '../../../crypto/encoding'
import { generateOfficerKeys } from '../../../crypto/keys'
import { expectCode } from './helpers'

beforeAll(async () => {
  await sodium.ready
})

const org = generateOrgKey()
const officer = generateOfficerKeys()
const base = {
  accountId: 'officer-1',
  boxPublicKey: toBase64(officer.box.publicKey),
  signPublicKey: toBase64(officer.sign.publicKey),
  roles: ['officer'],
  notBefore: '2026-01-01T00:00:00.000Z',
  issuedAt: '2026-01-01T00:00:00.000Z',
}

describe('certificates', () => {
  it('round-trips, and the signature is Ed25519 over the prefix and the canonical statement', () => {
    const signed = signCertificate(base, org.secretKey)
    expect(verifyCertificate(org.publicKey, signed)).toEqual({ v: 1, type: 'officer-key', ...base })
    // An independent check with libsodium of exactly what is signed.
    const parsed = JSON.parse(signed) as Record<string, unknown>
    const sig = fromBase64(parsed.sig as string)
    delete parsed.sig
    const bytes = utf8Encode(CERTIFICATE_PREFIX + canonicalJson(parsed))
    expect(sodium.crypto_sign_verify_detached(sig, bytes, org.publicKey)).toBe(true)
    expect(CERTIFICATE_PREFIX).toBe('whistle/cert/v1\0')
  })

  it('refuses another org key, any changed member, extra members and other versions', () => {
    const signed = signCertificate(base, org.secretKey)
    expectCode(() => verifyCertificate(generateOrgKey().publicKey, signed), 'bad-signature')
    const other = generateOfficerKeys()
    const swapped = signed.replace(base.signPublicKey, toBase64(other.sign.publicKey))
    expectCode(() => verifyCertificate(org.publicKey, swapped), 'bad-signature')
    const roles = signed.replace('["officer"]', '["admin","officer"]')
    expectCode(() => verifyCertificate(org.publicKey, roles), 'bad-signature')
    const extra = signed.replace('{', '{"a":1,')
    expectCode(() => verifyCertificate(org.publicKey, extra), 'bad-format')
    expectCode(
      () => verifyCertificate(org.publicKey, signed.replace('"v":1', '"v":2')),
      'bad-version'
    )
    expectCode(() => verifyCertificate(org.publicKey, `${signed} `), 'bad-format')
    // A revocation's signature does not make a certificate (different prefix and type).
    const rev = signRevocation(
      { accountId: 'officer-1', signPublicKey: base.signPublicKey, revokedAt: base.notBefore },
      org.secretKey
    )
    expectCode(() => verifyCertificate(org.publicKey, rev), 'bad-format')
  })

  it('refuses to sign malformed statements', () => {
    expectCode(() => signCertificate({ ...base, roles: [] }, org.secretKey), 'bad-format')
    expectCode(
      () => signCertificate({ ...base, boxPublicKey: 'AAAA' }, org.secretKey),
      'bad-format'
    )
    expectCode(
      () => signCertificate({ ...base, notAfter: '2025-01-01T00:00:00.000Z' }, org.secretKey),
      'bad-format'
    )
    expectCode(() => signCertificate(base, org.secretKey.subarray(0, 32)), 'bad-key')
  })

  it('revocations verify only with the org key and only unchanged', () => {
    const r = {
      accountId: 'officer-1',
      signPublicKey: base.signPublicKey,
      revokedAt: '2026-02-01T00:00:00.000Z',
    }
    const signed = signRevocation(r, org.secretKey)
    expect(verifyRevocation(org.publicKey, signed)).toEqual({ v: 1, type: 'revocation', ...r })
    expectCode(() => verifyRevocation(generateOrgKey().publicKey, signed), 'bad-signature')
    const later = signed.replace('2026-02-01', '2026-03-01')
    expectCode(() => verifyRevocation(org.publicKey, later), 'bad-signature')
  })

  it('the org key comes back from its seed, and has a fingerprint in hex and words', () => {
    const again = orgKeyFromSeed(org.seed)
    expect(toBase64(again.publicKey)).toBe(toBase64(org.publicKey))
    expect(orgFingerprint(org.publicKey)).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/)
    expect(orgFingerprint(org.publicKey, 'words').split(' ')).toHaveLength(10)
    expect(orgFingerprint(org.publicKey)).not.toBe(orgFingerprint(generateOrgKey().publicKey))
  })
})

describe('certifiedSignerLookup', () => {
  const cert = signCertificate({ ...base, notAfter: '2027-01-01T00:00:00.000Z' }, org.secretKey)
  const author = { role: 'officer' as const, id: 'officer-1' }

  it('gives the certified key only inside the validity and before a revocation', () => {
    const revoked = signRevocation(
      {
        accountId: 'officer-1',
        signPublicKey: base.signPublicKey,
        revokedAt: '2026-06-01T00:00:00Z',
      },
      org.secretKey
    )
    const lookup = certifiedSignerLookup(org.publicKey, [cert], [revoked])
    expect(lookup(author, '2026-03-01T00:00:00Z')).toEqual(officer.sign.publicKey)
    expect(lookup(author, '2025-12-31T23:59:59Z')).toBeUndefined()
    expect(lookup(author, '2026-06-01T00:00:00Z')).toBeUndefined()
    expect(lookup(author, '2027-02-01T00:00:00Z')).toBeUndefined()
    expect(lookup({ role: 'officer', id: 'someone-else' }, '2026-03-01T00:00:00Z')).toBeUndefined()
    expect(lookup({ role: 'reporter' }, '2026-03-01T00:00:00Z')).toBeUndefined()
  })

  it('ignores certificates and revocations signed by another key, and no org key means no key', () => {
    const mallory = generateOrgKey()
    const forged = signCertificate({ ...base, accountId: 'forged' }, mallory.secretKey)
    const forgedRevocation = signRevocation(
      { accountId: 'officer-1', signPublicKey: base.signPublicKey, revokedAt: base.notBefore },
      mallory.secretKey
    )
    const lookup = certifiedSignerLookup(org.publicKey, [cert, forged, 'junk'], [forgedRevocation])
    expect(lookup({ role: 'officer', id: 'forged' }, '2026-03-01T00:00:00Z')).toBeUndefined()
    expect(lookup(author, '2026-03-01T00:00:00Z')).toEqual(officer.sign.publicKey)
    expect(certifiedSignerLookup(undefined, [cert], [])(author, '2026-03-01T00:00:00Z')).toBe(
      undefined
    )
  })

  it('a certificate issued after a revocation certifies the key again from its notBefore', () => {
    const revokedAt = '2026-06-01T00:00:00.000Z'
    const revoked = signRevocation(
      { accountId: 'officer-1', signPublicKey: base.signPublicKey, revokedAt },
      org.secretKey
    )
    const again = signCertificate(
      { ...base, notBefore: '2026-07-01T00:00:00.000Z', issuedAt: '2026-07-01T00:00:00.000Z' },
      org.secretKey
    )
    const lookup = certifiedSignerLookup(org.publicKey, [cert, again], [revoked])
    expect(lookup(author, '2026-05-01T00:00:00Z')).toEqual(officer.sign.publicKey)
    expect(lookup(author, '2026-06-15T00:00:00Z')).toBeUndefined()
    expect(lookup(author, '2026-07-02T00:00:00Z')).toEqual(officer.sign.publicKey)
  })

  it('needs the officer role in the certificate', () => {
    const adminOnly = signCertificate({ ...base, roles: ['admin'] }, org.secretKey)
    const lookup = certifiedSignerLookup(org.publicKey, [adminOnly], [])
    expect(lookup(author, '2026-03-01T00:00:00Z')).toBeUndefined()
  })
})

describe('checkCertifiedRecipient', () => {
  const cert = signCertificate(base, org.secretKey)
  const recipient = {
    id: 'officer-1',
    boxPublicKey: base.boxPublicKey,
    signPublicKey: base.signPublicKey,
    certificate: cert,
  }
  const now = new Date('2026-03-01T00:00:00Z')

  it('accepts the certified keys and refuses a swapped box key or another account', () => {
    expect(checkCertifiedRecipient(org.publicKey, recipient, now).accountId).toBe('officer-1')
    const other = generateOfficerKeys()
    expectCode(
      () =>
        checkCertifiedRecipient(
          org.publicKey,
          { ...recipient, boxPublicKey: toBase64(other.box.publicKey) },
          now
        ),
      'bad-key'
    )
    expectCode(
      () => checkCertifiedRecipient(org.publicKey, { ...recipient, id: 'officer-2' }, now),
      'bad-key'
    )
    expectCode(
      () => checkCertifiedRecipient(generateOrgKey().publicKey, recipient, now),
      'bad-signature'
    )
    const expiring = signCertificate(
      { ...base, notAfter: '2026-02-01T00:00:00.000Z' },
      org.secretKey
    )
    expectCode(
      () => checkCertifiedRecipient(org.publicKey, { ...recipient, certificate: expiring }, now),
      'bad-key'
    )
    const admin = signCertificate({ ...base, roles: ['admin'] }, org.secretKey)
    expectCode(
      () => checkCertifiedRecipient(org.publicKey, { ...recipient, certificate: admin }, now),
      'bad-key'
    )
  })
})
