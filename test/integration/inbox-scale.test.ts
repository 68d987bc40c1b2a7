// Issue 11's acceptance at scale: with 10,000 cases the inbox finds a case by registration
// number and filters by state, overdue and plan item (and sorts, and pages), on the embedded
// store and on MongoDB (FerretDB with REQUIRE_MONGO=1). Through the HTTP route, as the officer's
// browser asks, with and without htmx. The answers are worked out from what was seeded.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'
import { makeTestApp, type TestApp } from '../helpers/app'
import { newestFirst, seedInbox, type SeededCase } from '../helpers/inbox-seed'
import { addStaff, loginAs } from '../helpers/staff'
import { describeMongo, freshMongoUri } from '../setup/env'

const CASES = 10_000
// FerretDB v1 filters and sorts in its own process, so each request costs seconds at 10,000
// cases on a loaded two-core machine. Seeding 10,000 took past 15 minutes while grants.putMany
// upserted (each upsert a scan there); it inserts now, ~25 s. Measured 2026-12-07, load average
// ~20 on two cores: INBOX_SCALE_MONGO_CASES=10000 passed in 487 s (one request 30-70 s). So by
// default the MongoDB run holds 2,000 cases (still past the 1,000-case count cap and the
// 500-grant walk in mongo/cases.ts); INBOX_SCALE_MONGO_CASES=10000 runs the full acceptance.
const MONGO_CASES = Number(process.env.INBOX_SCALE_MONGO_CASES ?? 2_000)
const NOW = new Date('2026-03-02T09:00:00Z')
const PLAN = Array.from({ length: 12 }, (_, i) => `plan-2026-${i + 1}`)

// Each request reads thousands of records on FerretDB, which filters and sorts in its own
// process: seconds per request on a loaded two-core machine.
const SLOW = 300_000

function scaleSuite(label: string, openStore: () => Promise<Store>, cases = CASES) {
  let t: TestApp
  let cookie: string
  let seeded: SeededCase[]

  beforeAll(async () => {
    const store = await openStore()
    t = await makeTestApp({ store, now: NOW })
    const officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena' })
    for (const [i, id] of PLAN.entries()) {
      await t.store.plan.put({
        id,
        year: 2026,
        number: String(i + 1),
        measure: `Measure ${i + 1}`,
        deadlineText: '',
        responsible: '',
        doneText: '',
        covers: [],
        position: i,
      })
    }
    seeded = await seedInbox(t.store, {
      cases,
      officerId: officer.account.id,
      now: NOW,
      planItemIds: PLAN,
    })
    cookie = await loginAs(t, officer.account)
  }, 900_000)
  afterAll(async () => {
    await t?.close()
  })

  /** The case ids of the rows the inbox shows for a query, and its summary line. */
  async function inbox(query: string, htmx = true) {
    const res = await t.app.request(`/officer/cases?${query}`, {
      headers: { Cookie: cookie, ...(htmx ? { 'HX-Request': 'true' } : {}) },
    })
    expect(res.status, query).toBe(200)
    const html = await res.text()
    const ids = [...html.matchAll(/data-case-title="([^"]+)"/g)].map((m) => m[1])
    return { ids, html }
  }

  const firstPage = (match: (c: SeededCase) => boolean) =>
    seeded
      .filter(match)
      .sort(newestFirst)
      .slice(0, 20)
      .map((c) => c.id)

  it(
    `${label}: finds one case among ${cases} by its whole registration number`,
    async () => {
      const target = seeded[Math.floor(cases * 0.43)]!
      const { ids, html } = await inbox(`reg=${encodeURIComponent(target.registrationNo)}`, false)
      expect(ids).toEqual([target.id])
      expect(html).toContain('<html')
      expect(html).toContain(target.registrationNo)
    },
    SLOW
  )

  it(
    `${label}: finds cases by the beginning of a registration number`,
    async () => {
      const target = seeded[Math.floor(cases * 0.7)]!
      const prefix = target.registrationNo.slice(0, -1)
      const { ids } = await inbox(`reg=${encodeURIComponent(prefix)}`)
      expect(ids).toEqual(firstPage((c) => c.registrationNo.startsWith(prefix)))
      expect(ids).toContain(target.id)
    },
    SLOW
  )

  it(
    `${label}: filters by state, overdue and plan item, alone and together`,
    async () => {
      const investigation = await inbox('state=investigation')
      expect(investigation.ids).toEqual(firstPage((c) => c.state === 'investigation'))
      expect(investigation.ids).toHaveLength(20)

      const overdue = await inbox('overdue=1')
      expect(overdue.ids).toEqual(firstPage((c) => c.overdue))
      expect(overdue.ids).toHaveLength(20)

      const plan = await inbox(`plan=${PLAN[3]}`)
      const linked = seeded.filter((c) => c.planItemIds.includes(PLAN[3]!))
      expect(plan.ids).toEqual(firstPage((c) => c.planItemIds.includes(PLAN[3]!)))
      // A few hundred cases: counted exactly (the count stops only at 1,000).
      expect(linked.length).toBeLessThan(1000)
      expect(plan.html).toContain(`· усього ${linked.length}`)

      const all = await inbox(`state=received&overdue=1&plan=${PLAN[3]}`)
      expect(all.ids).toEqual(
        firstPage((c) => c.state === 'received' && c.overdue && c.planItemIds.includes(PLAN[3]!))
      )
      expect(all.ids.length).toBeGreaterThan(0)
    },
    SLOW
  )

  it(
    `${label}: counts up to 1,000 and pages within that`,
    async () => {
      const { html } = await inbox('')
      expect(html).toContain('усього 1000+')
      const page3 = await inbox('page=3')
      expect(page3.ids).toEqual(
        [...seeded]
          .sort(newestFirst)
          .slice(40, 60)
          .map((c) => c.id)
      )
    },
    SLOW
  )

  it(
    `${label}: sorts by registration number and by nearest deadline`,
    async () => {
      const byNumber = await inbox('sort=registration&dir=asc')
      const expected = [...seeded]
        .sort((a, b) => (a.registrationNo < b.registrationNo ? -1 : 1))
        .slice(0, 20)
        .map((c) => c.id)
      expect(byNumber.ids).toEqual(expected)
      const byDeadline = await inbox('sort=deadline&state=investigation')
      const dues = byDeadline.ids.map((id) => {
        const c = seeded.find((s) => s.id === id)!
        expect(c.state).toBe('investigation')
        return c
      })
      expect(dues).toHaveLength(20)
      // The soonest (most overdue) first: the first row is overdue.
      expect(dues[0]!.overdue).toBe(true)
    },
    SLOW
  )
}

describe('inbox at 10,000 cases (SQLite)', () => {
  // One transaction per thousand cases: a temporary directory on disk is fast enough.
  let dir: string | undefined
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  scaleSuite('sqlite', () => {
    dir = mkdtempSync(join(tmpdir(), 'portal-inbox-'))
    return openSqliteStore({ file: join(dir, 'inbox.sqlite') })
  })
})

describeMongo(`inbox at ${MONGO_CASES} cases (MongoDB)`, () => {
  scaleSuite(
    'mongo',
    () => openMongoStore({ uri: freshMongoUri('inbox'), dropOnClose: true }),
    MONGO_CASES
  )
})
