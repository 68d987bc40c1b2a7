// A web report submitted the way the browser bundle does it (crypto/ in Node, JSON API), for
// tests that need a client-sealed case without driving a browser.
import { expect } from 'vitest'
import type { ReporterPageConfig, SubmitReportResponse } from '../../src/report/api'
import { buildClientReport } from '../../src/report/client-report'
import { TEST_ORIGIN, type TestApp } from './app'
import { workHeaders } from './pow'

export { buildClientReport, type BuiltReport } from '../../src/report/client-report'

/** Anything that answers app.request: the app itself, or a running instance (two-instances.ts). */
type Requester = { request(path: string): Response | Promise<Response> }

export async function reporterPageConfig(t: { app: Requester }): Promise<ReporterPageConfig> {
  const html = await (await t.app.request('/report')).text()
  const m = /id="portal-config">([^<]+)</.exec(html)
  if (!m) throw new Error('the report page has no config (no certified officer?)')
  return JSON.parse(m[1]!) as ReporterPageConfig
}

/** Builds and posts a client-sealed report; returns it with the reporter's bearer token. */
export async function submitClientReport(t: Pick<TestApp, 'app'>, text: string) {
  const built = await buildClientReport(await reporterPageConfig(t), text)
  const res = await t.app.request('/api/report', {
    method: 'POST',
    body: JSON.stringify(built.request),
    headers: {
      'Content-Type': 'application/json',
      Origin: TEST_ORIGIN,
      ...(await workHeaders(t.app, 'submit')),
    },
  })
  expect(res.status).toBe(201)
  const response = (await res.json()) as SubmitReportResponse
  return { ...built, token: response.token, response }
}
