import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import {
  formatFingerprint,
  fromBase64,
  generateOfficerKeys,
  generateOrgKey,
  keyFingerprint,
  signCertificate,
  openGrant,
  openItem,
  toBase64,
  toHex,
  type ReceiptKeys,
} from '../../../crypto'
import {
  LocalCryptoError,
  buildReportRequest,
  recipientsCertified,
} from '../../../src/browser/report-send'
import type { ReporterPageConfig } from '../../../src/report/api'

function receiptKeys(): ReceiptKeys {
  return { authKey: nacl.randomBytes(32), box: nacl.box.keyPair(), sign: nacl.sign.keyPair() }
}

const org = generateOrgKey()

function officer(id: string, style: 'hex' | 'words' | 'full' = 'hex', signer = org) {
  const keys = generateOfficerKeys()
  const fp = keyFingerprint(keys.box.publicKey, keys.sign.publicKey)
  const keyFields = {
    boxPublicKey: toBase64(keys.box.publicKey),
    signPublicKey: toBase64(keys.sign.publicKey),
  }
  const certificate = signCertificate(
    {
      accountId: id,
      ...keyFields,
      roles: ['officer'],
      notBefore: '2026-01-01T00:00:00.000Z',
      issuedAt: '2026-01-01T00:00:00.000Z',
    },
    signer.secretKey
  )
  return {
    keys,
    entry: {
      id,
      ...keyFields,
      fingerprint: style === 'full' ? toHex(fp) : formatFingerprint(fp, style),
      certificate,
    },
  }
}

function config(officers: ReporterPageConfig['officers']): ReporterPageConfig {
  return {
    officers,
    orgPublicKey: toBase64(org.publicKey),
    deploymentSalt: '00'.repeat(16),
    maxFileBytes: 1 << 20,
    maxReportBytes: 1 << 22,
    maxPieceBytes: 2 * 65552,
    formToken: 'form-token',
    lang: 'uk',
  }
}

const SENTINEL = 'SENTINEL-report-send-7f3a'

describe('buildReportRequest', () => {
  it('carries only ciphertext, public keys, the authKey and the form token', () => {
    const a = officer('o1')
    const b = officer('o2', 'words')
    const keys = receiptKeys()
    const { request } = buildReportRequest(config([a.entry, b.entry]), keys, {
      answers: { what: SENTINEL, how_known: 'work' },
      anonymity: 'confidential',
      contact: { name: `${SENTINEL}-name`, contact: 'x@example.org' },
      attachments: 0,
    })
    expect(JSON.stringify(request)).not.toContain('SENTINEL')
    expect(JSON.stringify(request)).not.toContain('example.org')
    expect(request).toMatchObject({
      v: 1,
      encMode: 'client',
      formToken: 'form-token',
      anonymity: 'confidential',
    })
    expect(request.caseId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(request.reporter.authKey).toBe(toBase64(keys.authKey))
    expect(request.grants.map((g) => `${g.granteeKind}:${g.granteeId}`)).toEqual([
      'officer:o1',
      'officer:o2',
      'reporter:reporter',
    ])

    // Every grantee opens the same case key; the officer reads the signed answers.
    const cpk = fromBase64(request.casePublicKey)
    const csk = openGrant(
      fromBase64(request.grants[1]!.sealedKey),
      b.keys.box.publicKey,
      b.keys.box.secretKey,
      cpk
    )
    openGrant(fromBase64(request.grants[2]!.sealedKey), keys.box.publicKey, keys.box.secretKey, cpk)
    const { envelope, verified } = openItem(fromBase64(request.answers.sealed), cpk, csk, {
      caseId: request.caseId,
      seq: 1,
      itemId: request.answers.itemId,
      signerPublicKey: keys.sign.publicKey,
    })
    expect(verified).toBe(true)
    expect(envelope).toMatchObject({ type: 'answers', author: { role: 'reporter' } })
    expect(envelope.body).toEqual({
      questionsVersion: 1,
      answers: { what: SENTINEL, how_known: 'work' },
      contact: { name: `${SENTINEL}-name`, contact: 'x@example.org' },
      attachments: 0,
    })
  })

  it('leaves contact details out of anonymous reports', () => {
    const a = officer('o1', 'full')
    const { request } = buildReportRequest(config([a.entry]), receiptKeys(), {
      answers: { what: 'x' },
      anonymity: 'anonymous',
      contact: { name: 'Name', contact: 'c' },
      attachments: 2,
    })
    const csk = openGrant(
      fromBase64(request.grants[0]!.sealedKey),
      a.keys.box.publicKey,
      a.keys.box.secretKey
    )
    const { envelope } = openItem(
      fromBase64(request.answers.sealed),
      fromBase64(request.casePublicKey),
      csk,
      { caseId: request.caseId }
    )
    expect(envelope.body).toEqual({ questionsVersion: 1, answers: { what: 'x' }, attachments: 2 })
  })

  it('fails closed without officers or with a key the org key did not certify', () => {
    const input = { answers: {}, anonymity: 'anonymous' as const, attachments: 0 }
    expect(() => buildReportRequest(config([]), receiptKeys(), input)).toThrow(LocalCryptoError)
    const a = officer('o1')
    const swapped = { ...a.entry, boxPublicKey: toBase64(nacl.box.keyPair().publicKey) }
    const forged = officer('o2', 'hex', generateOrgKey()).entry
    expect(recipientsCertified(toBase64(org.publicKey), [a.entry])).toBe(true)
    expect(recipientsCertified(toBase64(org.publicKey), [a.entry, swapped])).toBe(false)
    expect(recipientsCertified(toBase64(org.publicKey), [forged])).toBe(false)
    expect(recipientsCertified(undefined, [a.entry])).toBe(false)
    // Another account's certificate does not vouch for this one.
    expect(recipientsCertified(toBase64(org.publicKey), [{ ...a.entry, id: 'o3' }])).toBe(false)
    for (const bad of [swapped, forged]) {
      expect(() => buildReportRequest(config([bad]), receiptKeys(), input)).toThrow(/fingerprint/)
    }
    expect(() =>
      buildReportRequest({ ...config([a.entry]), orgPublicKey: undefined }, receiptKeys(), input)
    ).toThrow(/fingerprint/)
  })
})
