// Tokens a client sends back (the report form's, the receipt confirmation's) in every broken
// shape: a clear 400, never a 500 or a stack trace in the log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'
import { buildClientReport, reporterPageConfig } from '../helpers/reporter-api'

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
  await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

/** Broken variants of a real token: lengths around the real ones, odd characters, extra parts. */
function malformed(real: string): string[] {
  const [body, mac] = real.split('.') as [string, string]
  return [
    '',
    'x',
    '.',
    `${body}.`,
    `.${mac}`,
    `${body}.${mac.slice(0, 10)}`,
    `${body}.${mac.slice(0, -1)}`,
    `${body}.${mac}A`,
    `${body}.${'é'.repeat(mac.length)}`, // same length in characters, not in bytes
    `${body}.${mac}.${mac}`,
    `${body.slice(0, 8)}.${mac}`,
    `${'A'.repeat(400)}.${mac}`,
    `${body}!.${mac}`,
    'A'.repeat(99),
  ]
}

function expectNoCrash() {
  const logs = t.logs.join('\n')
  expect(logs).not.toMatch(/"level":(50|60)/)
  expect(logs).not.toContain('timingSafeEqual')
}

describe('malformed tokens', () => {
  it('the no-JavaScript report form answers 400 and keeps what was typed', async () => {
    const html = await (await t.app.request('/report')).text()
    const real = /name="formToken" value="([^"]+)"/.exec(html)![1]!
    for (const token of malformed(real)) {
      const fd = new FormData()
      fd.append('formToken', token)
      fd.append('q_what', 'Kept text')
      fd.append('q_how_known', 'work')
      const res = await t.app.request('/report', {
        method: 'POST',
        body: fd,
        headers: { Origin: TEST_ORIGIN },
      })
      expect(res.status, JSON.stringify(token)).toBe(400)
      const page = await res.text()
      expect(page).toContain('надійшла пошкодженою')
      expect(page).toContain('Kept text')
    }
    expect((await t.store.cases.list({}, 1, 10)).total).toBe(0)
    expectNoCrash()
  })

  it('the JSON report API answers 400 bad-request', async () => {
    const config = await reporterPageConfig(t)
    const { request } = await buildClientReport(config, 'x')
    for (const token of malformed(config.formToken!)) {
      const res = await t.app.request('/api/report', {
        method: 'POST',
        body: JSON.stringify({ ...request, formToken: token }),
        headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/json' },
      })
      expect(res.status, JSON.stringify(token)).toBe(400)
      expect(await res.json()).toMatchObject({ error: 'bad-request' })
    }
    // The real token still works afterwards: nothing above used it up.
    const ok = await t.app.request('/api/report', {
      method: 'POST',
      body: JSON.stringify(request),
      headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/json' },
    })
    expect(ok.status).toBe(201)
    expectNoCrash()
  })

  it('the receipt check answers 400 and shows no receipt', async () => {
    const fd = new FormData()
    const form = await (await t.app.request('/report')).text()
    fd.append('formToken', /name="formToken" value="([^"]+)"/.exec(form)![1]!)
    fd.append('q_what', 'x')
    fd.append('q_how_known', 'work')
    const html = await (
      await t.app.request('/report', { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } })
    ).text()
    const real = /name="check" value="([^"]+)"/.exec(html)![1]!
    for (const check of malformed(real)) {
      const res = await t.app.request(
        '/report/confirm',
        formPost({ check, word_1: 'a', word_2: 'b' })
      )
      expect(res.status, JSON.stringify(check)).toBe(400)
      const page = await res.text()
      expect(page).toContain('надійшла пошкодженою')
      expect(page).not.toContain('receipt-word')
    }
    expectNoCrash()
  })
})
