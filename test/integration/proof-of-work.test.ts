// Proof of work on submitting, receipt sign-in and staff sign-in, on each engine: every kind of
// bad work is refused with its own message in the page's language and changes nothing; a proof
// spent on one instance is refused on the other; difficulty 0 turns it off; the no-JS path pays
// a delay and a shared budget instead; a filled honeypot is refused and stores nothing.
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { toBase64 } from '../../crypto/encoding'
import { WORK_TTL_MS } from '../../src/report/work'
import { NOJS_LIMITS } from '../../src/report/nojs-budget'
import { hashAuthSecret } from '../../src/staff/server-crypto'
import { STAFF_LOGIN_LIMITS } from '../../src/staff/login'
import type { Store } from '../../src/store/types'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { failingProof, fetchChallenge, proofFor, solveChallenge } from '../helpers/pow'
import { buildClientReport, reporterPageConfig } from '../helpers/reporter-api'
import { addStaff } from '../helpers/staff'
import { mongoHarness, sqliteHarness, type Harness } from '../helpers/two-instances'
import { describeMongo } from '../setup/env'

const BITS = '8'

function json(body: unknown, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN, ...headers },
  }
}

const work = (proof: string) => ({ 'X-Proof-Of-Work': proof })

/** What must not change when work is refused: cases, and the counters sign-ins write. */
async function footprint(t: TestApp, store: Store) {
  const now = t.clock.now().getTime()
  const minute = new Date(now - (now % 60_000))
  const staffWindow = STAFF_LOGIN_LIMITS.global.windowMs
  return {
    cases: (await store.cases.list({}, 1, 1)).total,
    receiptTries: await store.counters.get('receipt-try:global', minute),
    staffFails: await store.counters.get(
      STAFF_LOGIN_LIMITS.global.key,
      new Date(now - (now % staffWindow))
    ),
    nojsSubmit: await store.counters.get('nojs:submit', minute),
    nojsReceipt: await store.counters.get('nojs:receipt', minute),
  }
}

async function formToken(t: TestApp): Promise<string> {
  const html = await (await t.app.request('/report')).text()
  return /name="formToken" value="([^"]+)"/.exec(html)![1]!
}

function reportForm(fields: Record<string, string>) {
  const fd = new FormData()
  for (const [k, v] of Object.entries({
    q_what: 'pow nojs report',
    q_how_known: 'work',
    ...fields,
  }))
    fd.append(k, v)
  return { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } }
}

function powSuite(open: () => Promise<Harness>) {
  let h: Harness
  let a: TestApp
  let b: TestApp
  afterEach(async () => {
    await h.close()
    for (const t of [a, b]) rmSync(t.dir, { recursive: true, force: true })
  })
  /** Two app instances on one store, proof of work on (8 bits, or as `env` says). */
  const start = async (env: Record<string, string> = {}) => {
    h = await open()
    a = await makeTestApp({ store: h.store, env: { POW_BITS: BITS, ...env } })
    b = await makeTestApp({
      store: await h.openSecond(),
      secrets: a.secrets,
      env: { POW_BITS: BITS, ...env },
    })
    await addOfficer(h.store)
  }

  it('refuses a report sent without valid work, each reason with its message, and stores nothing', async () => {
    await start()
    const built = await buildClientReport(await reporterPageConfig(a), 'pow refused report')
    const before = await footprint(a, h.store)
    const submitChallenge = (await fetchChallenge(a.app, 'submit')).challenge!
    const receiptChallenge = (await fetchChallenge(a.app, 'receipt')).challenge!
    const forged = submitChallenge.replace(/\.[A-Za-z0-9_-]{43}$/, `.${'A'.repeat(43)}`)
    const cases: [string, Record<string, string>, number, string, string][] = [
      ['work-missing', {}, 400, 'не виконав перевірку', 'did not complete'],
      ['work-malformed', work('not a proof'), 400, 'пошкоджено', 'is damaged'],
      ['work-malformed', work(solveChallenge(forged, 8)), 400, 'пошкоджено', 'is damaged'],
      [
        'work-wrong-purpose',
        work(solveChallenge(receiptChallenge)),
        400,
        'для іншої дії',
        'for another action',
      ],
      [
        'work-insufficient',
        work(failingProof(submitChallenge)),
        400,
        'не завершено',
        'not complete',
      ],
    ]
    for (const [error, headers, status, uk, en] of cases) {
      for (const [lang, text] of [
        ['', uk],
        ['?lang=en', en],
      ] as const) {
        const res = await a.app.request(`/api/report${lang}`, json(built.request, headers))
        expect(res.status, error).toBe(status)
        const body = (await res.json()) as { error: string; message: string }
        expect(body.error).toBe(error)
        expect(body.message).toContain(text)
      }
    }
    // Expired: solved in time, sent too late.
    const late = solveChallenge((await fetchChallenge(a.app, 'submit')).challenge!)
    a.clock.advance(WORK_TTL_MS + 1)
    b.clock.advance(WORK_TTL_MS + 1)
    const expired = await a.app.request('/api/report', json(built.request, work(late)))
    expect(expired.status).toBe(409)
    expect(((await expired.json()) as { error: string }).error).toBe('work-expired')
    const after = await footprint(a, h.store)
    expect(after.cases).toBe(before.cases)
    expect(after.receiptTries).toBe(0)
    // The same request with valid work goes in: nothing above was spent on it.
    const ok = await a.app.request(
      '/api/report',
      json(built.request, work((await proofFor(a.app, 'submit'))!))
    )
    expect(ok.status).toBe(201)
    expect((await footprint(a, h.store)).cases).toBe(before.cases + 1)
  })

  it('takes a proof once across two instances of one deployment', async () => {
    await start()
    const proof = (await proofFor(a.app, 'submit'))!
    const first = await buildClientReport(await reporterPageConfig(a), 'first')
    const second = await buildClientReport(await reporterPageConfig(b), 'second')
    expect((await a.app.request('/api/report', json(first.request, work(proof)))).status).toBe(201)
    const again = await b.app.request('/api/report?lang=en', json(second.request, work(proof)))
    expect(again.status).toBe(409)
    const body = (await again.json()) as { error: string; message: string }
    expect(body.error).toBe('work-reused')
    expect(body.message).toContain('already used')
    expect((await h.store.cases.list({}, 1, 1)).total).toBe(1)
    // The receipt sign-in: a proof made on b, spent on a, refused on b.
    const login = (await proofFor(b.app, 'receipt'))!
    const authKey = toBase64(first.keys.authKey)
    const res = await a.app.request('/api/status/login', json({ authKey }, work(login)))
    expect(res.status).toBe(200)
    const replay = await b.app.request('/api/status/login', json({ authKey }, work(login)))
    expect(replay.status).toBe(409)
    expect(((await replay.json()) as { error: string }).error).toBe('work-reused')
  })

  it('refuses a receipt sign-in without work before the receipt guard counts it', async () => {
    await start()
    const authKey = toBase64(randomBytes(32))
    const missing = await a.app.request('/api/status/login', json({ authKey }))
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { error: string }).error).toBe('work-missing')
    const wrong = await a.app.request(
      '/api/status/login',
      json({ authKey }, work((await proofFor(a.app, 'submit'))!))
    )
    expect(((await wrong.json()) as { error: string }).error).toBe('work-wrong-purpose')
    expect((await footprint(a, h.store)).receiptTries).toBe(0)
    // With work, a wrong receipt is an ordinary "no match", counted by the guard.
    const tried = await a.app.request(
      '/api/status/login',
      json({ authKey }, work((await proofFor(a.app, 'receipt'))!))
    )
    expect(tried.status).toBe(401)
    expect((await footprint(a, h.store)).receiptTries).toBe(1)
  })

  it('signs staff in only with work; refusals and the honeypot count nothing', async () => {
    await start()
    const staff = await addStaff(h.store, { email: 'pow@council.example' })
    const secret = new Uint8Array(randomBytes(32))
    const account = (await h.store.accounts.get(staff.account.id))!
    await h.store.accounts.update(
      account.id,
      account.version,
      { authHash: await hashAuthSecret(secret) },
      a.clock.now()
    )
    const body = { email: 'pow@council.example', authSecret: toBase64(secret) }
    const missing = await a.app.request('/staff/login?lang=en', json(body))
    expect(missing.status).toBe(400)
    const refused = (await missing.json()) as { error: string; message: string }
    expect(refused.error).toBe('work-missing')
    expect(refused.message).toContain('did not complete')
    expect(missing.headers.get('Set-Cookie')).toBeNull()
    const honey = await a.app.request(
      '/staff/login',
      json(
        { ...body, website: 'http://spam.example' },
        work((await proofFor(a.app, 'staff-login'))!)
      )
    )
    expect(honey.status).toBe(401)
    expect(honey.headers.get('Set-Cookie')).toBeNull()
    expect((await footprint(a, h.store)).staffFails).toBe(0)
    const proof = (await proofFor(b.app, 'staff-login'))!
    const ok = await a.app.request('/staff/login', json(body, work(proof)))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('Set-Cookie')).toMatch(/staff/)
    const replay = await b.app.request('/staff/login', json(body, work(proof)))
    expect(replay.status).toBe(409)
    expect(replay.headers.get('Set-Cookie')).toBeNull()
  })

  it('makes no-JS posts wait and caps them with a budget all instances share', async () => {
    await start({ POW_NOJS_PER_MINUTE: '2' })
    const t0 = a.clock.now().getTime()
    const first = await a.app.request('/report', reportForm({ formToken: await formToken(a) }))
    expect(first.status).toBe(200)
    // The server-side step: at least the no-JS delay passed (simulated clock).
    expect(a.clock.now().getTime() - t0).toBeGreaterThanOrEqual(NOJS_LIMITS.delayMs)
    const second = await b.app.request('/report', reportForm({ formToken: await formToken(b) }))
    expect(second.status).toBe(200)
    const cases = (await h.store.cases.list({}, 1, 1)).total
    expect(cases).toBe(2)
    const third = await a.app.request(
      '/report?lang=en',
      reportForm({ formToken: await formToken(a), q_what: 'kept text' })
    )
    expect(third.status).toBe(429)
    expect(Number(third.headers.get('Retry-After'))).toBeGreaterThan(0)
    const page = await third.text()
    expect(page).toContain('Too many requests without JavaScript')
    expect(page).toContain('kept text')
    expect((await h.store.cases.list({}, 1, 1)).total).toBe(2)
    // The receipt form has its own budget, also shared.
    for (const t of [a, b]) {
      const res = await t.app.request('/status', {
        method: 'POST',
        body: new URLSearchParams({ receipt: 'no such receipt here' }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      })
      expect(res.status).toBe(401)
    }
    const capped = await a.app.request('/status', {
      method: 'POST',
      body: new URLSearchParams({ receipt: 'no such receipt here' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
    })
    expect(capped.status).toBe(429)
    expect(await capped.text()).toContain('Зараз надходить забагато запитів без JavaScript')
    // A form carrying a proof (a script filled `pow`) skips the budget.
    const withWork = await a.app.request(
      '/report',
      reportForm({ formToken: await formToken(a), pow: (await proofFor(a.app, 'submit'))! })
    )
    expect(withWork.status).toBe(200)
    expect((await h.store.cases.list({}, 1, 1)).total).toBe(3)
  })

  it('refuses a form with bad work or a filled honeypot without storing or counting anything', async () => {
    await start()
    const before = await footprint(a, h.store)
    const bad = await a.app.request(
      '/report',
      reportForm({ formToken: await formToken(a), pow: 'not a proof', q_what: 'my text' })
    )
    expect(bad.status).toBe(400)
    const badPage = await bad.text()
    expect(badPage).toContain('Перевірку від автоматичних розсилок пошкоджено')
    expect(badPage).toContain('my text')
    const honey = await a.app.request(
      '/report?lang=en',
      reportForm({ formToken: await formToken(a), website: 'http://spam.example' })
    )
    expect(honey.status).toBe(400)
    expect(await honey.text()).toContain('must be empty')
    expect(await footprint(a, h.store)).toEqual(before)
    // The page shows the honeypot to screen readers only, labelled to be left empty.
    const html = await (await a.app.request('/report')).text()
    expect(html).toMatch(
      /<div class="hp-field">\s*<label for="hp-website">Залиште це поле порожнім/
    )
    expect(html).toContain('name="website" value="" tabindex="-1"')
    const staffPage = await (await a.app.request('/staff/login?lang=en')).text()
    expect(staffPage).toContain('Leave this field empty')
  })

  it('is off at difficulty 0: no challenge, no header needed, no no-JS delay or budget', async () => {
    await start({ POW_BITS: '0' })
    expect(await fetchChallenge(a.app, 'submit')).toEqual({ purpose: 'submit', bits: 0 })
    const built = await buildClientReport(await reporterPageConfig(a), 'no work needed')
    expect((await a.app.request('/api/report', json(built.request))).status).toBe(201)
    const t0 = a.clock.now().getTime()
    const res = await a.app.request('/report', reportForm({ formToken: await formToken(a) }))
    expect(res.status).toBe(200)
    expect(a.clock.now().getTime()).toBe(t0)
    expect((await footprint(a, h.store)).nojsSubmit).toBe(0)
  })

  it('keeps per-purpose difficulties apart: one can stay on while the others are off', async () => {
    await start({ POW_BITS: '0', POW_BITS_STAFF_LOGIN: '10' })
    expect((await fetchChallenge(a.app, 'receipt')).bits).toBe(0)
    const staff = await fetchChallenge(a.app, 'staff-login')
    expect(staff.bits).toBe(10)
    expect(staff.challenge).toMatch(/^staff-login\.10\.\d+\./)
    const res = await a.app.request('/staff/login', json({ email: 'x@y.example' }))
    expect(((await res.json()) as { error: string }).error).toBe('work-missing')
  })
}

describe('proof of work on SQLite', () => powSuite(() => sqliteHarness('pow')))
describeMongo('proof of work on MongoDB (FerretDB)', () => powSuite(() => mongoHarness('pow')))
