// The officer's workspace through app.request: scope and roles, the inbox and its fragments,
// lifecycle actions, the case record, replies and internal notes sealed as the browser seals
// them (crypto/ in Node), manual intake, grants and hand-over, and the audit trail.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { openItem, sealItem } from '../../crypto/item'
import { generateCaseKeyPair, grantCaseKey, openGrant } from '../../crypto/keys'
import { deriveReceiptKeys, generateReceipt, type ReceiptKeys } from '../../crypto/receipt'
import type {
  CaseTitleView,
  HandoverBatch,
  IntakeRequest,
  OfficerCaseView,
  OfficerItemRequest,
} from '../../src/officer/api'
import type { CaseView } from '../../src/report/api'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { hashOfSealed } from '../../src/browser/chain'
import { submitClientReport } from '../helpers/reporter-api'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { certifiedKeyIn } from '../helpers/org'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'

let t: TestApp
let officer: TestStaff
let cookie: string

beforeEach(async () => {
  t = await makeTestApp()
  officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena' })
  cookie = await loginAs(t, officer.account)
})
afterEach(async () => {
  await t.close()
})

const id = () => randomBytes(16).toString('base64url')
const DAY = 24 * 60 * 60 * 1000

// ---------------------------------------------------------------- requests

function get(path: string, as = cookie, headers: Record<string, string> = {}) {
  return t.app.request(path, { headers: { Cookie: as, ...headers } })
}

function postForm(
  path: string,
  fields: Record<string, string | string[]>,
  as = cookie,
  headers: Record<string, string> = {}
) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x)
  return t.app.request(path, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: TEST_ORIGIN,
      Cookie: as,
      ...headers,
    },
  })
}

function postJson(path: string, body: unknown, as = cookie) {
  return t.app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Origin: TEST_ORIGIN,
      Cookie: as,
    },
  })
}

async function getJson<T>(path: string, as = cookie): Promise<T> {
  const res = await get(path, as, { Accept: 'application/json' })
  expect(res.status, path).toBe(200)
  return (await res.json()) as T
}

// ---------------------------------------------------------------- a web report, as the reporter's browser makes it

/** A web report sealed as the browser seals it (test/helpers/reporter-api.ts). */
function submitWebReport(text: string) {
  return submitClientReport(t, text)
}

/** What the reporter's status page reads (JS path). */
async function reporterView(keys: ReceiptKeys): Promise<CaseView> {
  const res = await t.app.request('/api/status/login', {
    method: 'POST',
    body: JSON.stringify({ authKey: toBase64(keys.authKey) }),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as CaseView
}

// ---------------------------------------------------------------- the officer's browser, in Node

function openCase(view: OfficerCaseView, who: TestStaff = officer) {
  const casePublicKey = fromBase64(view.casePublicKey)
  const caseSecretKey = openGrant(
    fromBase64(view.grant),
    who.keys.box.publicKey,
    who.keys.box.secretKey,
    casePublicKey
  )
  return { casePublicKey, caseSecretKey }
}

/** Sealed after the item at seq - 1 in the view (an all-zero `prev` when the view lacks it). */
function sealOfficerItem(
  view: Pick<OfficerCaseView, 'caseId' | 'items'>,
  who: TestStaff,
  seq: number,
  kind: 'message' | 'note',
  text: string,
  toKey: Uint8Array
): OfficerItemRequest {
  const itemId = id()
  const before = view.items.find((i) => i.seq === seq - 1)
  const sealed = sealItem(
    {
      caseId: view.caseId,
      itemId,
      seq,
      prev: before ? hashOfSealed(before.sealed) : toBase64(new Uint8Array(32)),
      author: { role: 'officer', id: who.account.id },
      createdAt: new Date().toISOString(),
      type: kind,
      body: { text },
    },
    toKey,
    who.keys.sign.secretKey
  )
  return { itemId, seq, kind, sealed: toBase64(sealed) }
}

/** Makes the case's officers-only note key and seals it to every officer holding the case. */
async function makeNoteKey(view: OfficerCaseView) {
  const noteKeys = generateCaseKeyPair()
  const res = await postJson(`/officer/api/cases/${view.caseId}/note-key`, {
    notePublicKey: toBase64(noteKeys.publicKey),
    grants: view.grantees.map((g) => ({
      officerId: g.id,
      sealedNoteKey: toBase64(grantCaseKey(noteKeys.secretKey, fromBase64(g.boxPublicKey))),
    })),
  })
  expect(res.status).toBe(201)
  return noteKeys
}

async function act(
  caseId: string,
  action: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {}
) {
  const c = (await t.store.cases.get(caseId))!
  return postForm(
    `/officer/cases/${caseId}/actions`,
    { action, reason: 'per procedure', version: String(c.version), ...fields },
    cookie,
    headers
  )
}

// ---------------------------------------------------------------- tests

describe('officer routes: authorization', () => {
  it('should send a visitor without a session to the login page, and scripts get 401', async () => {
    const page = await t.app.request('/officer')
    expect(page.status).toBe(303)
    expect(page.headers.get('Location')).toMatch(/^\/staff\/login/)
    const api = await t.app.request('/officer/api/titles?ids=x', {
      headers: { Accept: 'application/json' },
    })
    expect(api.status).toBe(401)
    const post = await t.app.request('/officer/api/intake', {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
    })
    expect(post.status).toBe(401)
  })

  it('should refuse management and admins who are not officers (403), and never send them ciphertext', async () => {
    const { caseId } = await submitWebReport('x')
    for (const roles of [['management'], ['admin']] as const) {
      const other = await addStaff(t.store, { roles: [...roles] })
      const as = await loginAs(t, other.account)
      expect((await get('/officer', as)).status).toBe(403)
      expect((await get(`/officer/cases/${caseId}`, as)).status).toBe(403)
      const api = await get(`/officer/api/cases/${caseId}`, as, { Accept: 'application/json' })
      expect(api.status).toBe(403)
      expect(await api.text()).not.toContain('sealed')
    }
  })

  it('should answer 404 for a case the officer holds no grant for', async () => {
    const { caseId } = await submitWebReport('x')
    const late = await addStaff(t.store, { roles: ['officer'] }) // joined after the report
    const as = await loginAs(t, late.account)
    expect((await get(`/officer/cases/${caseId}`, as)).status).toBe(404)
    expect(
      (await get(`/officer/api/cases/${caseId}`, as, { Accept: 'application/json' })).status
    ).toBe(404)
    expect((await get(`/officer/cases/${caseId}/access`, as)).status).toBe(404)
    expect(
      (
        await postForm(
          `/officer/cases/${caseId}/actions`,
          { action: 'acknowledge', reason: 'x', version: '1' },
          as
        )
      ).status
    ).toBe(404)
    const titles = await getJson<{ cases: CaseTitleView[] }>(
      `/officer/api/titles?ids=${caseId}`,
      as
    )
    expect(titles.cases).toEqual([])
    const inbox = await (await get('/officer/cases', as)).text()
    expect(inbox).not.toContain(caseId)
  })
})

describe('GET /officer/cases', () => {
  it('should list the officer’s cases with state, channel, encryption and the nearest deadline', async () => {
    const { caseId } = await submitWebReport('x')
    const res = await get('/officer')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<html')
    expect(html).toContain(`data-case-title="${caseId}"`)
    expect(html).toContain('Отримано')
    expect(html).toContain('веб-форма')
    expect(html).toContain('зашифровано в браузері')
    // Web reports get their receipt clocks: acknowledge within 7 days.
    expect(html).toMatch(/строк через 7 дн\./)
    expect(html).toContain('/static/js/officer-workspace.entry.js')
    expect(html).toContain('/static/css/officer.css')
    // Nothing decrypted on the server: the title cell is a placeholder.
    expect(html).toContain('зашифровано</span></td>')
    const en = await (await get('/officer/cases?lang=en')).text()
    expect(en).toContain('due in 7 days')
    expect(en).toContain('encrypted in browser')
  })

  it('should answer htmx with the rows fragment only (Vary: HX-Request), boosted navigation with the page', async () => {
    await submitWebReport('x')
    const frag = await get('/officer/cases?state=received', cookie, { 'HX-Request': 'true' })
    expect(frag.status).toBe(200)
    expect(frag.headers.get('Vary')).toContain('HX-Request')
    const html = await frag.text()
    expect(html).not.toContain('<html')
    expect(html.trim().startsWith('<section id="case-rows"')).toBe(true)
    const boosted = await get('/officer/cases', cookie, {
      'HX-Request': 'true',
      'HX-Boosted': 'true',
    })
    expect(await boosted.text()).toContain('<html')
  })

  it('should filter by state, category, assignee, plan item and overdue, and page', async () => {
    const ids: string[] = []
    for (let i = 0; i < 23; i++) {
      t.clock.advance(60_000)
      ids.push((await submitWebReport(`r${i}`)).caseId)
    }
    const first = (await get('/officer/cases')).text()
    expect((await first).match(/data-case-title=/g)).toHaveLength(20)
    const second = await (
      await get('/officer/cases?page=2', cookie, { 'HX-Request': 'true' })
    ).text()
    expect(second.match(/data-case-title=/g)).toHaveLength(3)
    expect(second).toContain('Сторінка 2 з 2')

    // Newest first: the last report is on page one.
    expect(await first).toContain(ids[22]!)
    expect(await act(ids[0]!, 'acknowledge')).toHaveProperty('status', 303)
    const c0 = (await t.store.cases.get(ids[0]!))!
    await t.store.plan.put({
      id: 'plan-2026-15',
      year: 2026,
      number: '15',
      measure: 'Reports',
      deadlineText: '',
      responsible: '',
      doneText: '',
      covers: [],
      position: 1,
    })
    const saved = await postForm(`/officer/cases/${ids[0]}/fields`, {
      category: 'procurement',
      tags: 'tender',
      assigneeId: officer.account.id,
      planItemIds: 'plan-2026-15',
      version: String(c0.version),
    })
    expect(saved.status).toBe(303)

    const rowsOf = async (q: string) => {
      const html = await (await get(`/officer/cases?${q}`, cookie, { 'HX-Request': 'true' })).text()
      return [...html.matchAll(/data-case-title="([^"]+)"/g)].map((m) => m[1])
    }
    expect(await rowsOf('state=preliminary-review')).toEqual([ids[0]])
    expect(await rowsOf('category=procurement')).toEqual([ids[0]])
    expect(await rowsOf('assignee=me')).toEqual([ids[0]])
    expect(await rowsOf(`assignee=${officer.account.id}`)).toEqual([ids[0]])
    expect(await rowsOf('plan=plan-2026-15')).toEqual([ids[0]])
    expect(await rowsOf('overdue=1')).toEqual([])
    // Eight days later every unacknowledged report is overdue (acknowledge: 7 days).
    t.clock.advance(8 * DAY)
    cookie = await loginAs(t, officer.account) // the old session went idle meanwhile
    const overdue = await rowsOf('overdue=1')
    expect(overdue).toHaveLength(20)
    expect(overdue).not.toContain(ids[0])
    expect(
      await (await get('/officer/cases?overdue=1', cookie, { 'HX-Request': 'true' })).text()
    ).toMatch(/прострочено на 1 дн\./)
  })
})

describe('lifecycle actions on /officer/cases/:id', () => {
  it('should acknowledge, open an investigation and close with an outcome, each recorded in the audit trail', async () => {
    const { caseId } = await submitWebReport('x')
    const page = await (await get(`/officer/cases/${caseId}`)).text()
    expect(page).toContain('Підтвердити отримання')
    expect(page).toContain('Підстави бачать адміністратори')
    expect(page).toContain('зашифровано в браузері')
    // The case's audit trail is linked for admins only (this officer is not one).
    expect(page).not.toContain('/staff/admin/audit')

    const res = await act(caseId, 'acknowledge')
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/officer/cases/${caseId}?saved=1`)
    let c = (await t.store.cases.get(caseId))!
    expect(c.state).toBe('preliminary-review')
    expect(c.clocks.find((k) => k.kind === 'acknowledge')?.metAt).toBeDefined()

    // htmx gets the refreshed status fragment.
    const frag = await act(caseId, 'open-investigation', {}, { 'HX-Request': 'true' })
    expect(frag.status).toBe(200)
    const html = await frag.text()
    expect(html).not.toContain('<html')
    expect(html).toContain('id="case-status"')
    expect(html).toContain('Службове розслідування')

    expect((await act(caseId, 'close', { outcome: 'confirmed' })).status).toBe(303)
    c = (await t.store.cases.get(caseId))!
    expect(c).toMatchObject({ state: 'closed', outcome: 'confirmed' })

    const audit = await t.store.audit.listForSubject(caseId)
    const actions = audit.filter((e) => e.action === 'case.action').map((e) => e.details.action)
    expect(actions).toEqual(['acknowledge', 'open-investigation', 'close'])
    expect(audit.find((e) => e.details.action === 'close')?.details).toMatchObject({
      outcome: 'confirmed',
      reason: 'per procedure',
      from: 'investigation',
      to: 'closed',
    })
    expect(audit.some((e) => e.action === 'case.open' && e.actorId === officer.account.id)).toBe(
      true
    )
  })

  it('should link an officer who is also an admin to the case’s audit trail', async () => {
    const both = await addStaff(t.store, { roles: ['officer', 'admin'], displayName: 'Oksana' })
    const { caseId } = await submitWebReport('x')
    const as = await loginAs(t, both.account)
    const page = await (await get(`/officer/cases/${caseId}`, as)).text()
    expect(page).toContain(`href="/staff/admin/audit?case=${encodeURIComponent(caseId)}"`)
    const trail = await (
      await get(`/staff/admin/audit?case=${encodeURIComponent(caseId)}`, as)
    ).text()
    expect(trail).toContain('case.open')
  })

  it('should record where a case is referred, asking for the body (and its name for another body)', async () => {
    const { caseId } = await submitWebReport('x')
    expect((await act(caseId, 'acknowledge')).status).toBe(303)
    const page = await (await get(`/officer/cases/${caseId}`)).text()
    expect(page).toContain('name="referralBody"')
    expect(page).toContain('Національна поліція')

    const refused: Record<string, string>[] = [
      {},
      { referralBody: 'interpol' },
      { referralBody: 'other' },
    ]
    for (const fields of refused) {
      const res = await act(caseId, 'refer', fields)
      expect(res.status, JSON.stringify(fields)).toBe(422)
      expect(await res.text()).toContain('Оберіть орган')
    }
    expect((await t.store.cases.get(caseId))!.state).toBe('preliminary-review')

    const res = await act(caseId, 'refer', { referralBody: 'other', referralName: ' ДБР ' })
    expect(res.status).toBe(303)
    const c = (await t.store.cases.get(caseId))!
    expect(c.state).toBe('referred')
    expect(c.referral).toEqual({ body: 'other', name: 'ДБР', at: t.clock.now() })
    expect(await (await get(`/officer/cases/${caseId}`)).text()).toContain('ДБР')
    const audit = await t.store.audit.listForSubject(caseId)
    expect(audit.find((e) => e.details.action === 'refer')?.details.referredTo).toBe('other')
  })

  it('should refuse an illegal transition, a missing reason, a missing outcome and a stale version', async () => {
    const { caseId } = await submitWebReport('x')
    const illegal = await act(caseId, 'close', { outcome: 'confirmed' })
    expect(illegal.status).toBe(409)
    expect(await illegal.text()).toContain('Ця дія неможлива в теперішньому стані справи.')

    const noReason = await act(caseId, 'acknowledge', { reason: '  ' })
    expect(noReason.status).toBe(422)
    expect(await noReason.text()).toContain('Зазначте підставу.')

    await act(caseId, 'acknowledge')
    await act(caseId, 'open-investigation')
    const noOutcome = await act(caseId, 'close', { outcome: '' })
    expect(noOutcome.status).toBe(422)

    const stale = await postForm(`/officer/cases/${caseId}/actions`, {
      action: 'close',
      outcome: 'confirmed',
      reason: 'x',
      version: '1',
    })
    expect(stale.status).toBe(409)
    expect(await stale.text()).toContain('Хтось інший щойно змінив цю справу')
    expect((await t.store.cases.get(caseId))!.state).toBe('investigation')

    const en = await postForm(`/officer/cases/${caseId}/actions?lang=en`, {
      action: 'close',
      outcome: 'confirmed',
      reason: 'x',
      version: '1',
    })
    expect(await en.text()).toContain('Someone else changed this case just now')
  })

  it('should let a second person, and only them, approve an extension', async () => {
    const head = await addStaff(t.store, { roles: ['officer'], displayName: 'Head' })
    const { caseId } = await submitWebReport('x')
    await act(caseId, 'acknowledge')
    await act(caseId, 'open-investigation')
    expect((await act(caseId, 'request-extension', { extensionDays: '10' })).status).toBe(303)
    expect((await t.store.cases.get(caseId))!.pendingExtension).toMatchObject({
      requestedBy: officer.account.id,
      days: 10,
    })
    const self = await act(caseId, 'approve-extension', { extensionDays: '10' })
    expect(self.status).toBe(422)
    expect(await self.text()).toContain('Продовження погоджує інша особа')

    // The head holds the case too (granted at submission), and approves.
    const headCookie = await loginAs(t, head.account)
    const c = (await t.store.cases.get(caseId))!
    const due = c.clocks.find((k) => k.kind === 'investigation' && !k.metAt)!.dueAt
    const ok = await postForm(
      `/officer/cases/${caseId}/actions`,
      {
        action: 'approve-extension',
        extensionDays: '10',
        reason: 'experts needed',
        version: String(c.version),
      },
      headCookie
    )
    expect(ok.status).toBe(303)
    const after = (await t.store.cases.get(caseId))!
    expect(after.pendingExtension).toBeUndefined()
    const extended = after.clocks.find((k) => k.kind === 'investigation' && !k.metAt)!
    expect(extended.extendedDays).toBe(10)
    expect(extended.dueAt.getTime() - due.getTime()).toBe(10 * DAY)
  })
})

describe('case record on /officer/cases/:id', () => {
  it('should assign registration numbers per year in order', async () => {
    const a = await submitWebReport('a')
    const b = await submitWebReport('b')
    for (const caseId of [a.caseId, b.caseId]) {
      const c = (await t.store.cases.get(caseId))!
      expect(
        (await postForm(`/officer/cases/${caseId}/registration`, { version: String(c.version) }))
          .status
      ).toBe(303)
    }
    expect((await t.store.cases.get(a.caseId))!.registrationNo).toBe('2026/0001')
    expect((await t.store.cases.get(b.caseId))!.registrationNo).toBe('2026/0002')
    const again = await postForm(`/officer/cases/${a.caseId}/registration`, {
      version: String((await t.store.cases.get(a.caseId))!.version),
    })
    expect(again.status).toBe(409)
    expect(await (await get('/officer/cases')).text()).toContain('2026/0001')
  })

  it('should save category, tags, assignee and plan items, and refuse what does not fit', async () => {
    const { caseId } = await submitWebReport('x')
    await t.store.plan.put({
      id: 'plan-2026-16',
      year: 2026,
      number: '16',
      measure: 'Protection',
      deadlineText: '',
      responsible: '',
      doneText: '',
      covers: [],
      position: 1,
    })
    const version = () => t.store.cases.get(caseId).then((c) => String(c!.version))
    const ok = await postForm(`/officer/cases/${caseId}/fields`, {
      category: 'procurement',
      tags: 'Tender, urgent',
      assigneeId: officer.account.id,
      planItemIds: ['plan-2026-16'],
      version: await version(),
    })
    expect(ok.status).toBe(303)
    expect(await t.store.cases.get(caseId)).toMatchObject({
      category: 'procurement',
      tags: ['tender', 'urgent'],
      assigneeId: officer.account.id,
      planItemIds: ['plan-2026-16'],
    })

    const stranger = await addStaff(t.store, { roles: ['officer'] })
    const bad: Record<string, string | string[]>[] = [
      { category: 'made-up' },
      { tags: '<script>' },
      { assigneeId: stranger.account.id },
      { planItemIds: ['plan-1999-1'] },
    ]
    for (const fields of bad) {
      const res = await postForm(`/officer/cases/${caseId}/fields`, {
        ...fields,
        version: await version(),
      })
      expect(res.status, JSON.stringify(fields)).toBe(422)
    }
    const html = await (await get(`/officer/cases/${caseId}`)).text()
    expect(html).toContain('16. Protection')
    expect(html).toMatch(/value="plan-2026-16" checked/)
  })

  it('should record protection measures as kind, date and outcome only', async () => {
    const { caseId } = await submitWebReport('x')
    const c = (await t.store.cases.get(caseId))!
    const res = await postForm(`/officer/cases/${caseId}/measures`, {
      kind: 'legal-aid',
      takenOn: '2026-03-01',
      outcome: 'pending',
      version: String(c.version),
    })
    expect(res.status).toBe(303)
    const [m] = (await t.store.cases.get(caseId))!.protectionMeasures
    expect(m).toMatchObject({
      kind: 'legal-aid',
      takenOn: '2026-03-01',
      outcome: 'pending',
      recordedBy: officer.account.id,
    })
    const v = String((await t.store.cases.get(caseId))!.version)
    expect(
      (
        await postForm(`/officer/cases/${caseId}/measures/${m!.id}`, {
          outcome: 'effective',
          version: v,
        })
      ).status
    ).toBe(303)
    expect((await t.store.cases.get(caseId))!.protectionMeasures[0]!.outcome).toBe('effective')
    const future = await postForm(`/officer/cases/${caseId}/measures`, {
      kind: 'legal-aid',
      takenOn: '2027-01-01',
      outcome: 'pending',
      version: String((await t.store.cases.get(caseId))!.version),
    })
    expect(future.status).toBe(422)
  })
})

describe('the sealed thread: /officer/api/cases/:id', () => {
  it('should mark a case read when opened, and hand the officer the ciphertext and grant, recording the decrypt request', async () => {
    const sentinel = `SENTINEL-${id()}`
    const { caseId } = await submitWebReport(sentinel)
    expect((await t.store.cases.get(caseId))!.unreadForOfficers).toBe(true)
    expect(await (await get('/officer/cases')).text()).toContain('badge-unread')
    expect((await get(`/officer/cases/${caseId}`)).status).toBe(200)
    expect((await t.store.cases.get(caseId))!.unreadForOfficers).toBe(false)
    const view = await getJson<OfficerCaseView>(`/officer/api/cases/${caseId}`)
    expect(JSON.stringify(view)).not.toContain(sentinel)
    const { casePublicKey, caseSecretKey } = openCase(view)
    const first = openItem(fromBase64(view.items[0]!.sealed), casePublicKey, caseSecretKey, {
      caseId,
      seq: 1,
      signerPublicKey: fromBase64(view.reporterSignPublicKey!),
    })
    expect(first.verified).toBe(true)
    expect(JSON.stringify(first.envelope.body)).toContain(sentinel)
    const audit = await t.store.audit.listForSubject(caseId)
    expect(
      audit.some((e) => e.action === 'case.decrypt-request' && e.actorId === officer.account.id)
    ).toBe(true)

    const titles = await getJson<{ cases: CaseTitleView[] }>(
      `/officer/api/titles?ids=${caseId},nonsense`
    )
    expect(titles.cases.map((c) => c.caseId)).toEqual([caseId])
    expect(titles.cases[0]!.first?.seq).toBe(1)
  })

  it('should post a reply sealed in the browser that the reporter can read, retrying a taken sequence number', async () => {
    const { caseId, keys } = await submitWebReport('x')
    const view = await getJson<OfficerCaseView>(`/officer/api/cases/${caseId}`)
    const { casePublicKey } = openCase(view)
    const reply = sealOfficerItem(
      view,
      officer,
      2,
      'message',
      'We have started the review.',
      casePublicKey
    )
    const res = await postJson(`/officer/api/cases/${caseId}/items`, reply)
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ seq: 2 })
    const taken = await postJson(
      `/officer/api/cases/${caseId}/items`,
      sealOfficerItem(view, officer, 2, 'message', 'again', casePublicKey)
    )
    expect(taken.status).toBe(409)
    expect(await taken.json()).toMatchObject({ error: 'seq-taken', lastSeq: 2 })
    // Fields beyond the contract could only be plaintext.
    const leak = await postJson(`/officer/api/cases/${caseId}/items`, {
      ...sealOfficerItem(view, officer, 3, 'message', 'x', casePublicKey),
      text: 'plain',
    })
    expect(leak.status).toBe(400)
    expect(await leak.json()).toMatchObject({ error: 'plaintext-field' })

    const r = await reporterView(keys)
    const csk = openGrant(fromBase64(r.grant), keys.box.publicKey, keys.box.secretKey)
    const signer = certifiedKeyIn(r, officer.account.id)
    const opened = openItem(fromBase64(r.items[1]!.sealed), fromBase64(r.casePublicKey), csk, {
      caseId,
      seq: 2,
      signerPublicKey: signer,
    })
    expect(opened.verified).toBe(true)
    expect(opened.envelope.body).toEqual({ text: 'We have started the review.' })
    expect(
      (await t.store.audit.listForSubject(caseId)).some((e) => e.action === 'case.reply')
    ).toBe(true)
  })

  it('should keep internal notes from the reporter: sealed to the officers-only note key, never on reporter routes', async () => {
    const colleague = await addStaff(t.store, { roles: ['officer'], displayName: 'Petro' })
    const { caseId, keys } = await submitWebReport('x')
    let view = await getJson<OfficerCaseView>(`/officer/api/cases/${caseId}`)
    // No note key yet: a note would have to be sealed to the case key, which the reporter holds.
    const early = await postJson(
      `/officer/api/cases/${caseId}/items`,
      sealOfficerItem(view, officer, 2, 'note', 'x', openCase(view).casePublicKey)
    )
    expect(early.status).toBe(409)
    expect(await early.json()).toMatchObject({ error: 'no-note-key' })

    expect(view.grantees.map((g) => g.id).sort()).toEqual(
      [officer.account.id, colleague.account.id].sort()
    )
    const noteKeys = await makeNoteKey(view)
    const again = await postJson(`/officer/api/cases/${caseId}/note-key`, {
      notePublicKey: toBase64(noteKeys.publicKey),
      grants: [
        {
          officerId: officer.account.id,
          sealedNoteKey: toBase64(grantCaseKey(noteKeys.secretKey, officer.keys.box.publicKey)),
        },
      ],
    })
    expect(again.status).toBe(409)

    const secret = `NOTE-SENTINEL-${id()}`
    expect(
      (
        await postJson(
          `/officer/api/cases/${caseId}/items`,
          sealOfficerItem(view, officer, 2, 'note', secret, noteKeys.publicKey)
        )
      ).status
    ).toBe(201)
    expect((await t.store.cases.get(caseId))!.unreadForReporter).toBe(false)

    // The reporter's API names the note's number but never sends it.
    const r = await reporterView(keys)
    expect(r.items.map((i) => i.kind)).toEqual(['answers'])
    expect(r.internalSeqs).toEqual([2])
    // Even the stored ciphertext does not open with the case key the reporter holds.
    const stored = (await t.store.items.list(caseId)).find((i) => i.kind === 'note')!
    const csk = openGrant(fromBase64(r.grant), keys.box.publicKey, keys.box.secretKey)
    expect(() => openItem(stored.sealed, fromBase64(r.casePublicKey), csk, { caseId })).toThrow()

    // Both officers open it with the note key from their own grant.
    for (const [who, as] of [
      [officer, cookie],
      [colleague, await loginAs(t, colleague.account)],
    ] as const) {
      view = await getJson<OfficerCaseView>(`/officer/api/cases/${caseId}`, as)
      const npk = fromBase64(view.notePublicKey!)
      const nsk = openGrant(
        fromBase64(view.noteGrant!),
        who.keys.box.publicKey,
        who.keys.box.secretKey,
        npk
      )
      const item = view.items.find((i) => i.kind === 'note')!
      const note = openItem(fromBase64(item.sealed), npk, nsk, {
        caseId,
        seq: 2,
        signerPublicKey: officer.keys.sign.publicKey,
      })
      expect(note).toMatchObject({ verified: true, envelope: { body: { text: secret } } })
    }
  })
})

describe('GET /officer/api/cases/:id/blobs/:blobId/data', () => {
  it('should hand out an attachment’s ciphertext for the officer’s own case only, and record it', async () => {
    const { caseId } = await submitWebReport('x')
    const other = await submitWebReport('y')
    const blobId = id()
    const cipher = new Uint8Array(randomBytes(1000))
    await t.store.blobs.begin(blobId, caseId, t.clock.now())
    await t.store.blobs.putPiece(blobId, 0, cipher)
    await t.store.blobs.complete(blobId, 1)
    const res = await get(`/officer/api/cases/${caseId}/blobs/${blobId}/data`)
    expect(res.status).toBe(200)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(cipher)
    const audit = await t.store.audit.listForSubject(caseId)
    expect(audit.find((e) => e.details.blobId === blobId)?.action).toBe('case.decrypt-request')
    // Named under another case, or for an officer without a grant: not found.
    expect((await get(`/officer/api/cases/${other.caseId}/blobs/${blobId}/data`)).status).toBe(404)
    const late = await addStaff(t.store, { roles: ['officer'] })
    expect(
      (
        await get(
          `/officer/api/cases/${caseId}/blobs/${blobId}/data`,
          await loginAs(t, late.account)
        )
      ).status
    ).toBe(404)
  })
})

describe('POST /officer/api/intake', () => {
  async function intakeRequest(
    opts: { receipt?: boolean; channel?: string; receivedAt?: Date } = {}
  ) {
    const officers = (await t.store.accounts.list()).filter((a) => a.roles.includes('officer'))
    const caseKeys = generateCaseKeyPair()
    const caseId = id()
    const itemId = id()
    const sealed = sealItem(
      {
        caseId,
        itemId,
        seq: 1,
        prev: '',
        author: { role: 'officer', id: officer.account.id },
        createdAt: new Date().toISOString(),
        type: 'answers',
        body: {
          questionsVersion: 1,
          answers: { what: 'By phone: the tender was rigged.' },
          title: 'Tender by phone',
          attachments: 0,
        },
      },
      caseKeys.publicKey,
      officer.keys.sign.secretKey
    )
    let reporter: IntakeRequest['reporter']
    let keys: ReceiptKeys | undefined
    const grants: IntakeRequest['grants'] = officers.map((o) => ({
      granteeKind: 'officer',
      granteeId: o.id,
      sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, fromBase64(o.boxPublicKey!))),
    }))
    if (opts.receipt) {
      const html = await (await get('/officer/intake')).text()
      const config = JSON.parse(/id="officer-config">([^<]+)</.exec(html)![1]!) as {
        page: { deploymentSalt: string }
      }
      keys = await deriveReceiptKeys(
        generateReceipt('words'),
        Uint8Array.from(Buffer.from(config.page.deploymentSalt, 'hex')),
        nativeArgon2id
      )
      reporter = {
        boxPublicKey: toBase64(keys.box.publicKey),
        signPublicKey: toBase64(keys.sign.publicKey),
        authKey: toBase64(keys.authKey),
      }
      grants.push({
        granteeKind: 'reporter',
        granteeId: 'reporter',
        sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, keys.box.publicKey)),
      })
    }
    const request: IntakeRequest = {
      v: 1,
      caseId,
      // Any string: the tests send channels the schema refuses ('web').
      channel: (opts.channel ?? 'phone') as IntakeRequest['channel'],
      anonymity: 'anonymous',
      receivedAt: (opts.receivedAt ?? new Date(t.clock.now().getTime() - 2 * DAY)).toISOString(),
      casePublicKey: toBase64(caseKeys.publicKey),
      grants,
      answers: { itemId, sealed: toBase64(sealed) },
      ...(reporter ? { reporter } : {}),
    }
    return { request, keys, caseId }
  }

  it('should register a report received by phone with clocks from the time it was received', async () => {
    const { request, caseId } = await intakeRequest()
    const res = await postJson('/officer/api/intake', request)
    expect(res.status).toBe(201)
    const c = (await t.store.cases.get(caseId))!
    expect(c).toMatchObject({
      channel: 'phone',
      encMode: 'client',
      state: 'received',
      receivedAt: new Date(request.receivedAt),
    })
    expect(c.receiptLookup).toBeUndefined()
    const ack = c.clocks.find((k) => k.kind === 'acknowledge')!
    expect(ack.startedAt).toEqual(new Date(request.receivedAt))
    const items = await t.store.items.list(caseId)
    expect(items.map((i) => [i.seq, i.kind, i.authorRole, i.authorId])).toEqual([
      [1, 'answers', 'officer', officer.account.id],
    ])
    const audit = await t.store.audit.listForSubject(caseId)
    expect(audit.find((e) => e.action === 'case.intake')?.details).toMatchObject({
      channel: 'phone',
      receipt: false,
    })
    // Received two days ago: acknowledgement due in five.
    expect(await (await get('/officer/cases')).text()).toMatch(/строк через 5 дн\./)
  })

  it('should give a phone reporter a receipt that opens the case on the status API', async () => {
    const { request, keys, caseId } = await intakeRequest({ receipt: true, channel: 'nazk-portal' })
    expect((await postJson('/officer/api/intake', request)).status).toBe(201)
    const r = await reporterView(keys!)
    expect(r.caseId).toBe(caseId)
    const csk = openGrant(fromBase64(r.grant), keys!.box.publicKey, keys!.box.secretKey)
    const signer = certifiedKeyIn(r, officer.account.id)
    const answers = openItem(fromBase64(r.items[0]!.sealed), fromBase64(r.casePublicKey), csk, {
      caseId,
      seq: 1,
      signerPublicKey: signer,
    })
    expect(answers.verified).toBe(true)
  })

  it('should refuse a report not granted to every officer, a future date, web channels and plaintext', async () => {
    const late = await intakeRequest()
    await addStaff(t.store, { roles: ['officer'] })
    const missing = await postJson('/officer/api/intake', late.request)
    expect(missing.status).toBe(409)
    expect(await missing.json()).toMatchObject({ error: 'officers-changed' })
    const future = await intakeRequest({ receivedAt: new Date(t.clock.now().getTime() + DAY) })
    expect((await postJson('/officer/api/intake', future.request)).status).toBe(422)
    const web = await intakeRequest({ channel: 'web' })
    expect((await postJson('/officer/api/intake', web.request)).status).toBe(400)
    const plain = await intakeRequest()
    const res = await postJson('/officer/api/intake', {
      ...plain.request,
      text: 'the tender was rigged',
    })
    expect(await res.json()).toMatchObject({ error: 'plaintext-field' })
    expect((await t.store.cases.list({}, 1, 10)).total).toBe(0)
  })
})

describe('access: grants, revocation and hand-over', () => {
  it('should grant a case to an officer who joined later, who can then open it; revoke, but never the last grant', async () => {
    const { caseId } = await submitWebReport('x')
    const late = await addStaff(t.store, { roles: ['officer'], displayName: 'Newcomer' })
    const lateCookie = await loginAs(t, late.account)
    const access = await (await get(`/officer/cases/${caseId}/access`)).text()
    expect(access).toContain('Newcomer')
    expect(access).toContain('id="grant-form"')

    const view = await getJson<OfficerCaseView>(`/officer/api/cases/${caseId}`)
    const noteKeys = await makeNoteKey(view)
    const { caseSecretKey } = openCase(view)
    // Without the note key the grant is refused once the case has one.
    const noNote = await postJson(`/officer/api/cases/${caseId}/grants`, {
      granteeId: late.account.id,
      sealedKey: toBase64(grantCaseKey(caseSecretKey, late.keys.box.publicKey)),
    })
    expect(noNote.status).toBe(409)
    const res = await postJson(`/officer/api/cases/${caseId}/grants`, {
      granteeId: late.account.id,
      sealedKey: toBase64(grantCaseKey(caseSecretKey, late.keys.box.publicKey)),
      sealedNoteKey: toBase64(grantCaseKey(noteKeys.secretKey, late.keys.box.publicKey)),
    })
    expect(res.status).toBe(201)
    const theirs = await getJson<OfficerCaseView>(`/officer/api/cases/${caseId}`, lateCookie)
    expect(openCase(theirs, late).caseSecretKey).toEqual(caseSecretKey)
    expect(
      openGrant(fromBase64(theirs.noteGrant!), late.keys.box.publicKey, late.keys.box.secretKey)
    ).toEqual(noteKeys.secretKey)
    expect(t.mail.length + (await t.store.outbox.list()).length).toBeGreaterThan(0)

    const revoked = await postForm(`/officer/cases/${caseId}/access/revoke`, {
      granteeId: late.account.id,
    })
    expect(revoked.status).toBe(303)
    expect((await get(`/officer/cases/${caseId}`, lateCookie)).status).toBe(404)
    const last = await postForm(`/officer/cases/${caseId}/access/revoke`, {
      granteeId: officer.account.id,
    })
    expect(last.status).toBe(409)
    expect(await last.text()).toContain('Це останній доступ')
    const audit = (await t.store.audit.listForSubject(caseId)).map((e) => e.action)
    expect(audit).toEqual(expect.arrayContaining(['case.grant', 'case.revoke', 'case.note-key']))
  })

  it('should hand all cases of a leaving officer to a newcomer in resumable batches', async () => {
    const leaver = await addStaff(t.store, { roles: ['officer'], displayName: 'Leaver' })
    const ids: string[] = []
    for (let i = 0; i < 23; i++) ids.push((await submitWebReport(`r${i}`)).caseId)
    const newcomer = await addStaff(t.store, { roles: ['officer'], displayName: 'Newcomer' })
    expect(await (await get('/officer/handover')).text()).toContain('Newcomer')

    let after = ''
    let granted = 0
    let total = 0
    for (let round = 0; round < 5; round++) {
      const batch = await getJson<HandoverBatch>(
        `/officer/api/handover?from=${leaver.account.id}&to=${newcomer.account.id}&after=${after}`
      )
      // What is left to hand over shrinks as the leaver's grants are revoked.
      if (round === 0) total = batch.total
      const grants = batch.items
        .filter((i) => i.grant && !i.done)
        .map((i) => {
          const csk = openGrant(
            fromBase64(i.grant!),
            officer.keys.box.publicKey,
            officer.keys.box.secretKey,
            fromBase64(i.casePublicKey)
          )
          return {
            caseId: i.caseId,
            sealedKey: toBase64(grantCaseKey(csk, newcomer.keys.box.publicKey)),
          }
        })
      const res = await postJson('/officer/api/handover', {
        from: leaver.account.id,
        to: newcomer.account.id,
        revokeFrom: true,
        grants,
      })
      expect(res.status).toBe(200)
      granted += ((await res.json()) as { granted: number }).granted
      if (round === 0) {
        // Interrupted after the first batch: the run resumes from the same cursor without harm.
        const again = await getJson<HandoverBatch>(
          `/officer/api/handover?from=${leaver.account.id}&to=${newcomer.account.id}&after=`
        )
        expect(again.items.every((i) => !i.done)).toBe(true) // revoked from the leaver: no longer theirs
      }
      if (!batch.next) break
      after = batch.next
    }
    expect(total).toBe(23)
    expect(granted).toBe(23)
    expect(await t.store.grants.listForGrantee('officer', leaver.account.id)).toHaveLength(0)
    expect(await t.store.grants.listForGrantee('officer', newcomer.account.id)).toHaveLength(23)
    const theirs = await getJson<OfficerCaseView>(
      `/officer/api/cases/${ids[5]}`,
      await loginAs(t, newcomer.account)
    )
    expect(openCase(theirs, newcomer).caseSecretKey).toHaveLength(32)
  })
})
