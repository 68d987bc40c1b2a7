// Benchmarks: figures and ratios against a baseline measured in the same run. Never a test.
// Load only ever targets 127.0.0.1. Usage: npm run bench [-- --seconds 5 --connections 20
// --cases 100000]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Hono } from 'hono'
import { serveOnLoopback } from '../helpers/browser'
import { makeTestApp } from '../helpers/app'
import { openSqliteStore } from '../../src/store/sqlite'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '20' },
    cases: { type: 'string', default: '100000' },
  },
})
const seconds = Number(values.seconds)
const connections = Number(values.connections)

async function load(
  url: string
): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = []
  let errors = 0
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now()
        try {
          const res = await fetch(url)
          await res.arrayBuffer()
          if (res.status !== 200) errors++
        } catch {
          errors++
        }
        latencies.push(performance.now() - t0)
      }
    })
  )
  latencies.sort((a, b) => a - b)
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
  return { rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99), errors }
}

function row(
  name: string,
  r: { rps: number; p50: number; p99: number; errors: number },
  base?: number
) {
  const ratio = base ? ` ${(r.rps / base).toFixed(2)}× baseline` : ''
  console.log(
    `${name.padEnd(28)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}${ratio}`
  )
}

console.log(
  `node ${process.version}, ${connections} connections, ${seconds} s each, loopback only\n`
)

const bare = new Hono().get('/', (c) => c.text('ok'))
const baseline = await serveOnLoopback(bare)
const b = await load(`${baseline.url}/`)
row('baseline: bare Hono text', b)
await baseline.close()

const t = await makeTestApp({ env: { LOG_LEVEL: 'silent' } })
const portal = await serveOnLoopback(t.app)
row('landing page (Eta, headers)', await load(`${portal.url}/`), b.rps)
row('healthz (store ping)', await load(`${portal.url}/healthz`), b.rps)
await portal.close()
await t.close()

// Store: durable appends per second (synchronous=FULL) against plain reads.
const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'))
const store = await openSqliteStore({ file: join(dir, 'bench.sqlite') })
const at = new Date()
await store.cases.create({
  id: 'bench',
  channel: 'web',
  anonymity: 'anonymous',
  encMode: 'client',
  state: 'received',
  tags: [],
  planItemIds: [],
  casePublicKey: 'AAAA',
  receivedAt: at,
  createdAt: at,
  clocks: [],
})
const n = 2000
let t0 = performance.now()
for (let i = 0; i < n; i++) {
  await store.items.append({
    caseId: 'bench',
    id: `i${i}`,
    kind: 'message',
    authorRole: 'reporter',
    encMode: 'client',
    sealed: new Uint8Array(1024),
    createdAt: at,
  })
}
const appendsPerS = n / ((performance.now() - t0) / 1000)
t0 = performance.now()
for (let i = 0; i < n; i++) await store.cases.get('bench')
const readsPerS = n / ((performance.now() - t0) / 1000)
console.log(
  `\nsqlite durable item appends ${appendsPerS.toFixed(0)}/s, case reads ${readsPerS.toFixed(0)}/s (appends ${(appendsPerS / readsPerS).toFixed(3)}× reads)`
)
await store.close()
rmSync(dir, { recursive: true, force: true })

// Crypto: the receipt KDF (native vs the pure-JS one the browser runs) and attachment throughput.
{
  const { nobleArgon2id } = await import('../../crypto/argon2')
  const { nativeArgon2id } = await import('../../src/report/native-argon2')
  const { RECEIPT_KDF } = await import('../../crypto/receipt')
  const { createAttachmentEncryptor } = await import('../../crypto/attachment')
  const pw = new TextEncoder().encode('abacus abdomen abdominal abide abiding ability ablaze able')
  const salt = new Uint8Array(16).fill(7)
  const time = async (fn: () => Promise<unknown>, runs: number) => {
    const t = performance.now()
    for (let i = 0; i < runs; i++) await fn()
    return (performance.now() - t) / runs
  }
  const native = await time(() => nativeArgon2id(pw, salt, RECEIPT_KDF), 5)
  const noble = await time(() => nobleArgon2id(pw, salt, RECEIPT_KDF), 2)
  console.log(
    `\nreceipt Argon2id (m=19 MiB, t=2): native ${native.toFixed(0)} ms, pure JS ${noble.toFixed(0)} ms (${(noble / native).toFixed(1)}× native)`
  )
  const data = new Uint8Array(16 * 1024 * 1024)
  const enc = createAttachmentEncryptor()
  const t1 = performance.now()
  for (let off = 0; off < data.length; off += 65536) {
    enc.encryptChunk(data.subarray(off, off + 65536), off + 65536 >= data.length)
  }
  const mbps = 16 / ((performance.now() - t1) / 1000)
  console.log(
    `attachment encryption (tweetnacl secretbox, 64 KiB chunks): ${mbps.toFixed(1)} MiB/s`
  )
}

// The annual report and the registration journal over a year of cases (test/bench/annual-report.ts).
{
  const { benchAnnualReport } = await import('./annual-report')
  await benchAnnualReport({ cases: Number(values.cases), runs: 3 })
}
