// The browser's report submission and thread writes (src/browser/report-send.ts, items.ts)
// against the real app: what the officer then reads from the store is what the browser sealed.
import nacl from 'tweetnacl'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decryptAttachment, itemHash, type ReceiptKeys } from '../../crypto'
import { createApi } from '../../src/browser/http'
import { addItem } from '../../src/browser/items'
import { attachmentJobs, sendAttachments, submitReport } from '../../src/browser/report-send'
import { makeTestApp, type TestApp } from '../helpers/app'
import { appFetch, storedBlob } from '../helpers/app-fetch'
import { addOfficer, officerReadCase, type TestOfficer } from '../helpers/officer'
import { reporterPageConfig } from '../helpers/reporter-api'

const FRAME = 65552

function receiptKeys(): ReceiptKeys {
  return { authKey: nacl.randomBytes(32), box: nacl.box.keyPair(), sign: nacl.sign.keyPair() }
}

let t: TestApp
let officer: TestOfficer
beforeEach(async () => {
  t = await makeTestApp()
  officer = await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

describe('submitReport + sendAttachments', () => {
  it('posts the report, then one attachment item per file with seq 2, 3', async () => {
    const server = appFetch(t)
    const api = createApi(server.fetch)
    const ctx = await submitReport(api, await reporterPageConfig(t), receiptKeys(), {
      answers: { what: 'x' },
      anonymity: 'anonymous',
      attachments: 2,
    })
    expect(api.token).toEqual(expect.any(String))
    const files = [new Uint8Array(nacl.randomBytes(70000)), new Uint8Array(nacl.randomBytes(10))]
    const jobs = attachmentJobs(
      files.map((d, i) => ({ data: new Blob([d]), name: `f${i}.bin`, type: '' }))
    )
    await sendAttachments(api, ctx, jobs, { maxPieceBytes: 2 * FRAME })

    // The officer opens the thread with their own grant; every item verifies.
    const { envelopes } = await officerReadCase(t.store, ctx.caseId, officer)
    expect(envelopes.map((e) => [e.seq, e.type, e.verified])).toEqual([
      [1, 'answers', true],
      [2, 'attachment', true],
      [3, 'attachment', true],
    ])
    for (const [n, envelope] of envelopes.slice(1).entries()) {
      const file = (envelope.body as { files: { blobId: string; chunks: number }[] }).files[0]!
      expect((await t.store.blobs.info(file.blobId))?.caseId).toBe(ctx.caseId)
      const stored = await storedBlob(t.store, file.blobId)
      const frames = Array.from({ length: file.chunks }, (_, i) =>
        stored.subarray(i * FRAME, (i + 1) * FRAME)
      )
      expect(decryptAttachment(frames, file as never)).toEqual(files[n])
    }
    for (const r of server.requests) expect(String(r.body ?? '')).not.toContain('f0.bin')
  })

  it('re-seals an item for the next free seq on 409 seq-taken', async () => {
    const api = createApi(appFetch(t).fetch)
    const ctx = await submitReport(api, await reporterPageConfig(t), receiptKeys(), {
      answers: { what: 'x' },
      anonymity: 'anonymous',
      attachments: 0,
    })
    // Another tab of the same reporter wrote items 2 to 4 meanwhile; this one still sees item 1.
    const stale = { ...ctx }
    let rereads = 0
    stale.reread = () => (rereads++, ctx.reread())
    for (const n of [2, 3, 4]) await addItem(api, ctx, 'message', { text: `tab ${n}` })

    const seq = await addItem(api, stale, 'message', { text: 'hi' })
    expect(seq).toBe(5)
    expect(rereads).toBe(1)
    expect(stale.lastSeq).toBe(5)
    const items = await t.store.items.list(ctx.caseId)
    expect(stale.lastHash).toBe(itemHash(items[4]!.sealed))
    const { envelopes } = await officerReadCase(t.store, ctx.caseId, officer)
    expect(envelopes[4]).toMatchObject({ seq: 5, verified: true, body: { text: 'hi' } })
    // The re-sealed item names the head it found on re-reading: item 4, another tab's.
    expect(envelopes[4]!.prev).toBe(itemHash(items[3]!.sealed))
  })
})
