// The reporter's JSON API, driven the way the browser bundle drives it (crypto/ in Node).
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createAttachmentEncryptor,
  decryptAttachment,
  parseManifest,
} from '../../crypto/attachment'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { itemHash, openItem, sealItem } from '../../crypto/item'
import { openGrant } from '../../crypto/keys'
import type { ReceiptKeys } from '../../crypto/receipt'
import type { CaseView } from '../../src/report/api'
import { buildClientReport, reporterPageConfig } from '../helpers/reporter-api'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { certifiedKeyIn } from '../helpers/org'
import { sqliteFilesContain } from '../helpers/db-scan'
import { addOfficer, officerReadCase, officerReply, type TestOfficer } from '../helpers/officer'

let t: TestApp
let officer: TestOfficer
beforeEach(async () => {
  t = await makeTestApp()
  officer = await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

const id = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')

const pageConfig = () => reporterPageConfig(t)
const buildReport = buildClientReport

function post(path: string, body: unknown, token?: string) {
  return t.app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'Content-Type': 'application/json',
      Origin: TEST_ORIGIN,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
  })
}

async function login(keys: ReceiptKeys) {
  return post('/api/status/login', { authKey: toBase64(keys.authKey) })
}

describe('reporter JSON API', () => {
  it('stores a client-sealed report that only the officer and the reporter can open', async () => {
    const sentinel = `SENTINEL-api-${Date.now()}`
    const { request, keys, caseId } = await buildReport(await pageConfig(), sentinel)
    const res = await post('/api/report', request)
    expect(res.status).toBe(201)
    const body = (await res.json()) as { caseId: string; token: string; lastSeq: number }
    expect(body).toMatchObject({ caseId, lastSeq: 1 })
    expect(res.headers.get('Set-Cookie')).toBeNull()

    const stored = (await t.store.cases.get(caseId))!
    expect(stored).toMatchObject({ encMode: 'client', channel: 'web', state: 'received' })
    expect(sqliteFilesContain(join(t.dir, 'portal.sqlite'), sentinel)).toBe(false)
    const { envelopes } = await officerReadCase(t.store, caseId, officer)
    expect(JSON.stringify(envelopes[0]!.body)).toContain(sentinel)
    expect(envelopes[0]!.verified).toBe(true)

    // The reporter comes back: the view carries the grant, and the reporter's keys open it.
    await officerReply(t.store, caseId, officer, 'We are looking into it.')
    const view = (await (await login(keys)).json()) as CaseView
    expect(view.caseId).toBe(caseId)
    expect(view.internalSeqs).toEqual([])
    const csk = openGrant(fromBase64(view.grant), keys.box.publicKey, keys.box.secretKey)
    const officerKey = certifiedKeyIn(view, officer.account.id)
    const opened = view.items.map((i) =>
      openItem(fromBase64(i.sealed), fromBase64(view.casePublicKey), csk, {
        caseId,
        seq: i.seq,
        signerPublicKey: (a) =>
          a.role === 'officer' ? officerKey : fromBase64(view.reporterSignPublicKey),
      })
    )
    expect(opened.map((o) => [o.envelope.seq, o.verified])).toEqual([
      [1, true],
      [2, true],
    ])
    expect((opened[1]!.envelope.body as { text: string }).text).toBe('We are looking into it.')
  })

  it('refuses a request that carries a plaintext field', async () => {
    const { request } = await buildReport(await pageConfig(), 'x')
    for (const leak of [
      { ...request, q_what: 'plain text' },
      { ...request, answers: { ...request.answers, text: 'plain' } },
      { ...request, reporter: { ...request.reporter, name: 'Ivan' } },
    ]) {
      const res = await post('/api/report', leak)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: 'plaintext-field' })
    }
    expect((await t.store.cases.list({}, 1, 10)).total).toBe(0)
  })

  it('refuses malformed ciphertext fields and form posts', async () => {
    const { request } = await buildReport(await pageConfig(), 'x')
    expect((await post('/api/report', { ...request, casePublicKey: 'not base64!' })).status).toBe(
      400
    )
    expect((await post('/api/report', { ...request, caseId: '../../etc' })).status).toBe(400)
    const form = await t.app.request('/api/report', {
      method: 'POST',
      body: new URLSearchParams({ q_what: 'x' }),
      headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(form.status).toBe(400)
  })

  it('insists the case key reaches every officer', async () => {
    const config = await pageConfig()
    await addOfficer(t.store, 'second') // joins after the page was loaded
    const { request } = await buildReport(config, 'x')
    const res = await post('/api/report', request)
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: 'officers-changed' })
  })

  it('uploads an attachment in resumable, idempotent pieces and adds its manifest', async () => {
    const { request, keys, caseKeys, caseId } = await buildReport(await pageConfig(), 'with a file')
    const { token } = (await (await post('/api/report', request)).json()) as { token: string }

    const data = new Uint8Array(randomBytes(300_000))
    const enc = createAttachmentEncryptor()
    const frames: Uint8Array[] = []
    for (let off = 0; off === 0 || off < data.length; off += 65536) {
      const end = Math.min(off + 65536, data.length)
      frames.push(enc.encryptChunk(data.subarray(off, end), end === data.length))
    }
    const blobId = id()
    expect((await post('/api/r/blobs', { blobId }, token)).status).toBe(201)
    expect((await post('/api/r/blobs', { blobId }, token)).status).toBe(409)
    const put = (i: number) =>
      t.app.request(`/api/r/blobs/${blobId}/${i}`, {
        method: 'PUT',
        body: Buffer.from(frames[i]!),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      })
    expect((await put(0)).status).toBe(204)
    expect((await put(2)).status).toBe(204)
    expect((await put(2)).status).toBe(204) // a retried piece is a no-op
    const incomplete = await post(
      `/api/r/blobs/${blobId}/complete`,
      { count: frames.length },
      token
    )
    expect(incomplete.status).toBe(400)
    const resume = (await (
      await t.app.request(`/api/r/blobs/${blobId}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { pieces: number[] }
    expect(resume.pieces).toEqual([0, 2])
    for (let i = 0; i < frames.length; i++) {
      if (!resume.pieces.includes(i)) expect((await put(i)).status).toBe(204)
    }
    const done = await post(`/api/r/blobs/${blobId}/complete`, { count: frames.length }, token)
    expect(done.status).toBe(200)

    const manifest = enc.manifest({ name: 'scan.pdf', type: 'application/pdf', ref: blobId })
    const itemId = id()
    const sealed = sealItem(
      {
        caseId,
        itemId,
        seq: 2,
        prev: itemHash(fromBase64(request.answers.sealed)),
        author: { role: 'reporter' },
        createdAt: new Date().toISOString(),
        type: 'attachment',
        body: { files: [manifest] },
      },
      caseKeys.publicKey,
      keys.sign.secretKey
    )
    const item = { itemId, seq: 2, kind: 'attachment', sealed: toBase64(sealed), blobIds: [blobId] }
    expect((await post('/api/r/items', item, token)).status).toBe(201)
    const taken = await post('/api/r/items', { ...item, itemId: id() }, token)
    expect(taken.status).toBe(409)
    expect(await taken.json()).toMatchObject({ error: 'seq-taken', lastSeq: 2 })

    // The officer opens the manifest and the ciphertext, byte for byte.
    const { envelopes } = await officerReadCase(t.store, caseId, officer)
    const m = parseManifest((envelopes[1]!.body as { files: unknown[] }).files[0])
    const download = await t.app.request(`/api/r/blobs/${blobId}/data`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    const all = Buffer.from(await download.arrayBuffer())
    const got: Uint8Array[] = []
    for (let off = 0; off < all.length; off += m.chunkSize + 16) {
      got.push(all.subarray(off, off + m.chunkSize + 16))
    }
    expect(Buffer.from(decryptAttachment(got, m)).equals(Buffer.from(data))).toBe(true)
  })

  it('keeps every /api/r route behind the bearer token, scoped to its own case', async () => {
    const a = await buildReport(await pageConfig(), 'a')
    const b = await buildReport(await pageConfig(), 'b')
    const tokenA = ((await (await post('/api/report', a.request)).json()) as { token: string })
      .token
    const tokenB = ((await (await post('/api/report', b.request)).json()) as { token: string })
      .token
    expect((await t.app.request('/api/r/case')).status).toBe(401)
    expect(
      (await t.app.request('/api/r/case', { headers: { Authorization: 'Bearer nope' } })).status
    ).toBe(401)
    const blobId = id()
    expect((await post('/api/r/blobs', { blobId }, tokenA)).status).toBe(201)
    const other = await t.app.request(`/api/r/blobs/${blobId}`, {
      headers: { Authorization: `Bearer ${tokenB}` },
    })
    expect(other.status).toBe(404)
    const view = (await (
      await t.app.request('/api/r/case', { headers: { Authorization: `Bearer ${tokenB}` } })
    ).json()) as CaseView
    expect(view.caseId).toBe(b.caseId)
  })
})
