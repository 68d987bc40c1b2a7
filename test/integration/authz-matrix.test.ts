// The authorisation matrix: every route the app registers is tried with no session and as each
// role; only the intended ones get through, and management never receives case ciphertext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toBase64 } from '../../crypto/encoding'
import type { Role } from '../../src/domain/vocab'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { submitClientReport } from '../helpers/reporter-api'

type Who = 'none' | 'officer' | 'officer-without-grant' | 'management' | 'admin'
/** 'login': steps of signing in (wrong or missing credentials are answered 401 or with the login page). */
/** 'reporting': the dashboard and the annual report, for management and admins. */
/** 'metrics': the monitoring system's bearer token only; no session opens it (404 while unset). */
type Need = 'public' | 'login' | 'reporter-token' | 'staff' | 'reporting' | 'metrics' | Role

/** Which sessions a route is meant for, from its path. */
function need(method: string, path: string): Need {
  if (path === '/metrics') return 'metrics'
  // The plan list (/officer/plan) is the officers'; everything below it is the admin's.
  if (path.startsWith('/officer/plan/')) return 'admin'
  if (path.startsWith('/officer')) return 'officer'
  if (path.startsWith('/management')) return 'reporting'
  if (path.startsWith('/staff/admin')) return 'admin'
  if (path === '/staff' || /^\/staff\/(account|keys|session-key|unlock)/.test(path)) {
    return 'staff'
  }
  if (/^\/staff\/(login|logout|totp|setup|enrol|recover)/.test(path)) return 'login'
  if (method === 'POST' && (path === '/status' || path === '/api/status/login')) return 'login'
  if (path.startsWith('/api/r/')) return 'reporter-token'
  return 'public'
}

const ROLES_OF: Record<Exclude<Who, 'none'>, Role[]> = {
  officer: ['officer'],
  'officer-without-grant': ['officer'],
  management: ['management'],
  admin: ['admin'],
}

describe('authorisation matrix', () => {
  let t: TestApp
  const staff = {} as Record<Exclude<Who, 'none'>, TestStaff>
  let caseId = ''
  let secrets: string[] = []
  const routes: { method: string; path: string }[] = []

  beforeAll(async () => {
    t = await makeTestApp()
    for (const who of Object.keys(ROLES_OF) as Exclude<Who, 'none'>[]) {
      staff[who] = await addStaff(t.store, {
        roles: ROLES_OF[who],
        displayName: who,
        email: `${who}@council.example`,
        // Only `officer` holds a grant: the report is sealed to certified officers when sent.
        certified: who !== 'officer-without-grant',
      })
    }
    const report = await submitClientReport(t, 'authz matrix report')
    caseId = report.caseId
    // What management must never see: the sealed items and every grant, as stored.
    const items = await t.store.items.list(caseId)
    const grants = await t.store.grants.listForCase(caseId)
    secrets = [...items.map((i) => toBase64(i.sealed)), ...grants.map((g) => toBase64(g.sealedKey))]
    const seen = new Set<string>()
    for (const r of t.app.routes) {
      const key = `${r.method} ${r.path}`
      if (r.method === 'ALL' || seen.has(key) || r.path.includes('*')) continue
      seen.add(key)
      routes.push({ method: r.method, path: r.path })
    }
    // The annual report's public variant is the same route with a query: checked as well.
    for (const file of [':file', ':file.docx', ':file.csv', ':file.json']) {
      routes.push({ method: 'GET', path: `/management/report/${file}?variant=public` })
    }
  })
  afterAll(async () => {
    await t?.close()
  })

  const fill = (path: string) =>
    path
      .replace(':caseId', caseId)
      .replace(':blobId', 'AAAAAAAAAAAAAAAAAAAAAA')
      .replace(':measureId', 'm1')
      .replace(':index', '0')
      .replace(':id', 'nobody')
      .replace(':action', 'revoke-sessions')
      .replace(':file', '2026')

  async function call(method: string, path: string, who: Who, htmlFirst: boolean) {
    const headers: Record<string, string> = { Origin: TEST_ORIGIN }
    if (htmlFirst) headers.Accept = 'text/html'
    else headers.Accept = 'application/json'
    if (who !== 'none') headers.Cookie = await loginAs(t, staff[who].account)
    let body: BodyInit | undefined
    if (method !== 'GET') {
      if (
        path.includes('/api/') ||
        path.startsWith('/staff/login') ||
        path.startsWith('/staff/enrol')
      ) {
        headers['Content-Type'] = 'application/json'
        body = '{}'
      } else {
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
        body = ''
      }
    }
    return t.app.request(fill(path), { method, headers, body, redirect: 'manual' })
  }

  // (Signing out also lands on the login page, with ?out=1: that is not a refusal.)
  const toLogin = (res: Response) =>
    res.status === 303 && /^\/staff\/login(\?(?!out=1)|$)/.test(res.headers.get('Location') ?? '')

  it('lets each route through for its intended sessions only', async () => {
    expect(routes.length).toBeGreaterThan(50)
    const problems: string[] = []
    for (const { method, path } of routes) {
      const needs = need(method, path)
      for (const who of [
        'none',
        'officer',
        'officer-without-grant',
        'management',
        'admin',
      ] as Who[]) {
        const res = await call(method, path, who, !path.includes('/api/'))
        const text = await res.text()
        const line = `${method} ${path} as ${who} → ${res.status}`
        if (res.status >= 500) problems.push(`${line} (server error)`)
        const roles = who === 'none' ? [] : ROLES_OF[who]
        if (needs === 'login') {
          if (res.status === 403) problems.push(`${line}: a sign-in step must not answer 403`)
          continue
        }
        // METRICS_TOKEN is unset here: the route does not exist for anyone.
        if (needs === 'metrics') {
          if (res.status !== 404) problems.push(`${line}: /metrics without a token must be 404`)
          continue
        }
        const allowed =
          needs === 'public' ||
          (needs === 'staff' && who !== 'none') ||
          (needs === 'reporting' && (roles.includes('management') || roles.includes('admin'))) ||
          (needs !== 'reporter-token' &&
            needs !== 'staff' &&
            needs !== 'reporting' &&
            roles.includes(needs))
        const refused = res.status === 401 || res.status === 403 || toLogin(res)
        if (allowed && refused) problems.push(`${line}: refused but intended`)
        if (!allowed && !refused) problems.push(`${line}: let through`)
        if (!allowed && who === 'none' && !(res.status === 401 || toLogin(res))) {
          problems.push(`${line}: anonymous should get 401 or the login page`)
        }
        if (!allowed && who !== 'none' && needs !== 'reporter-token' && res.status !== 403) {
          problems.push(`${line}: a signed-in person without the role should get 403`)
        }
        // An officer without a grant sees no case: 404 on every route of that case.
        if (who === 'officer-without-grant' && path.includes(':caseId') && res.status !== 404) {
          problems.push(`${line}: an officer without a grant must get 404`)
        }
        if (who === 'management' || who === 'admin') {
          for (const s of secrets) if (text.includes(s)) problems.push(`${line}: leaked ciphertext`)
        }
      }
    }
    expect(problems.join('\n')).toBe('')
  }, 120_000)

  it('opens /metrics to its bearer token only, never to a session', async () => {
    const token = 'm'.repeat(48)
    const withToken = await makeTestApp({ env: { METRICS_TOKEN: token } })
    try {
      const admin = await addStaff(withToken.store, { roles: ['admin', 'management'] })
      const cookie = await loginAs(withToken, admin.account)
      const ask = (headers: Record<string, string>) =>
        withToken.app.request('/metrics', { headers: { Accept: 'text/plain', ...headers } })
      expect((await ask({})).status).toBe(401)
      expect((await ask({ Cookie: cookie })).status).toBe(401)
      expect((await ask({ Authorization: 'Bearer wrong' })).status).toBe(401)
      const ok = await ask({ Authorization: `Bearer ${token}` })
      expect(ok.status).toBe(200)
      const text = await ok.text()
      expect(text).not.toContain(caseId)
      for (const s of secrets) expect(text).not.toContain(s)
    } finally {
      await withToken.close()
    }
  })

  it('shows management counts and nothing of the content', async () => {
    const res = await call('GET', '/management', 'management', true)
    expect(res.status).toBe(200)
    const html = await res.text()
    // The year's total is exact: one report, shown as 1.
    expect(html).toMatch(/data-figure="received">1</)
    expect(html).not.toContain(caseId)
    for (const s of secrets) expect(html).not.toContain(s)
  })
})
