// Receipts on /report without JavaScript: Ukrainian words on the Ukrainian page, EFF words on the
// English one, 32 digits when the reporter chooses digits; each opens the case on /status.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { EFF_LARGE_WORDLIST } from '../../crypto/wordlist-eff-large'
import { UK_WORDLIST } from '../../crypto/wordlist-uk'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
  await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

/** Posts the no-JS form of `path` (its own form token and action) and returns the receipt parts. */
async function report(path: string, fields: Record<string, string> = {}) {
  const page = await (await t.app.request(path)).text()
  const token = /name="formToken" value="([^"]+)"/.exec(page)![1]!
  const action = /id="report-form" method="post" action="([^"]+)"/.exec(page)![1]!
  const fd = new FormData()
  for (const [k, v] of Object.entries({
    formToken: token,
    q_what: 'Tender rigged',
    q_how_known: 'work',
    ...fields,
  })) {
    fd.append(k, v)
  }
  const res = await t.app.request(action.replace(/&amp;/g, '&'), {
    method: 'POST',
    body: fd,
    headers: { Origin: TEST_ORIGIN },
  })
  expect(res.status).toBe(200)
  const html = await res.text()
  const parts = [...html.matchAll(/<span class="receipt-n">\d+<\/span> ([^<]+)<\/span>/g)].map(
    (m) => m[1]!
  )
  return { html, parts }
}

async function opens(receipt: string, lang = '') {
  const login = await t.app.request(`/status${lang}`, formPost({ receipt }))
  expect(login.status, receipt).toBe(303)
  const cookie = login.headers.get('Set-Cookie')!.split(';')[0]!
  const page = await (await t.app.request('/status/case', { headers: { Cookie: cookie } })).text()
  expect(page).toContain('Tender rigged')
}

describe('receipts by language and kind (no JavaScript)', () => {
  it('offers words (default) or 32 digits on the form', async () => {
    const html = await (await t.app.request('/report')).text()
    expect(html).toMatch(/name="receiptKind" value="words" checked/)
    expect(html).toMatch(/name="receiptKind" value="digits">/)
    expect(html).toContain('32 цифри')
    expect(await (await t.app.request('/report?lang=en')).text()).toContain('32 digits')
  })

  it('gives a Ukrainian receipt on the Ukrainian page, which opens the case however typed', async () => {
    const { html, parts } = await report('/report')
    expect(parts).toHaveLength(8)
    const uk = new Set(UK_WORDLIST)
    for (const w of parts) expect(uk.has(w), w).toBe(true)
    expect(html).toContain('lang="uk"')
    expect(html).toContain('Слово №')
    // Upper case, odd spacing and punctuation, ґ for г: the same receipt.
    await opens(`  ${parts.join(' ,  ').toUpperCase().replace(/Г/g, 'Ґ')}\n`)
    // Ukrainian and English words mixed: not a receipt, answered generically.
    const mixed = ['abacus', ...parts.slice(1)].join(' ')
    const res = await t.app.request('/status', formPost({ receipt: mixed }))
    expect(res.status).toBe(401)
  })

  it('gives an English receipt on the English page', async () => {
    const { parts } = await report('/report?lang=en')
    const eff = new Set(EFF_LARGE_WORDLIST)
    expect(parts).toHaveLength(8)
    for (const w of parts) expect(eff.has(w), w).toBe(true)
    await opens(parts.join(' ').toUpperCase(), '?lang=en')
  })

  it('gives 32 digits in 8 groups when asked, typed back and opened by group', async () => {
    const { html, parts } = await report('/report', { receiptKind: 'digits' })
    expect(parts).toHaveLength(8)
    for (const g of parts) expect(g).toMatch(/^[0-9]{4}$/)
    expect(html).toContain('receipt-digits')
    expect(html).toContain('Група №')
    const check = /name="check" value="([^"]+)"/.exec(html)![1]!
    const positions = [...html.matchAll(/name="word_(\d+)"/g)].map((m) => Number(m[1]))
    // A wrong answer asks for the same two groups again (not words), without the receipt.
    const wrong = await t.app.request(
      '/report/confirm',
      formPost({ check, ...Object.fromEntries(positions.map((n) => [`word_${n}`, '0000'])) })
    )
    expect(wrong.status).toBe(422)
    const again = await wrong.text()
    expect(again).toContain('Група №')
    expect(again).not.toContain('class="receipt-n"')
    const retry = /name="check" value="([^"]+)"/.exec(again)![1]!
    const confirm = await t.app.request(
      '/report/confirm',
      formPost({
        check: retry,
        ...Object.fromEntries(positions.map((n) => [`word_${n}`, parts[n - 1]!])),
      })
    )
    expect(confirm.status).toBe(303)
    await opens(parts.join('-'))
  })
})
