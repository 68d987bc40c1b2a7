// Property-based tests of the form and JSON parsers behind the public and staff entry points
// (issue 10, point 2): random and mutated bodies get a 4xx (or the re-shown form), never a 5xx;
// nothing is stored from them; and a report whose sealed parts were altered never opens.
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { isCryptoError } from '../../crypto/errors'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer, officerReadCase, type TestOfficer } from '../helpers/officer'
import { buildClientReport, reporterPageConfig, type BuiltReport } from '../helpers/reporter-api'
import { addStaff, loginAs } from '../helpers/staff'
import { applyMutation, mutation } from '../unit/fuzz/mutate'

let t: TestApp
let officer: TestOfficer
let adminCookie = ''
let base: BuiltReport

beforeAll(async () => {
  t = await makeTestApp()
  officer = await addOfficer(t.store)
  const admin = await addStaff(t.store, { roles: ['admin'], email: 'admin@council.example' })
  adminCookie = await loginAs(t, admin.account)
  base = await buildClientReport(await reporterPageConfig(t), 'fuzz baseline')
})
afterAll(async () => {
  await t?.close()
})

// Each run is a real request through the app: fewer runs than the pure parsers get.
const RUNS = 60
/** Dozens of requests per property: more than the default 20 s when the machine is busy. */
const FUZZ_TIMEOUT = 180_000
const caseCount = async () => (await t.store.cases.list({}, 1, 1)).total

/** Field names the forms know, and some they don't. */
const fieldName = fc.oneof(
  fc.constantFrom(
    'formToken',
    'q_what',
    'q_how_known',
    'q_when',
    'q_who',
    'anonymity',
    'contact',
    'receipt',
    'lang',
    'email',
    'authSecret',
    'code',
    'year',
    'format',
    'text',
    'confirmYear',
    '__proto__',
    'constructor'
  ),
  fc.string({ maxLength: 12 })
)
const fieldValue = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', 'anonymous', 'work', 'text', 'csv', 'json', 'docx', '2020', '\u0000', '%'),
  fc.integer().map(String)
)
const formBody = fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 12 })

function post(path: string, body: BodyInit, type?: string, cookie = '') {
  return t.app.request(path, {
    method: 'POST',
    body,
    headers: {
      Origin: TEST_ORIGIN,
      ...(type ? { 'Content-Type': type } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
    },
  })
}

function asUrlEncoded(fields: [string, string][]) {
  const p = new URLSearchParams()
  for (const [k, v] of fields) p.append(k, v)
  return p
}
function asMultipart(fields: [string, string][]) {
  const fd = new FormData()
  for (const [k, v] of fields) fd.append(k, v)
  return fd
}

describe('forms: random fields, never a 5xx, nothing stored', () => {
  const routes: [string, string][] = [
    ['the report form', '/report'],
    ['the receipt login', '/status'],
    ['the report confirmation', '/report/confirm'],
    ['the staff login', '/staff/login'],
    ['the staff TOTP step', '/staff/login/totp'],
  ]
  it.each(routes)(
    '%s (%s)',
    async (_name, path) => {
      const before = await caseCount()
      await fc.assert(
        fc.asyncProperty(formBody, fc.boolean(), async (fields, multipart) => {
          const res = multipart
            ? await post(path, asMultipart(fields))
            : await post(path, asUrlEncoded(fields), 'application/x-www-form-urlencoded')
          expect(res.status, `${path} ${JSON.stringify(fields)}`).toBeLessThan(500)
        }),
        { seed: 5001, numRuns: RUNS }
      )
      expect(await caseCount()).toBe(before)
    },
    FUZZ_TIMEOUT
  )
})

describe('JSON entry points: random and near-valid bodies, never a 5xx', () => {
  const json = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(
      fc.constantFrom('email', 'authSecret', 'authKey', 'receipt', 'v', 'caseId'),
      fc.jsonValue()
    )
  )
  it.each(['/api/status/login', '/staff/login', '/staff/login/params', '/api/report'])(
    '%s',
    async (path) => {
      const before = await caseCount()
      await fc.assert(
        fc.asyncProperty(json, async (body) => {
          const res = await post(path, JSON.stringify(body), 'application/json')
          expect(res.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400)
          expect(res.status).toBeLessThan(500)
        }),
        { seed: 5002, numRuns: RUNS }
      )
      expect(await caseCount()).toBe(before)
    },
    FUZZ_TIMEOUT
  )
})

describe('plan import (as an admin): random and mutated uploads, never a 5xx', () => {
  it(
    'text, JSON, CSV and DOCX uploads of random bytes or text',
    async () => {
      const upload = fc.record({
        format: fc.constantFrom('text', 'json', 'csv', 'docx', 'pdf', ''),
        year: fc.oneof(
          fc.constant(''),
          fc.integer({ min: 1990, max: 2110 }).map(String),
          fc.string()
        ),
        file: fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          fc.string().map((s) => Buffer.from(s))
        ),
        text: fc.string({ maxLength: 500 }),
      })
      await fc.assert(
        fc.asyncProperty(upload, async (u) => {
          const fd = new FormData()
          fd.append('format', u.format)
          fd.append('year', u.year)
          fd.append('text', u.text)
          fd.append('file', new File([Uint8Array.from(u.file)], 'plan.bin'))
          const res = await post('/officer/plan/import', fd, undefined, adminCookie)
          expect(res.status, JSON.stringify({ ...u, file: u.file.length })).toBeLessThan(500)
        }),
        { seed: 5003, numRuns: RUNS }
      )
    },
    FUZZ_TIMEOUT
  )
})

describe('sealed report API: a valid request with one part altered', () => {
  /** The baseline request with a fresh form token, case id and receipt key, so each run is new. */
  async function fresh() {
    const config = await reporterPageConfig(t)
    const caseId = randomBytes(16).toString('base64url')
    return {
      ...base.request,
      formToken: config.formToken!,
      caseId,
      reporter: { ...base.request.reporter, authKey: toBase64(randomBytes(32)) },
    }
  }
  const submit = (body: unknown) => post('/api/report', JSON.stringify(body), 'application/json')

  it('the unaltered request is stored and opens (the baseline)', async () => {
    // A report of its own: the shared one's item id may already be stored by the runs of the
    // other properties (whatever order they ran in), and its envelope names its own case id.
    const own = await buildClientReport(await reporterPageConfig(t), 'fuzz baseline')
    const res = await submit(own.request)
    expect(res.status).toBe(201)
    const read = await officerReadCase(t.store, own.request.caseId, officer)
    expect(read.envelopes[0]!.body).toMatchObject({ answers: { what: 'fuzz baseline' } })
  })

  it(
    'altered sealed answers or grants are refused or stored, and never open',
    async () => {
      const part = fc.constantFrom('answers', 'officer-grant')
      await fc.assert(
        fc.asyncProperty(part, mutation, async (which, m) => {
          const req = await fresh()
          if (which === 'answers') {
            req.answers = {
              ...req.answers,
              sealed: toBase64(applyMutation(fromBase64(req.answers.sealed), m)),
            }
          } else {
            req.grants = req.grants.map((g) =>
              g.granteeKind === 'officer'
                ? { ...g, sealedKey: toBase64(applyMutation(fromBase64(g.sealedKey), m)) }
                : g
            )
          }
          const res = await submit(req)
          expect(res.status).toBeLessThan(500)
          if (res.status !== 201) {
            expect(await t.store.cases.get(req.caseId)).toBeNull()
            return
          }
          // Stored as the opaque bytes it is, and the officer can't open it.
          let opened = false
          try {
            await officerReadCase(t.store, req.caseId, officer)
            opened = true
          } catch (e) {
            expect(isCryptoError(e), String(e)).toBe(true)
          }
          expect(opened).toBe(false)
        }),
        { seed: 5004, numRuns: 60 }
      )
    },
    FUZZ_TIMEOUT
  )

  it(
    'any field replaced by arbitrary JSON: a 4xx or a stored case, never a 5xx',
    async () => {
      const keys = Object.keys(base.request)
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue(), async (key, value) => {
          const req: Record<string, unknown> = { ...(await fresh()), [key]: value }
          const res = await submit(req)
          expect(res.status, `${key}=${JSON.stringify(value)}`).toBeLessThan(500)
          if (res.status === 201) expect(await t.store.cases.get(String(req.caseId))).not.toBeNull()
          else expect(res.status).toBeGreaterThanOrEqual(400)
        }),
        { seed: 5005, numRuns: RUNS }
      )
    },
    FUZZ_TIMEOUT
  )
})
