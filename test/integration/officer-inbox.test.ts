// The inbox's search, filters, sort and validation through app.request, on a few cases: a wrong
// filter gets a clear message and keeps the others; htmx gets the rows fragment with it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTestApp, type TestApp } from '../helpers/app'
import { seedInbox, type SeededCase } from '../helpers/inbox-seed'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'

const NOW = new Date('2026-03-02T09:00:00Z')
let t: TestApp
let officer: TestStaff
let cookie: string
let seeded: SeededCase[]

beforeEach(async () => {
  t = await makeTestApp({ now: NOW })
  officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena' })
  seeded = await seedInbox(t.store, {
    cases: 60,
    officerId: officer.account.id,
    now: NOW,
    planItemIds: ['plan-1'],
  })
  cookie = await loginAs(t, officer.account)
})
afterEach(async () => {
  await t.close()
})

async function inbox(query: string, htmx = false) {
  const res = await t.app.request(`/officer/cases?${query}`, {
    headers: { Cookie: cookie, ...(htmx ? { 'HX-Request': 'true' } : {}) },
  })
  const html = await res.text()
  return {
    status: res.status,
    html,
    ids: [...html.matchAll(/data-case-title="([^"]+)"/g)].map((m) => m[1]),
  }
}

const newest = (xs: SeededCase[]) =>
  [...xs].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime()).map((c) => c.id)

describe('inbox search, filters and sort', () => {
  it('finds a case by its number typed with a № sign and spaces, and keeps the number in the form', async () => {
    const target = seeded[17]!
    const r = await inbox(`reg=${encodeURIComponent(` № ${target.registrationNo} `)}`)
    expect(r.status).toBe(200)
    expect(r.ids).toEqual([target.id])
    expect(r.html).toContain(`name="reg" value="${target.registrationNo}"`)
  })

  it('filters by channel and by a received date range (Kyiv days, both ends included)', async () => {
    const phone = await inbox('channel=phone')
    expect(phone.ids).toEqual(newest(seeded.filter((c) => c.channel === 'phone')).slice(0, 20))
    const day = seeded[30]!.receivedAt.toISOString().slice(0, 10)
    const ranged = await inbox(`from=${day}&to=${day}`)
    const kyivDay = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Kyiv' })
    expect(ranged.ids).toEqual(
      newest(seeded.filter((c) => kyivDay(c.receivedAt) === day)).slice(0, 20)
    )
    expect(ranged.ids.length).toBeGreaterThan(0)
    // The wrong way round reads as the range it describes.
    const before = seeded[0]!.receivedAt.toISOString().slice(0, 10)
    expect((await inbox(`from=${day}&to=${before}`)).ids.length).toBeGreaterThanOrEqual(
      ranged.ids.length
    )
  })

  it('sorts oldest first when asked', async () => {
    const r = await inbox('sort=received&dir=asc')
    expect(r.ids).toEqual(newest(seeded).reverse().slice(0, 20))
  })

  it('answers a filter it cannot read with a message naming it, applying the rest', async () => {
    const r = await inbox('state=investigation&reg=abc&from=2026-13-45')
    expect(r.status).toBe(400)
    expect(r.html).toContain('role="alert"')
    expect(r.html).toMatch(/Не вдалося прочитати: Реєстраційний номер, Надійшло з/)
    expect(r.ids).toEqual(newest(seeded.filter((c) => c.state === 'investigation')).slice(0, 20))
    // htmx swaps only 2xx: the fragment comes with 200 and the same message.
    const frag = await inbox('page=9999', true)
    expect(frag.status).toBe(200)
    expect(frag.html.trim().startsWith('<section id="case-rows"')).toBe(true)
    expect(frag.html).toContain('Сторінка')
    expect(frag.html).toContain('role="alert"')
  })

  it('offers the search in decrypted subjects as a box the server never receives', async () => {
    const r = await inbox('')
    expect(r.html).toMatch(/<input type="search" id="f-text" autocomplete="off"/)
    expect(r.html).not.toMatch(/id="f-text"[^>]*name=/)
    expect(r.html).toContain('сервер не бачить змісту')
  })
})
