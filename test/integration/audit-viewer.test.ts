// The admin's audit trail page: filters (case, actor, action, period) with bad input refused
// clearly, paging back, the chain's verification shown (and a tampered chain named), exports as
// CSV and JSON Lines that match what is stored, and only admins get in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAuditLog } from '../../src/audit'
import { makeTestApp, type TestApp } from '../helpers/app'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'

let t: TestApp
let admin: TestStaff
let officer: TestStaff
let cookie: string

beforeEach(async () => {
  t = await makeTestApp()
  admin = await addStaff(t.store, { roles: ['admin'], displayName: 'Адмін Олена' })
  officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Уповноважений Петро' })
  const log = createAuditLog({ store: t.store, clock: t.clock })
  // One entry a day from 2026-03-03.
  const day = (d: number) => t.clock.set(new Date(Date.UTC(2026, 2, d, 9)))
  day(3)
  await log.record({
    actorId: officer.account.id,
    actorRole: 'officer',
    action: 'case.ack',
    subjectId: 'case-a',
  })
  day(4)
  await log.record({
    actorId: officer.account.id,
    actorRole: 'officer',
    action: 'case.reply',
    subjectId: 'case-b',
  })
  day(5)
  await log.record({
    actorId: admin.account.id,
    actorRole: 'admin',
    action: 'case.grant',
    subjectId: 'case-a',
    details: { note: '=HYPERLINK("x")' },
  })
  // Signing in records entries too, after these.
  cookie = await loginAs(t, admin.account)
})
afterEach(async () => {
  await t.close()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  t.app.request(path, { headers: { Cookie: cookie, ...headers } })
const seqs = (html: string) => [...html.matchAll(/data-seq="(\d+)"/g)].map((m) => Number(m[1]))

describe('audit trail page', () => {
  it('lists entries newest first with names, and says the chain verifies', async () => {
    const res = await get('/staff/admin/audit')
    expect(res.status).toBe(200)
    const html = await res.text()
    const all = await t.store.audit.range(1, 1000)
    expect(seqs(html)).toEqual(all.map((e) => e.seq).reverse())
    expect(html).toContain('Уповноважений Петро')
    expect(html).toContain(`Ланцюжок перевірено: ${all.length} записів`)
    expect(html).toContain(all.at(-1)!.hash)
    expect(html).toContain('href="/staff/admin/audit"')
  })

  it('filters by case, actor, action and period (Kyiv days, both ends included)', async () => {
    const onCaseA = seqs(await (await get('/staff/admin/audit?case=case-a')).text())
    const stored = await t.store.audit.listForSubject('case-a')
    expect(onCaseA).toEqual(stored.map((e) => e.seq).reverse())
    expect(onCaseA).toHaveLength(2)

    const byOfficer = await (await get(`/staff/admin/audit?actor=${officer.account.id}`)).text()
    expect(seqs(byOfficer)).toHaveLength(2)

    const acks = await (await get('/staff/admin/audit?action=case.ack&case=&from=&to=')).text()
    expect(seqs(acks)).toHaveLength(1)

    const period = await (await get('/staff/admin/audit?from=2026-03-04&to=2026-03-05')).text()
    expect(seqs(period)).toHaveLength(2)
  })

  it('htmx filtering gets the list fragment alone', async () => {
    const res = await get('/staff/admin/audit?case=case-b', { 'HX-Request': 'true' })
    const html = await res.text()
    expect(html.trimStart()).toMatch(/^<section id="audit-list"/)
    expect(seqs(html)).toHaveLength(1)
    const boosted = await get('/staff/admin/audit', { 'HX-Request': 'true', 'HX-Boosted': 'true' })
    expect(await boosted.text()).toContain('<!doctype html>')
  })

  it('refuses a malformed filter with a clear message and shows everything', async () => {
    for (const q of ['from=2026-13-01', 'from=2026-03-05&to=2026-03-01', 'before=-3', 'before=x']) {
      const res = await get(`/staff/admin/audit?${q}`)
      expect(res.status, q).toBe(400)
      expect(await res.text()).toContain('Фільтр не застосовано')
    }
    const long = await get(`/staff/admin/audit?case=${'x'.repeat(201)}`)
    expect(long.status).toBe(400)
  })

  it('pages back by sequence number', async () => {
    for (let i = 0; i < 60; i++) {
      await createAuditLog({ store: t.store, clock: t.clock }).record({
        actorRole: 'system',
        action: 'job.tick',
      })
    }
    const first = await (await get('/staff/admin/audit?action=job.tick')).text()
    expect(seqs(first)).toHaveLength(50)
    const older = /href="(\/staff\/admin\/audit\?[^"]*before=\d+[^"]*)"/.exec(first)![1]!
    const second = await (await get(older.replace(/&amp;/g, '&'))).text()
    expect(seqs(second)).toHaveLength(10)
    expect(Math.max(...seqs(second))).toBeLessThan(Math.min(...seqs(first)))
  })

  it('names the entry where a tampered chain breaks', async () => {
    const [victim] = await t.store.audit.listForSubject('case-b')
    // What someone with the database would do: rewrite an entry without knowing how to re-chain.
    const forged = { ...victim!, seq: 1_000, action: 'case.close' }
    await t.store.audit.append(forged)
    const html = await (await get('/staff/admin/audit')).text()
    expect(html).toContain('Ланцюжок порушено на записі №')
    expect(html).toContain('role="alert"')
  })

  it('exports the matching entries as CSV and JSON Lines, formulas defused', async () => {
    await createAuditLog({ store: t.store, clock: t.clock }).record({
      actorRole: 'system',
      action: '=cmd|calc',
      subjectId: 'case-a',
    })
    const csv = await get('/staff/admin/audit/export.csv?case=case-a')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('Content-Type')).toContain('text/csv')
    expect(csv.headers.get('Content-Disposition')).toContain('attachment')
    const text = await csv.text()
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(lines[0]).toBe('seq,at,actorId,actorRole,action,subjectId,details,prevHash,hash')
    expect(lines).toHaveLength(4)
    expect(lines[1]).toContain(",'=cmd|calc,case-a,")
    expect(text).toContain('"{""note"":""=HYPERLINK(\\""x\\"")""}"')

    const jsonl = await (await get('/staff/admin/audit/export.jsonl')).text()
    const parsed = jsonl
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; hash: string })
    const stored = await t.store.audit.range(1, 1000)
    expect(parsed.map((e) => [e.seq, e.hash])).toEqual(stored.map((e) => [e.seq, e.hash]).reverse())
    expect((await get('/staff/admin/audit/export.csv?from=nope')).status).toBe(400)
  })

  it('is for admins only', async () => {
    const officerCookie = await loginAs(t, officer.account)
    for (const path of ['/staff/admin/audit', '/staff/admin/audit/export.csv']) {
      const res = await t.app.request(path, { headers: { Cookie: officerCookie } })
      expect(res.status, path).toBe(403)
      const anonymous = await t.app.request(path)
      expect(anonymous.status, path).toBe(303)
    }
  })
})
