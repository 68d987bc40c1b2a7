// A flood of wrong receipts against a real server on the real clock: how fast the attacker's
// guesses are checked, and how long the owner of a receipt waits during and after it. Never a
// test. Usage: npx tsx test/bench/receipt-flood.ts [--attempts 10000 --connections 200]
import { Agent, request } from 'node:http'
import { parseArgs } from 'node:util'
import { toBase64 } from '../../crypto/encoding'
import { createApi, type FetchLike } from '../../src/browser/http'
import { serveOnLoopback } from '../helpers/browser'
import { makeTestApp, TEST_ORIGIN } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { buildClientReport, reporterPageConfig } from '../helpers/reporter-api'

const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '200' },
  },
})
const attempts = Number(values.attempts)
const connections = Number(values.connections)

const t = await makeTestApp({ env: { LOG_LEVEL: 'silent' } })
// The real clock: server-side waits really wait here.
t.clock.now = () => new Date()
t.clock.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
await addOfficer(t.store)
const server = await serveOnLoopback(t.app)

// node:http rather than fetch: fetch shares one connection pool, and the owner would queue
// behind the attacker in the client instead of reaching the server.
const attackerAgent = new Agent({ keepAlive: true, maxSockets: Infinity })
const ownerAgent = new Agent({ keepAlive: false })
function httpFetch(agent: Agent): FetchLike {
  return (path, init = {}) =>
    new Promise((resolve, reject) => {
      const req = request(
        `${server.url}${path}`,
        {
          agent,
          method: init.method ?? 'GET',
          headers: { Origin: TEST_ORIGIN, ...(init.headers as Record<string, string>) },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const headers = new Headers()
            for (const [k, v] of Object.entries(res.headers))
              if (typeof v === 'string') headers.set(k, v)
            const status = res.statusCode ?? 0
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks)
            resolve(new Response(body, { status, headers }))
          })
        }
      )
      req.on('error', reject)
      if (typeof init.body === 'string') req.write(init.body)
      req.end()
    })
}
const attackerFetch = httpFetch(attackerAgent)
const ownerFetch = httpFetch(ownerAgent)

const built = await buildClientReport(await reporterPageConfig(t), 'owner')
await createApi(ownerFetch).json('POST', '/api/report', built.request)

/** The owner, as the browser does it (waiting out short 429s), and as the no-JS form does. */
async function ownerJs() {
  const t0 = performance.now()
  try {
    await createApi(ownerFetch).json('POST', '/api/status/login', {
      authKey: toBase64(built.keys.authKey),
    })
    return `200 in ${(performance.now() - t0).toFixed(0)} ms`
  } catch (e) {
    return `${String(e)} after ${(performance.now() - t0).toFixed(0)} ms`
  }
}
async function ownerNoJs() {
  const t0 = performance.now()
  const res = await ownerFetch('/status', {
    method: 'POST',
    body: new URLSearchParams({ receipt: built.receipt }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  return `${res.status} in ${(performance.now() - t0).toFixed(0)} ms`
}

const statuses = new Map<number, number>()
let sent = 0
const t0 = performance.now()
const flood = Promise.all(
  Array.from({ length: connections }, async () => {
    while (sent < attempts) {
      sent++
      const res = await attackerFetch('/api/status/login', {
        method: 'POST',
        body: JSON.stringify({ authKey: toBase64(crypto.getRandomValues(new Uint8Array(32))) }),
        headers: { 'Content-Type': 'application/json' },
      })
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    }
  })
)
// The owner arrives while the flood is on, well past the budget.
while (sent < Math.min(attempts / 5, 2000)) await new Promise((resolve) => setTimeout(resolve, 50))
const during = await Promise.all([ownerJs(), ownerNoJs()])
const sentWhenOwnerDone = sent
await flood
const floodS = (performance.now() - t0) / 1000
const after = await Promise.all([ownerJs(), ownerNoJs()])

const checked = statuses.get(401) ?? 0
console.log(`${attempts} wrong authKeys over ${connections} connections in ${floodS.toFixed(1)} s`)
console.log(`answers: ${JSON.stringify(Object.fromEntries(statuses))}`)
console.log(
  `attacker: ${(checked / floodS).toFixed(1)} guesses checked/s, ${(attempts / floodS).toFixed(0)} requests/s`
)
console.log(`owner during the flood (JS, no-JS): ${during.join(', ')}`)
console.log(`  (the flood had sent ${sentWhenOwnerDone} of ${attempts} by then)`)
console.log(`owner after the flood (JS, no-JS): ${after.join(', ')}`)
attackerAgent.destroy()
await server.close()
await t.close()
