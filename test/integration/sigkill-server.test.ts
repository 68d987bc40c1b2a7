// SIGKILL the real server in the middle of a stream of report submissions, start it again on
// the same DATA_DIR: every report whose receipt page came back is still there and opens.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openSqliteStore } from '../../src/store/sqlite'
import { addOfficer } from '../helpers/officer'
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
  // Plain no-JS posts as fast as they go: the proof-of-work budget for them is not under test here.
  const p = run([SERVER_JS], {
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    POW_BITS: '0',
  })
  await waitFor(
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok
      } catch {
        return false
      }
    },
    20_000,
    'the server to start'
  )
  return p
}

it('loses no acknowledged report when the server is killed mid-stream', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-crash-srv-'))
  try {
    const seed = await openSqliteStore({ file: join(dataDir, 'portal.sqlite') })
    await addOfficer(seed)
    await seed.close()
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const origin = { Origin: base }
    const first = await start(dataDir, port)

    // Several writers at once, each posting reports until the server dies under them.
    const acknowledged: string[] = []
    let stop = false
    const writer = async () => {
      while (!stop) {
        try {
          const page = await (await fetch(`${base}/report`)).text()
          const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? ''
          const form = new FormData()
          form.append('formToken', token)
          form.append('q_what', `report ${acknowledged.length}`)
          form.append('q_how_known', 'work')
          const res = await fetch(`${base}/report`, { method: 'POST', body: form, headers: origin })
          const html = await res.text()
          const words = [
            ...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{Ll}-]+)<\/span>/gu),
          ]
          if (res.status === 200 && words.length === 8) {
            acknowledged.push(words.map((m) => m[1]).join(' '))
          }
        } catch {
          return // connection refused or reset: the server is gone
        }
      }
    }
    const writers = [writer(), writer(), writer()]
    await waitFor(() => acknowledged.length >= 40, 60_000, '40 acknowledged reports')
    first.child.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    stop = true
    await Promise.all(writers)
    const receipts = [...acknowledged]

    const second = await start(dataDir, port)
    try {
      for (const receipt of receipts) {
        const res = await fetch(`${base}/status`, {
          method: 'POST',
          body: new URLSearchParams({ receipt }),
          headers: { ...origin, 'Content-Type': 'application/x-www-form-urlencoded' },
          redirect: 'manual',
        })
        expect(res.status, `receipt acknowledged before the kill: ${receipt}`).toBe(303)
      }
    } finally {
      second.child.kill('SIGTERM')
      await second.exited
    }
    const store = await openSqliteStore({ file: join(dataDir, 'portal.sqlite') })
    try {
      expect((await store.cases.list({}, 1, 1)).total).toBeGreaterThanOrEqual(receipts.length)
    } finally {
      await store.close()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}, 120_000)
