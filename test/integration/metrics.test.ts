// GET /metrics: Prometheus text for the monitoring system, behind METRICS_TOKEN (404 without it),
// with process, request, outbox, job and case-count figures and no case data.
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { startJobs } from '../../src/jobs/scheduler'
import { createLogger } from '../../src/log'
import { createMetrics } from '../../src/metrics'
import { makeTestApp, type TestApp } from '../helpers/app'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs } from '../helpers/staff'

const TOKEN = 'metrics-token-' + 'x'.repeat(40)
const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` })

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN, whoever asks', async () => {
    t = await makeTestApp()
    const admin = await addStaff(t.store, { roles: ['admin'] })
    for (const headers of [
      {} as Record<string, string>,
      bearer(TOKEN),
      { Cookie: await loginAs(t, admin.account) },
    ]) {
      expect((await t.app.request('/metrics', { headers })).status).toBe(404)
    }
  })

  it('answers only the bearer token: not a staff session, not a wrong or partial token', async () => {
    t = await makeTestApp({ env: { METRICS_TOKEN: TOKEN } })
    const admin = await addStaff(t.store, { roles: ['admin'] })
    const refused: Record<string, string>[] = [
      {},
      bearer('wrong'),
      bearer(TOKEN.slice(0, -1)),
      bearer(`${TOKEN}x`),
      { Authorization: TOKEN },
      { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { Cookie: await loginAs(t, admin.account) },
    ]
    for (const headers of refused) {
      const res = await t.app.request('/metrics', { headers })
      expect(res.status, JSON.stringify(headers)).toBe(401)
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
    }
    const ok = await t.app.request('/metrics', { headers: bearer(TOKEN) })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(ok.headers.get('Cache-Control')).toBe('no-store')
  })

  it('counts requests by route pattern, cases by state and the outbox, and names no case', async () => {
    const metrics = createMetrics()
    t = await makeTestApp({ env: { METRICS_TOKEN: TOKEN }, metrics })
    const officer = await addStaff(t.store, { roles: ['officer'], certified: true })
    const report = await submitClientReport(t, `metrics report ${randomBytes(8).toString('hex')}`)
    await t.app.request('/')
    await t.app.request('/')
    const cookie = await loginAs(t, officer.account)
    const casePage = await t.app.request(`/officer/cases/${report.caseId}`, {
      headers: { Cookie: cookie },
    })
    expect(casePage.status).toBe(200)
    await t.app.request('/no/such/page')
    const jobs = startJobs(
      {
        ...t,
        metrics,
        mailer: { send: () => Promise.resolve() },
        random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
        log: createLogger(t.config, { write: () => undefined }),
      },
      { outboxEveryMs: 60_000, remindersEveryMs: 60_000 }
    )
    await jobs.stop()
    // After the worker stopped: this one stays in the queue.
    await t.store.outbox.enqueue({
      id: 'm1',
      to: 'officer@council.example',
      template: 'case-attention',
      params: {},
      notBefore: t.clock.now(),
      createdAt: new Date(t.clock.now().getTime() - 90_000),
    })

    const text = await (await t.app.request('/metrics', { headers: bearer(TOKEN) })).text()
    const value = (line: string) => {
      const found = text.split('\n').find((l) => l.startsWith(`${line} `))
      return found === undefined ? undefined : Number(found.slice(line.length + 1))
    }
    expect(value('portal_http_requests_total{method="GET",route="/",status="200"}')).toBe(2)
    expect(
      value('portal_http_requests_total{method="POST",route="/api/report",status="201"}')
    ).toBe(1)
    // The pattern, never the case id in the URL.
    expect(
      value('portal_http_requests_total{method="GET",route="/officer/cases/:caseId",status="200"}')
    ).toBe(1)
    expect(value('portal_cases{state="received"}')).toBe(1)
    expect(value('portal_outbox_messages{status="pending"}')).toBeGreaterThanOrEqual(1)
    expect(value('portal_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(90)
    expect(value('portal_job_runs_total{job="deadline-reminders",result="ok"}')).toBe(1)
    expect(value('portal_job_last_success_timestamp_seconds{job="deadline-reminders"}')).toBe(
      Math.round(t.clock.now().getTime() / 1000)
    )
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0)
    // Every sample line is name{labels} number: the text format Prometheus parses.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[\d.e+]+$/)
    }
    // No case: not its id, its token, its receipt, nor a recipient's address.
    for (const secret of [report.caseId, report.token, report.receipt, 'officer@council.example']) {
      expect(text).not.toContain(secret)
    }
  })
})
