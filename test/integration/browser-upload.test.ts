// The browser's resumable upload (src/browser/upload.ts) against the real app: the reporter API
// through app.request with a real reporter session, the ciphertext read back from the store.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decryptAttachment, parseManifest } from '../../crypto'
import { createApi, type Api } from '../../src/browser/http'
import { cipherSize, newUploadState, uploadFile } from '../../src/browser/upload'
import { makeTestApp, type TestApp } from '../helpers/app'
import { appFetch, storedBlob, type AppFetch } from '../helpers/app-fetch'
import { addOfficer } from '../helpers/officer'
import { submitClientReport } from '../helpers/reporter-api'

const CHUNK = 65536
const FRAME = CHUNK + 16
const noSleep = async () => {}

let t: TestApp
let token = ''
let caseId = ''
beforeEach(async () => {
  t = await makeTestApp()
  await addOfficer(t.store)
  ;({ token, caseId } = await submitClientReport(t, 'a report with attachments'))
})
afterEach(async () => {
  await t.close()
})

/** The browser's API client, signed in to the report's session, over the real app. */
function session(server: AppFetch): Api {
  const api = createApi(server.fetch)
  api.token = token
  return api
}

function framesOf(data: Uint8Array, chunks: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < chunks; i++) {
    out.push(data.subarray(i * FRAME, Math.min((i + 1) * FRAME, data.length)))
  }
  return out
}

async function roundTrip(size: number, maxPieceBytes: number) {
  const server = appFetch(t)
  const plain = new Uint8Array(randomBytes(size))
  const progress: [number, number][] = []
  const res = await uploadFile(
    session(server),
    { data: new Blob([plain]), name: 'a.bin', type: 'application/x-test' },
    {
      maxPieceBytes,
      onProgress: (sent, total) => progress.push([sent, total]),
    }
  )
  const stored = await storedBlob(t.store, res.blobId)
  const manifest = parseManifest(res.manifest)
  expect(stored.length).toBe(cipherSize(size))
  expect(decryptAttachment(framesOf(stored, manifest.chunks), manifest)).toEqual(plain)
  return { server, res, progress, stored }
}

describe('uploadFile', () => {
  it('encrypts in pieces of whole chunks and reports progress up to the ciphertext size', async () => {
    const size = 4 * CHUNK + 5
    const { server, res, progress } = await roundTrip(size, 2 * FRAME)
    const puts = server.requests.filter((r) => r.method === 'PUT')
    expect(puts.map((p) => p.path)).toEqual([0, 1, 2].map((i) => `/api/r/blobs/${res.blobId}/${i}`))
    expect(puts.every((p) => (p.body as Uint8Array).length <= 2 * FRAME)).toBe(true)
    expect(progress.at(0)).toEqual([0, cipherSize(size)])
    expect(progress.at(-1)).toEqual([cipherSize(size), cipherSize(size)])
    expect(progress.map(([s]) => s)).toEqual([...progress.map(([s]) => s)].sort((a, b) => a - b))
    expect(res.manifest).toMatchObject({
      name: 'a.bin',
      type: 'application/x-test',
      size,
      chunks: 5,
    })
  })

  it('handles an empty file and an exact multiple of the chunk size', async () => {
    await roundTrip(0, FRAME)
    const { res } = await roundTrip(3 * CHUNK, 4 * FRAME)
    expect(res.manifest.chunks).toBe(3)
  })

  it('never sends the plaintext', async () => {
    const marker = Buffer.from('PLAINTEXT-MARKER-'.repeat(100))
    const server = appFetch(t)
    await uploadFile(
      session(server),
      { data: new Blob([marker]), name: 'secret-name.txt', type: 'text/plain' },
      { maxPieceBytes: FRAME }
    )
    for (const r of server.requests) {
      const text = Buffer.from(r.body ?? '').toString('latin1')
      expect(text).not.toContain('PLAINTEXT-MARKER')
      expect(text).not.toContain('secret-name')
    }
  })

  it('retries a failed PUT with growing back-off', async () => {
    const server = appFetch(t)
    let failures = 2
    server.intercept = (method, path) => {
      if (method === 'PUT' && path.endsWith('/1') && failures > 0) {
        failures--
        return new Response('{}', { status: 503 })
      }
      return undefined
    }
    const waits: number[] = []
    const data = new Blob([new Uint8Array(randomBytes(3 * CHUNK))])
    await uploadFile(
      session(server),
      { data, name: 'x', type: '' },
      {
        maxPieceBytes: FRAME,
        backoffMs: 100,
        sleep: (ms) => Promise.resolve(void waits.push(ms)),
      }
    )
    expect(waits).toEqual([100, 200])
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(5)
  })

  it('does not retry a refused piece', async () => {
    const server = appFetch(t)
    server.intercept = (method) =>
      method === 'PUT' ? new Response('{"error":"too-large"}', { status: 413 }) : undefined
    const data = new Blob([new Uint8Array(10)])
    await expect(
      uploadFile(
        session(server),
        { data, name: 'x', type: '' },
        { maxPieceBytes: FRAME, sleep: noSleep }
      )
    ).rejects.toMatchObject({ status: 413, code: 'too-large' })
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1)
  })

  it('resumes: asks which pieces arrived and sends only the missing ones', async () => {
    const server = appFetch(t)
    const plain = new Uint8Array(randomBytes(5 * CHUNK + 7))
    const file = { data: new Blob([plain]), name: 'r.bin', type: '' }
    const state = newUploadState()
    server.intercept = (method, path) => {
      if (method === 'PUT' && path.endsWith('/3')) throw new TypeError('network down')
      return undefined
    }
    await expect(
      uploadFile(session(server), file, { maxPieceBytes: FRAME, retries: 2, sleep: noSleep }, state)
    ).rejects.toMatchObject({ status: 0, code: 'network' })
    expect(state.begun).toBe(true)
    server.intercept = undefined
    server.requests.length = 0
    const res = await uploadFile(
      session(server),
      file,
      { maxPieceBytes: FRAME, sleep: noSleep },
      state
    )
    expect(server.requests.map((r) => `${r.method} ${r.path.replace(state.blobId, 'B')}`)).toEqual([
      'GET /api/r/blobs/B',
      'PUT /api/r/blobs/B/3',
      'PUT /api/r/blobs/B/4',
      'PUT /api/r/blobs/B/5',
      'POST /api/r/blobs/B/complete',
    ])
    const stored = await storedBlob(t.store, res.blobId)
    expect(decryptAttachment(framesOf(stored, res.manifest.chunks), res.manifest)).toEqual(plain)
  })

  it('treats 409 on begin as an earlier attempt that arrived', async () => {
    const server = appFetch(t)
    const state = newUploadState()
    await t.store.blobs.begin(state.blobId, caseId, t.clock.now())
    const res = await uploadFile(
      session(server),
      { data: new Blob([new Uint8Array(9)]), name: 'x', type: '' },
      { maxPieceBytes: FRAME },
      state
    )
    expect(res.blobId).toBe(state.blobId)
  })
})
