// Officers' attachments through app.request: the resumable upload routes scoped to a case the
// officer holds, the browser's own upload and item code (src/browser/officer-files.ts) run in
// Node against them, the reporter decrypting a reply's file, and a note's file never reaching
// the reporter's API.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decryptAttachmentStream, type AttachmentManifest } from '../../crypto/attachment'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { openItem } from '../../crypto/item'
import { generateCaseKeyPair, grantCaseKey, openGrant } from '../../crypto/keys'
import { createOfficerApi } from '../../src/browser/officer-http'
import { headOf } from '../../src/browser/chain'
import { addAttachmentItem, uploadCaseFiles } from '../../src/browser/officer-files'
import { DEFAULT_PIECE_BYTES } from '../../src/browser/upload'
import type { OfficerCaseView } from '../../src/officer/api'
import type { CaseView } from '../../src/report/api'
import { MAX_PIECE_BYTES } from '../../src/report/service'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'

let t: TestApp
let officer: TestStaff
let cookie: string

async function setup(env?: Record<string, string>) {
  t = await makeTestApp(env ? { env } : {})
  officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena' })
  cookie = await loginAs(t, officer.account)
}
beforeEach(async () => {
  await setup()
})
afterEach(async () => {
  await t.close()
})

const id = () => randomBytes(16).toString('base64url')
const blobs = (caseId: string) => `/officer/api/cases/${caseId}/blobs`

function send(method: string, path: string, body?: unknown, as = cookie) {
  const binary = body instanceof Uint8Array
  return t.app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: binary ? (body as unknown as BodyInit) : JSON.stringify(body) }),
    headers: {
      'Content-Type': binary ? 'application/octet-stream' : 'application/json',
      Accept: 'application/json',
      Origin: TEST_ORIGIN,
      Cookie: as,
    },
  })
}

/** The officer page's API client, its requests answered by the app with this session. */
function officerApi(as = cookie) {
  return createOfficerApi((path, init) => {
    const { credentials: _c, cache: _k, ...rest } = init ?? {}
    return Promise.resolve(
      t.app.request(path, {
        ...rest,
        headers: { ...(rest.headers as Record<string, string>), Cookie: as, Origin: TEST_ORIGIN },
      })
    )
  })
}

async function officerView(caseId: string): Promise<OfficerCaseView> {
  const res = await send('GET', `/officer/api/cases/${caseId}`)
  expect(res.status).toBe(200)
  return (await res.json()) as OfficerCaseView
}

function caseKey(view: OfficerCaseView) {
  const casePublicKey = fromBase64(view.casePublicKey)
  const secretKey = openGrant(
    fromBase64(view.grant),
    officer.keys.box.publicKey,
    officer.keys.box.secretKey,
    casePublicKey
  )
  return { publicKey: casePublicKey, secretKey }
}

const me = () => ({
  accountId: officer.account.id,
  keys: officer.keys,
})

async function reporterCase(token: string): Promise<CaseView> {
  const res = await t.app.request('/api/r/case', {
    headers: { Authorization: `Bearer ${token}`, Origin: TEST_ORIGIN },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as CaseView
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const p of stream) parts.push(p)
  return new Uint8Array(Buffer.concat(parts))
}

describe('officer upload routes', () => {
  it('should take the same pieces as the reporter’s browser sends them', () => {
    expect(DEFAULT_PIECE_BYTES).toBe(MAX_PIECE_BYTES)
  })

  it('should upload a reply’s file that the reporter decrypts byte for byte, and audit it', async () => {
    const report = await submitClientReport(t, 'x')
    const view = await officerView(report.caseId)
    const plain = new Uint8Array(randomBytes(200_000))
    const api = officerApi()
    const uploaded = await uploadCaseFiles(api, report.caseId, [
      { data: new Blob([plain]), name: 'scan.pdf', type: 'application/pdf' },
    ])
    const seq = await addAttachmentItem(
      api,
      {
        caseId: report.caseId,
        me: me(),
        purpose: 'reply',
        toPublicKey: caseKey(view).publicKey,
        lastSeq: view.lastSeq,
        lastHash: headOf(view.items).hash,
      },
      uploaded
    )
    expect(seq).toBe(2)

    // The reporter, with the receipt's keys only.
    const r = await reporterCase(report.token)
    const item = r.items.find((i) => i.kind === 'attachment')!
    expect(item).toMatchObject({ authorRole: 'officer', seq: 2 })
    const csk = openGrant(fromBase64(r.grant), report.keys.box.publicKey, report.keys.box.secretKey)
    const opened = openItem(fromBase64(item.sealed), fromBase64(r.casePublicKey), csk, {
      caseId: report.caseId,
      seq: 2,
      signerPublicKey: officer.keys.sign.publicKey,
    })
    expect(opened.verified).toBe(true)
    const file = (opened.envelope.body as { files: (AttachmentManifest & { blobId: string })[] })
      .files[0]!
    expect(file).toMatchObject({ name: 'scan.pdf', blobId: uploaded[0]!.blobId })
    const data = await t.app.request(`/api/r/blobs/${file.blobId}/data`, {
      headers: { Authorization: `Bearer ${report.token}` },
    })
    expect(data.status).toBe(200)
    const cipher = new Uint8Array(await data.arrayBuffer())
    expect(Buffer.from(await collect(decryptAttachmentStream([cipher], file)))).toEqual(
      Buffer.from(plain)
    )
    const audit = await t.store.audit.listForSubject(report.caseId)
    expect(audit.find((e) => e.action === 'case.attach')).toMatchObject({
      actorId: officer.account.id,
      details: { blobId: file.blobId, size: cipher.length },
    })
    expect(audit.find((e) => e.action === 'case.reply')?.details).toMatchObject({ files: 1 })
  })

  it('should resume: list what arrived, take a repeated piece once, refuse an early complete', async () => {
    const { caseId } = await submitClientReport(t, 'x')
    const blobId = id()
    expect((await send('POST', blobs(caseId), { blobId })).status).toBe(201)
    expect((await send('POST', blobs(caseId), { blobId })).status).toBe(409)
    expect((await send('POST', blobs(caseId), { blobId, name: 'x' })).status).toBe(400)
    const p0 = new Uint8Array(randomBytes(1000))
    const p1 = new Uint8Array(randomBytes(500))
    expect((await send('PUT', `${blobs(caseId)}/${blobId}/1`, p1)).status).toBe(204)
    expect(await (await send('GET', `${blobs(caseId)}/${blobId}`)).json()).toEqual({
      pieces: [1],
      complete: false,
    })
    const early = await send('POST', `${blobs(caseId)}/${blobId}/complete`, { count: 2 })
    expect(early.status).toBe(400)
    expect(await early.json()).toMatchObject({ error: 'incomplete' })
    for (let i = 0; i < 2; i++) {
      expect((await send('PUT', `${blobs(caseId)}/${blobId}/0`, p0)).status).toBe(204)
    }
    expect((await send('PUT', `${blobs(caseId)}/${blobId}/x`, p0)).status).toBe(400)
    expect(await (await send('GET', `${blobs(caseId)}/${blobId}`)).json()).toEqual({
      pieces: [0, 1],
      complete: false,
    })
    const done = await send('POST', `${blobs(caseId)}/${blobId}/complete`, { count: 2 })
    expect(done.status).toBe(200)
    expect(await done.json()).toMatchObject({ size: 1500 })
    const back = await send('GET', `${blobs(caseId)}/${blobId}/data`)
    expect(Buffer.from(await back.arrayBuffer())).toEqual(Buffer.concat([p0, p1]))
  })

  it('should refuse a blob of another case, on the routes and in an item', async () => {
    const a = await submitClientReport(t, 'a')
    const b = await submitClientReport(t, 'b')
    const blobId = id()
    expect((await send('POST', blobs(a.caseId), { blobId })).status).toBe(201)
    const piece = new Uint8Array(randomBytes(100))
    expect((await send('PUT', `${blobs(b.caseId)}/${blobId}/0`, piece)).status).toBe(404)
    expect((await send('GET', `${blobs(b.caseId)}/${blobId}`)).status).toBe(404)
    expect((await send('PUT', `${blobs(a.caseId)}/${blobId}/0`, piece)).status).toBe(204)
    expect((await send('POST', `${blobs(b.caseId)}/${blobId}/complete`, { count: 1 })).status).toBe(
      404
    )
    expect((await send('POST', `${blobs(a.caseId)}/${blobId}/complete`, { count: 1 })).status).toBe(
      200
    )
    // Named in an item of case b: refused before anything is stored.
    const view = await officerView(b.caseId)
    const api = officerApi()
    await expect(
      addAttachmentItem(
        api,
        {
          caseId: b.caseId,
          me: me(),
          purpose: 'reply',
          toPublicKey: caseKey(view).publicKey,
          lastSeq: view.lastSeq,
          lastHash: headOf(view.items).hash,
        },
        [
          {
            blobId,
            manifest: {} as AttachmentManifest,
          },
        ]
      )
    ).rejects.toMatchObject({ status: 400, code: 'incomplete' })
    expect((await t.store.items.list(b.caseId)).length).toBe(1)
    // A blob of the reporter's own case but not complete: refused too.
    const open = id()
    await send('POST', blobs(b.caseId), { blobId: open })
    const res = await send('POST', `/officer/api/cases/${b.caseId}/items`, {
      itemId: id(),
      seq: 2,
      kind: 'attachment',
      sealed: 'AAAA',
      blobIds: [open],
    })
    expect(res.status).toBe(400)
  })

  it('should answer 404 to an officer without a grant and 403 to management', async () => {
    const { caseId } = await submitClientReport(t, 'x')
    const blobId = id()
    expect((await send('POST', blobs(caseId), { blobId })).status).toBe(201)
    const late = await addStaff(t.store, { roles: ['officer'] })
    const lateCookie = await loginAs(t, late.account)
    expect((await send('POST', blobs(caseId), { blobId: id() }, lateCookie)).status).toBe(404)
    expect((await send('GET', `${blobs(caseId)}/${blobId}`, undefined, lateCookie)).status).toBe(
      404
    )
    const piece = new Uint8Array(randomBytes(10))
    expect((await send('PUT', `${blobs(caseId)}/${blobId}/0`, piece, lateCookie)).status).toBe(404)
    expect(
      (await send('POST', `${blobs(caseId)}/${blobId}/complete`, { count: 1 }, lateCookie)).status
    ).toBe(404)
    const boss = await addStaff(t.store, { roles: ['management'] })
    const bossCookie = await loginAs(t, boss.account)
    expect((await send('POST', blobs(caseId), { blobId: id() }, bossCookie)).status).toBe(403)
    expect((await send('PUT', `${blobs(caseId)}/${blobId}/0`, piece, bossCookie)).status).toBe(403)
    expect(await t.store.blobs.pieces(blobId)).toEqual([])
  })

  it('should refuse a file or a case over its size limit (413)', async () => {
    await t.close()
    await setup({ MAX_FILE_MB: '1', MAX_REPORT_MB: '3' })
    const { caseId } = await submitClientReport(t, 'x')
    const piece = new Uint8Array(MAX_PIECE_BYTES)
    const tooBigPiece = new Uint8Array(MAX_PIECE_BYTES + 1)
    const big = id()
    expect((await send('POST', blobs(caseId), { blobId: big })).status).toBe(201)
    expect((await send('PUT', `${blobs(caseId)}/${big}/0`, tooBigPiece)).status).toBe(413)
    for (const i of [0, 1]) {
      expect((await send('PUT', `${blobs(caseId)}/${big}/${i}`, piece)).status).toBe(204)
    }
    // Two pieces are over one file's limit: refused and dropped.
    expect((await send('POST', `${blobs(caseId)}/${big}/complete`, { count: 2 })).status).toBe(413)
    expect(await t.store.blobs.info(big)).toBeNull()
    // Three pieces fit the case's limit, a fourth does not.
    const many = id()
    await send('POST', blobs(caseId), { blobId: many })
    for (const i of [0, 1, 2]) {
      expect((await send('PUT', `${blobs(caseId)}/${many}/${i}`, piece)).status).toBe(204)
    }
    expect((await send('PUT', `${blobs(caseId)}/${many}/3`, piece)).status).toBe(413)
  })

  it('should keep a note’s file from the reporter: sealed to the note key, filed as a note', async () => {
    const report = await submitClientReport(t, 'x')
    let view = await officerView(report.caseId)
    const noteKeys = generateCaseKeyPair()
    const made = await send('POST', `/officer/api/cases/${report.caseId}/note-key`, {
      notePublicKey: toBase64(noteKeys.publicKey),
      grants: view.grantees.map((g) => ({
        officerId: g.id,
        sealedNoteKey: toBase64(grantCaseKey(noteKeys.secretKey, fromBase64(g.boxPublicKey))),
      })),
    })
    expect(made.status).toBe(201)
    const api = officerApi()
    const uploaded = await uploadCaseFiles(api, report.caseId, [
      { data: new Blob([new Uint8Array(randomBytes(3000))]), name: 'memo.txt', type: 'text/plain' },
    ])
    await addAttachmentItem(
      api,
      {
        caseId: report.caseId,
        me: me(),
        purpose: 'note',
        toPublicKey: noteKeys.publicKey,
        lastSeq: view.lastSeq,
        lastHash: headOf(view.items).hash,
      },
      uploaded
    )
    const r = await reporterCase(report.token)
    expect(r.items.map((i) => i.kind)).toEqual(['answers'])
    expect(r.internalSeqs).toEqual([2])
    expect(JSON.stringify(r)).not.toContain(uploaded[0]!.blobId)
    // Officers open it with the note key; the case key the reporter holds does not open it.
    view = await officerView(report.caseId)
    const item = view.items.find((i) => i.seq === 2)!
    expect(item.kind).toBe('note')
    const note = openItem(fromBase64(item.sealed), noteKeys.publicKey, noteKeys.secretKey, {
      caseId: report.caseId,
      seq: 2,
      signerPublicKey: officer.keys.sign.publicKey,
    })
    expect(note).toMatchObject({
      verified: true,
      envelope: { type: 'attachment', body: { files: [{ name: 'memo.txt' }] } },
    })
    const { publicKey, secretKey } = caseKey(view)
    expect(() =>
      openItem(fromBase64(item.sealed), publicKey, secretKey, { caseId: report.caseId })
    ).toThrow()
    const audit = await t.store.audit.listForSubject(report.caseId)
    expect(audit.find((e) => e.action === 'case.note')?.details).toMatchObject({ files: 1 })
  })
})
