// SIGKILL the real server between the pieces of an attachment upload (issue 10, point 3c), start
// it again on the same DATA_DIR, and resume with the browser's own upload code: only the pieces
// the server had not stored are sent again, the upload completes, and the file the officer
// decrypts is the file the reporter chose.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nacl from 'tweetnacl'
import { expect, it } from 'vitest'
import { ATTACHMENT_CHUNK_SIZE, decryptAttachmentStream, parseManifest } from '../../crypto'
import { createApi } from '../../src/browser/http'
import { attachmentJobs, sendAttachments, submitReport } from '../../src/browser/report-send'
import { planUpload } from '../../src/browser/upload'
import type { ReporterPageConfig } from '../../src/report/api'
import { openSqliteStore } from '../../src/store/sqlite'
import { addOfficer, officerReadCase } from '../helpers/officer'
import { proofFor } from '../helpers/pow'
import { run, SERVER_JS, waitFor, type Running } from '../helpers/proc'

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

async function start(dataDir: string, port: number): Promise<Running> {
  const p = run([SERVER_JS], { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
  await waitFor(
    async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true,
    20_000,
    'the server to start'
  )
  return p
}

it('resumes an attachment upload after the server was killed between pieces', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-crash-upload-'))
  let server: Running | undefined
  try {
    const seed = await openSqliteStore({ file: join(dataDir, 'portal.sqlite') })
    const officer = await addOfficer(seed)
    await seed.close()
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    server = await start(dataDir, port)

    // The browser's HTTP client, with the Origin a browser sends; PUTs are counted, and the
    // server is killed the moment the 8th piece has been stored.
    const putsDone: number[] = []
    let killAfter = 8
    const api = createApi(
      async (path, init) => {
        const res = await fetch(base + path, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), Origin: base },
        })
        if (init?.method === 'PUT' && res.ok) {
          putsDone.push(Number(/\/(\d+)$/.exec(path)?.[1]))
          if (putsDone.length === killAfter) {
            server!.child.kill('SIGKILL')
            await server!.exited
          }
        }
        return res
      },
      () => Promise.resolve()
    )
    const html = await (await fetch(`${base}/report`)).text()
    const config = JSON.parse(/id="portal-config">([^<]+)</.exec(html)![1]!) as ReporterPageConfig
    const keys = {
      authKey: nacl.randomBytes(32),
      box: nacl.box.keyPair(),
      sign: nacl.sign.keyPair(),
    }
    const ctx = await submitReport(
      api,
      config,
      keys,
      {
        answers: { what: 'Акт приймання робіт підписано без робіт', how_known: 'work' },
        anonymity: 'anonymous',
        attachments: 1,
      },
      () => proofFor(base, 'submit')
    )

    // 1.5 MB, one encrypted 64 KiB chunk per piece: over 20 pieces.
    const file = new Uint8Array(randomBytes(1_500_000))
    const jobs = attachmentJobs([
      { data: new Blob([file]), name: 'акт.pdf', type: 'application/pdf' },
    ])
    const opts = { maxPieceBytes: ATTACHMENT_CHUNK_SIZE + 16 }
    await expect(sendAttachments(api, ctx, jobs, opts)).rejects.toThrow()
    expect((await server.exited).signal).toBe('SIGKILL')
    expect(putsDone).toHaveLength(8)
    expect(jobs[0]!.done).toBe(false)

    // Restarted on the same data: the same session token, the same upload state, resumed.
    killAfter = -1
    server = await start(dataDir, port)
    await sendAttachments(api, ctx, jobs, opts)
    expect(jobs[0]!.done).toBe(true)
    const total = putsDone.length
    // The pieces stored before the kill are not sent again: one PUT per piece in all.
    expect(new Set(putsDone).size).toBe(total)
    expect(total).toBe(planUpload(file.length, opts.maxPieceBytes).pieces)
    expect(total).toBeGreaterThan(20)

    server.child.kill('SIGTERM')
    await server.exited
    server = undefined
    const store = await openSqliteStore({ file: join(dataDir, 'portal.sqlite') })
    try {
      const read = await officerReadCase(store, ctx.caseId, officer)
      expect(read.envelopes.map((e) => e.type)).toEqual(['answers', 'attachment'])
      const entry = (read.envelopes[1]!.body as { files: { blobId: string }[] }).files[0]!
      const manifest = parseManifest(entry)
      const parts: Uint8Array[] = []
      for await (const p of decryptAttachmentStream(store.blobs.read(entry.blobId), manifest)) {
        parts.push(p)
      }
      expect(Buffer.concat(parts).equals(Buffer.from(file))).toBe(true)
      expect(manifest.name).toBe('акт.pdf')
    } finally {
      await store.close()
    }
  } finally {
    if (server) {
      server.child.kill('SIGKILL')
      await server.exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
}, 120_000)
