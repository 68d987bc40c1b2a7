// Retention on the officer's case page and from the CLI: the page says when the case will be
// deleted; an officer of the case places and lifts a legal hold with a plain form post (no
// JavaScript), each in the audit trail; `portal retention --dry-run` lists, `--apply` deletes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'

let t: TestApp
let officer: TestStaff
let other: TestStaff
let cookie: string

const at = new Date('2020-06-15T10:00:00Z')

beforeEach(async () => {
  t = await makeTestApp({ now: new Date('2025-11-01T09:00:00Z') })
  officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena' })
  other = await addStaff(t.store, { roles: ['officer'], displayName: 'Petro' })
  cookie = await loginAs(t, officer.account)
  for (const id of ['case-a', 'case-b']) {
    await t.store.cases.create({
      id,
      registrationNo: `2020/${id}`,
      channel: 'phone',
      anonymity: 'anonymous',
      encMode: 'client',
      state: 'closed',
      outcome: 'not-confirmed',
      tags: [],
      planItemIds: [],
      casePublicKey: 'AAAA',
      receivedAt: at,
      createdAt: at,
      clocks: [],
    })
    await t.store.grants.put({
      caseId: id,
      granteeKind: 'officer',
      granteeId: officer.account.id,
      sealedKey: new Uint8Array(80),
      createdAt: at,
    })
  }
})
afterEach(async () => {
  await t.close()
})

const page = (path: string, as = cookie) => t.app.request(path, { headers: { Cookie: as } })
const post = (path: string, fields: Record<string, string>, as = cookie) =>
  t.app.request(path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: TEST_ORIGIN,
      Cookie: as,
    },
  })

describe('the case page', () => {
  it('shows the deletion date, and places and lifts a hold with a reason (no JS)', async () => {
    const shown = await (await page('/officer/cases/case-a')).text()
    // Closed in 2020, 5 years from 1 Jan 2021.
    expect(shown).toContain('datetime="2026-01-01"')
    expect(shown).toContain('Буде видалено')
    expect(shown).toContain('Заборонити видалення')

    const empty = await post('/officer/cases/case-a/hold', { op: 'set', reason: ' ' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Вкажіть підставу')
    expect(await t.store.retention.getHold('case-a')).toBeNull()

    const set = await post('/officer/cases/case-a/hold', { op: 'set', reason: 'Запит НАБУ' })
    expect(set.status).toBe(303)
    const held = await (await page('/officer/cases/case-a')).text()
    expect(held).toContain('Заборона видалення')
    expect(held).toContain('Запит НАБУ')
    expect(held).toContain('Зняти заборону')
    expect(await t.store.retention.getHold('case-a')).toMatchObject({
      reason: 'Запит НАБУ',
      setBy: officer.account.id,
    })

    const cleared = await post('/officer/cases/case-a/hold', { op: 'clear', reason: 'Закрито' })
    expect(cleared.status).toBe(303)
    expect(await t.store.retention.getHold('case-a')).toBeNull()
    const audit = await t.store.audit.listForSubject('case-a')
    const holds = audit.filter((e) => e.action.startsWith('retention.'))
    expect(holds.map((e) => [e.action, e.details.reason])).toEqual([
      ['retention.hold-set', 'Запит НАБУ'],
      ['retention.hold-cleared', 'Закрито'],
    ])
  })

  it('warns within 30 days of the date', async () => {
    t.clock.set(new Date('2025-12-20T09:00:00Z'))
    const fresh = await loginAs(t, officer.account) // the first session expired meanwhile
    expect(await (await page('/officer/cases/case-a', fresh)).text()).toContain(
      'Незабаром буде видалено'
    )
  })

  it('an officer without the case cannot hold it', async () => {
    const otherCookie = await loginAs(t, other.account)
    const r = await post('/officer/cases/case-a/hold', { op: 'set', reason: 'x' }, otherCookie)
    expect(r.status).toBe(404)
    expect(await t.store.retention.getHold('case-a')).toBeNull()
  })
})

describe('portal retention', () => {
  it('--dry-run lists, --apply deletes, --holds lists the holds', async () => {
    await t.store.retention.setHold({ caseId: 'case-b', reason: 'суд', setBy: 'o', setAt: at })
    // The CLI reads the real clock: in 2026 and later both cases are past 1 Jan 2026.
    expect(Date.now()).toBeGreaterThan(Date.parse('2026-01-01'))
    const env = { NODE_ENV: 'test', DATA_DIR: t.dir }
    const lines: string[] = []
    const io = { env, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) }
    await t.store.close()

    expect(await runCli(['retention'], io)).toBe(2)
    lines.length = 0
    expect(await runCli(['retention', '--dry-run'], io)).toBe(0)
    expect(lines).toContain('would-delete\t2020/case-a\tnot-confirmed\tdue 2026-01-01')
    expect(lines.at(-1)).toMatch(/^would delete 1 case\(s\); held 1; busy 0 \(dry run/)
    lines.length = 0
    expect(await runCli(['retention', '--apply'], io)).toBe(0)
    expect(lines).toContain('deleted\t2020/case-a\tnot-confirmed\tdue 2026-01-01')
    expect(lines.at(-1)).toMatch(/^deleted 1 case\(s\); held 1/)
    lines.length = 0
    expect(await runCli(['retention', '--apply'], io)).toBe(0)
    expect(lines.at(-1)).toMatch(/^deleted 0 case\(s\)/)
    lines.length = 0
    expect(await runCli(['retention', '--holds'], io)).toBe(0)
    expect(lines).toEqual(['case-b\tset 2020-06-15 by o\tсуд', '1 case(s) under a legal hold'])
    expect(await runCli(['audit:verify'], io)).toBe(0)
  })
})
