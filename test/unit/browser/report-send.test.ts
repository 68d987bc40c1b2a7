import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import {
  decryptAttachment,
  formatFingerprint,
  fromBase64,
  generateOfficerKeys,
  generateOrgKey,
  itemHash,
  keyFingerprint,
  signCertificate,
  openGrant,
  openItem,
  toBase64,
  toHex,
  type ReceiptKeys,
} from '../../../crypto'
import { createApi } from '../../../src/browser/http'
import { addItem } from '../../../src/browser/items'
import {
  LocalCryptoError,
  attachmentJobs,
  buildReportRequest,
  recipientsCertified,
  sendAttachments,
  submitReport,
} from '../../../src/browser/report-send'
import type { ReporterPageConfig } from '../../../src/report/api'
import { blobData, fakeServer } from './fake-server'

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

describe('submitReport + sendAttachments', () => {
  it('posts the report, then one attachment item per file with seq 2, 3', async () => {
    const a = officer('o1')
    const server = fakeServer()
    const api = createApi(server.fetch)
    const keys = receiptKeys()
    const ctx = await submitReport(api, config([a.entry]), keys, {
      answers: { what: 'x' },
      anonymity: 'anonymous',
      attachments: 2,
    })
    expect(api.token).toBe('tok')
    const files = [new Uint8Array(nacl.randomBytes(70000)), new Uint8Array(nacl.randomBytes(10))]
    const jobs = attachmentJobs(
      files.map((d, i) => ({ data: new Blob([d]), name: `f${i}.bin`, type: '' }))
    )
    await sendAttachments(api, ctx, jobs, { maxPieceBytes: 65552 })
    expect(server.items.map((i) => [i.seq, i.kind])).toEqual([
      [2, 'attachment'],
      [3, 'attachment'],
    ])
    const report = server.reports[0] as {
      grants: { sealedKey: string }[]
      casePublicKey: string
      caseId: string
    }
    const cpk = fromBase64(report.casePublicKey)
    const csk = openGrant(
      fromBase64(report.grants[0]!.sealedKey),
      a.keys.box.publicKey,
      a.keys.box.secretKey,
      cpk
    )
    server.items.forEach((item, n) => {
      const { envelope, verified } = openItem(fromBase64(item.sealed), cpk, csk, {
        caseId: report.caseId,
        seq: item.seq,
        itemId: item.itemId,
        signerPublicKey: keys.sign.publicKey,
      })
      expect(verified).toBe(true)
      const file = (envelope.body as { files: { blobId: string; chunks: number }[] }).files[0]!
      expect(item.blobIds).toEqual([file.blobId])
      const stored = blobData(server, file.blobId)
      const frames = Array.from({ length: file.chunks }, (_, i) =>
        stored.subarray(i * 65552, (i + 1) * 65552)
      )
      expect(decryptAttachment(frames, file as never)).toEqual(files[n])
    })
    for (const r of server.requests) expect(String(r.body ?? '')).not.toContain('f0.bin')
  })

  it('re-seals an item for the next free seq on 409 seq-taken', async () => {
    const server = fakeServer()
    server.lastSeq = 4
    const kp = nacl.box.keyPair()
    const sign = nacl.sign.keyPair()
    // The thread as re-read after the race: item 4 is the head the new item must name.
    const head4 = toBase64(nacl.randomBytes(32))
    let rereads = 0
    const ctx = {
      caseId: 'case-1',
      casePublicKey: kp.publicKey,
      signSecretKey: sign.secretKey,
      lastSeq: 1,
      lastHash: toBase64(nacl.randomBytes(32)),
      reread: () => {
        rereads++
        return Promise.resolve({ seq: server.lastSeq, hash: head4 })
      },
    }
    const seq = await addItem(createApi(server.fetch), ctx, 'message', { text: 'hi' })
    expect(seq).toBe(5)
    expect(rereads).toBe(1)
    expect(ctx.lastSeq).toBe(5)
    expect(ctx.lastHash).toBe(itemHash(fromBase64(server.items[0]!.sealed)))
    const item = server.items[0]!
    const { envelope, verified } = openItem(fromBase64(item.sealed), kp.publicKey, kp.secretKey, {
      caseId: 'case-1',
      seq: 5,
      signerPublicKey: sign.publicKey,
    })
    expect(verified).toBe(true)
    expect(envelope.body).toEqual({ text: 'hi' })
    expect(envelope.prev).toBe(head4)
  })
})
