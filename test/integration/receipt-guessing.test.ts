// Guessing receipts costs the guesser, not the reporters: a flood of wrong receipts slows every
// attempt a little for a while but never locks the owner of a receipt out, on both paths; and
// "this receipt is already in use" on submission is guarded exactly like a failed login, while a
// report that creates a new receipt pays no part of the guessing budget.
// The test clock never waits: a server-side delay moves simulated time on (test/helpers/app.ts).
import { performance } from 'node:perf_hooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toBase64 } from '../../crypto/encoding'
import type { ReceiptKeys } from '../../crypto/receipt'
import type { CaseView } from '../../src/report/api'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { buildClientReport, reporterPageConfig } from '../helpers/reporter-api'

/** "Within the normal time": a reporter may wait this long, no more. */
const NORMAL_MS = 3_000

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
  await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

async function post(path: string, body: unknown) {
  return await t.app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
}
const login = (keys: ReceiptKeys) => post('/api/status/login', { authKey: toBase64(keys.authKey) })
const randomKey = () => toBase64(crypto.getRandomValues(new Uint8Array(32)))

/** Runs `fn` and says how long it took, on the test clock and for real. */
async function timed<T>(fn: () => Promise<T>) {
  const sim = t.clock.now().getTime()
  const real = performance.now()
  const value = await fn()
  return { value, simMs: t.clock.now().getTime() - sim, realMs: performance.now() - real }
}

/** `total` wrong attempts, `parallel` at a time, as an attacker holding many connections would. */
async function burst(total: number, parallel: number, attempt: () => Promise<Response>) {
  const statuses = new Map<number, number>()
  const bodies = new Set<string>()
  for (let sent = 0; sent < total; sent += parallel) {
    const wave = Array.from({ length: Math.min(parallel, total - sent) }, attempt)
    for (const res of await Promise.all(wave)) {
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      const type = res.headers.get('Content-Type') ?? ''
      bodies.add(type.startsWith('application/json') ? await res.text() : String(res.status))
    }
  }
  return { statuses, bodies }
}

describe('a flood of wrong receipts', () => {
  it('does not keep the owner out: 10,000 wrong authKeys, then the right one gets in at once', async () => {
    const built = await buildClientReport(await reporterPageConfig(t), 'target')
    expect((await post('/api/report', built.request)).status).toBe(201)

    const flood = await timed(() =>
      burst(10_000, 500, () => post('/api/status/login', { authKey: randomKey() }))
    )
    const { statuses, bodies } = flood.value
    // Generic answers only: "no match" or "slow down", never anything that tells receipts apart.
    expect([...statuses.keys()].every((s) => s === 401 || s === 429)).toBe(true)
    expect(bodies.size).toBeLessThanOrEqual(2)
    // Few of the guesses were even checked, and those only at a bounded rate.
    const checked = statuses.get(401) ?? 0
    const perSecond = checked / Math.max(1, flood.simMs / 1000)
    console.log(
      `burst: ${checked} of 10000 checked in ${flood.simMs} simulated ms ` +
        `(${perSecond.toFixed(1)}/s), ${Math.round(flood.realMs)} real ms`
    )
    expect(checked).toBeLessThan(1_000)

    const owner = await timed(() => login(built.keys))
    console.log(
      `owner after the burst: ${owner.simMs} simulated ms, ${owner.realMs.toFixed(1)} real ms`
    )
    expect(owner.value.status).toBe(200)
    expect(((await owner.value.json()) as CaseView).caseId).toBe(built.caseId)
    expect(owner.simMs).toBeLessThanOrEqual(NORMAL_MS)
    expect(owner.realMs).toBeLessThan(NORMAL_MS)
  }, 180_000)

  it('does not keep the owner out of the no-JavaScript form either', async () => {
    const built = await buildClientReport(await reporterPageConfig(t), 'target')
    expect((await post('/api/report', built.request)).status).toBe(201)

    // Malformed and well-formed wrong receipts, mixed: both count.
    const wrong = 'abacus abdomen abdominal abide abiding ability ablaze able'
    let n = 0
    const { statuses } = await burst(
      300,
      50,
      async () =>
        await t.app.request('/status', formPost({ receipt: n++ % 30 === 0 ? wrong : `nope ${n}` }))
    )
    expect([...statuses.keys()].every((s) => s === 401 || s === 429)).toBe(true)

    const owner = await timed(
      async () => await t.app.request('/status', formPost({ receipt: built.receipt }))
    )
    console.log(
      `no-JS owner after the burst: ${owner.simMs} simulated ms, ${owner.realMs.toFixed(1)} real ms`
    )
    expect(owner.value.status).toBe(303)
    expect(owner.value.headers.get('Location')).toContain('/status/case')
    expect(owner.simMs).toBeLessThanOrEqual(NORMAL_MS)
  }, 120_000)

  it('holds attempts back a little once over the budget, and refuses politely beyond what may wait', async () => {
    // 100 attempts a minute go straight through; the 101st already waits a little.
    for (let i = 0; i < 100; i++) {
      const one = await timed(() => post('/api/status/login', { authKey: randomKey() }))
      expect(one.value.status).toBe(401)
      expect(one.simMs).toBe(0)
    }
    const held = await timed(() => post('/api/status/login', { authKey: randomKey() }))
    expect(held.value.status).toBe(401)
    expect(held.simMs).toBeGreaterThan(0)

    // Far more at once than may wait: the rest are told when to come back, not kept open.
    const { statuses } = await burst(200, 200, () =>
      post('/api/status/login', { authKey: randomKey() })
    )
    expect(statuses.get(401)).toBe(32)
    expect(statuses.get(429)).toBe(168)
    const refused = await Promise.all(
      Array.from({ length: 40 }, () => post('/api/status/login', { authKey: randomKey() }))
    )
    const polite = refused.find((r) => r.status === 429)!
    expect(Number(polite.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(Number(polite.headers.get('Retry-After'))).toBeLessThanOrEqual(NORMAL_MS / 1000)

    // Quiet for two minutes: back to no delay at all.
    t.clock.advance(120_000)
    expect((await timed(() => post('/api/status/login', { authKey: randomKey() }))).simMs).toBe(0)
  })

  it('lets a report with a new receipt in at once while a flood fills every waiting place', async () => {
    // A report that creates a receipt is not a guess: it pays its proof of work, not the global
    // guessing budget, so a flood of wrong logins does not slow reporters who are sending.
    const built = await buildClientReport(await reporterPageConfig(t), 'patient')
    for (let i = 0; i < 100; i++) await post('/api/status/login', { authKey: randomKey() })
    // Every waiting place taken, and held taken until the test lets go.
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    let waiting = 0
    let allWaiting!: () => void
    const full = new Promise<void>((resolve) => (allWaiting = resolve))
    t.clock.sleep = async () => {
      if (++waiting === 32) allWaiting()
      await released
    }
    const held = Array.from({ length: 32 }, () =>
      post('/api/status/login', { authKey: randomKey() })
    )
    await full
    // A login now is refused at once: the guard is full, and it is what guards logins.
    expect((await post('/api/status/login', { authKey: randomKey() })).status).toBe(429)
    const sent = await timed(() => post('/api/report', built.request))
    expect(sent.value.status).toBe(201)
    expect(sent.simMs).toBe(0)
    // Nothing of the budget was taken by it: still 32 waiting, none released early.
    expect(waiting).toBe(32)
    release()
    await Promise.all(held)
  })

  it('backs off exponentially on one guessed receipt', async () => {
    const authKey = randomKey()
    const tryIt = async () => (await post('/api/status/login', { authKey })).status
    // Three failures are free; then one try per 1 s, 2 s, 4 s, 8 s… window.
    for (let i = 0; i < 3; i++) expect(await tryIt()).toBe(401)
    const statuses: number[] = []
    for (let s = 0; s < 16; s++) {
      statuses.push(await tryIt())
      t.clock.advance(1_000)
    }
    const checkedAt = statuses.flatMap((s, i) => (s === 401 ? [i] : []))
    expect(checkedAt).toEqual([1, 2, 4, 8])
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([])
  })
})

describe('"this receipt is already in use"', () => {
  /** A second report that reuses the authKey of `first`, with a fresh case id and form token. */
  async function reusing(first: Awaited<ReturnType<typeof buildClientReport>>) {
    const other = await buildClientReport(await reporterPageConfig(t), 'probe')
    other.request.reporter.authKey = first.request.reporter.authKey
    return other.request
  }

  it('is counted like a failed login of that receipt', async () => {
    const first = await buildClientReport(await reporterPageConfig(t), 'first')
    expect((await post('/api/report', first.request)).status).toBe(201)
    const wrongKey = randomKey()
    const loginStatuses: number[] = []
    const submitStatuses: number[] = []
    for (let i = 0; i < 4; i++) {
      loginStatuses.push((await post('/api/status/login', { authKey: wrongKey })).status)
      submitStatuses.push((await post('/api/report', await reusing(first))).status)
    }
    // Three free failures, then the back-off: the same for both answers.
    expect(submitStatuses).toEqual([409, 409, 409, 429])
    expect(loginStatuses).toEqual([401, 401, 401, 429])
  })

  it('shares the global budget with logins and waits exactly as long as a failed login', async () => {
    const first = await buildClientReport(await reporterPageConfig(t), 'first')
    expect((await post('/api/report', first.request)).status).toBe(201)
    const probe = await reusing(first)
    // The first report took nothing of the budget (a new receipt is not a guess); fill it.
    for (let i = 0; i < 100; i++) await post('/api/status/login', { authKey: randomKey() })

    const failedLogin = await timed(() => post('/api/status/login', { authKey: randomKey() }))
    const inUse = await timed(() => post('/api/report', probe))
    expect(failedLogin.value.status).toBe(401)
    expect(inUse.value.status).toBe(409)
    expect(failedLogin.simMs).toBeGreaterThan(0)
    // One attempt later the delay has grown by one attempt's worth (10 ms), no more, no less.
    expect(inUse.simMs - failedLogin.simMs).toBe(10)
    const nextLogin = await timed(() => post('/api/status/login', { authKey: randomKey() }))
    expect(nextLogin.simMs - inUse.simMs).toBe(10)
  })
})
