// The receipt guard's counts live in the store: what one app instance saw, the other one
// honours, on each engine.
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { toBase64 } from '../../crypto/encoding'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { mongoHarness, sqliteHarness, type Harness } from '../helpers/two-instances'
import { describeMongo } from '../setup/env'

const randomKey = () => toBase64(crypto.getRandomValues(new Uint8Array(32)))

async function login(t: TestApp, authKey: string) {
  const before = t.clock.now().getTime()
  const res = await t.app.request('/api/status/login', {
    method: 'POST',
    body: JSON.stringify({ authKey }),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
  return { status: res.status, simMs: t.clock.now().getTime() - before }
}

function sharedGuard(open: () => Promise<Harness>) {
  let h: Harness
  let a: TestApp
  let b: TestApp
  afterEach(async () => {
    await h.close()
    for (const t of [a, b]) rmSync(t.dir, { recursive: true, force: true })
  })
  const start = async () => {
    h = await open()
    a = await makeTestApp({ store: h.store })
    b = await makeTestApp({ store: await h.openSecond(), secrets: a.secrets })
  }

  it('slows the second instance after a flood through the first', async () => {
    await start()
    for (let i = 0; i < 100; i++) expect((await login(a, randomKey())).status).toBe(401)
    expect((await login(b, randomKey())).simMs).toBeGreaterThan(0)
  })

  it('lets a parallel flood through both instances past the budget only by what may wait', async () => {
    await start()
    // Waits stay open until every attempt has either answered or begun to wait, as they
    // would in real time (3 s is long next to a burst of store round trips).
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    const total = 300
    let waiting = 0
    let answered = 0
    const check = () => {
      if (waiting + answered === total) release()
    }
    for (const t of [a, b]) {
      t.clock.sleep = async () => {
        waiting++
        check()
        await released
      }
    }
    const answers = await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const r = await login(i % 2 ? a : b, randomKey())
        answered++
        check()
        return r
      })
    )
    const checked = answers.filter((r) => r.status === 401).length
    expect(answers.every((r) => r.status === 401 || r.status === 429)).toBe(true)
    // The budget, then at most 32 waiting per instance: counts are atomic across instances.
    expect(checked).toBeLessThanOrEqual(100 + 2 * 32)
    expect(checked).toBeGreaterThanOrEqual(100)
  }, 60_000)

  it('keeps the back-off of one receipt across instances', async () => {
    await start()
    const key = randomKey()
    for (let i = 0; i < 3; i++) expect((await login(a, key)).status).toBe(401)
    expect((await login(b, key)).status).toBe(429)
  })
}

describe('receipt guard across instances (sqlite)', () => {
  sharedGuard(() => sqliteHarness('guard'))
})

describeMongo('receipt guard across instances (mongo)', () => {
  sharedGuard(() => mongoHarness('guard'))
})
