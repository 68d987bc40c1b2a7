// The no-JavaScript receipt check ("type words 3 and 7"): the form field holds no receipt, is
// single-use and short-lived, and a wrong answer never sends the receipt again.
import nacl from 'tweetnacl'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONFIRM_MAX_TRIES } from '../../src/report/receipt-check'
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

/** Sends a report without JavaScript; returns the receipt words, the check field and positions. */
async function report() {
  const html = await (await t.app.request('/report')).text()
  const formToken = /name="formToken" value="([^"]+)"/.exec(html)![1]!
  const fd = new FormData()
  fd.append('formToken', formToken)
  fd.append('q_what', 'Something happened')
  fd.append('q_how_known', 'work')
  const page = await (
    await t.app.request('/report', { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } })
  ).text()
  const words = [...page.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{L}-]+)<\/span>/gu)].map(
    (m) => m[1]!
  )
  expect(words).toHaveLength(8)
  // (The field was called "pending" before; either name is read so the content is what's tested.)
  const field = /name="(?:check|pending)" value="([^"]+)"/.exec(page)![1]!
  const positions = [...page.matchAll(/name="word_(\d+)"/g)].map((m) => Number(m[1]))
  return { words, field, positions, page }
}

function answer(
  field: string,
  positions: number[],
  value: (n: number) => string,
  name = 'check'
): ReturnType<typeof formPost> {
  const fields: Record<string, string> = { [name]: field, pending: field }
  for (const n of positions) fields[`word_${n}`] = value(n)
  return formPost(fields)
}

/** The page text a reader sees, tags and attributes removed. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
}

describe('receipt check without JavaScript', () => {
  it('keeps no receipt in the form field, in any reading of it', async () => {
    const { words, field } = await report()
    const decoded = field
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join(' ')
    const raw = Buffer.from(field, 'base64url')
    // The old format: nonce ‖ secretbox under DATA_KEY.
    const opened =
      raw.length > 40
        ? nacl.secretbox.open(raw.subarray(24), raw.subarray(0, 24), t.secrets.DATA_KEY)
        : null
    const openedText = opened ? new TextDecoder().decode(opened) : ''
    for (const w of words) {
      expect(field).not.toContain(w)
      expect(decoded).not.toContain(w)
      expect(openedText).not.toContain(w)
    }
  })

  it('asks again without the receipt after a wrong answer, and says what a lost receipt means', async () => {
    const { words, field, positions } = await report()
    const wrong = await t.app.request(
      '/report/confirm',
      answer(field, positions, () => 'nope')
    )
    expect(wrong.status).toBe(422)
    const html = await wrong.text()
    expect(html).not.toContain('receipt-word')
    const text = visibleText(html)
    for (const w of words) expect(text).not.toMatch(new RegExp(`\\b${w}\\b`))
    expect(text).toContain('Не записали квитанцію?')
    expect(text).toContain('Повернутися можна лише з квитанцією')

    // The new check works; the one answered wrongly is used up.
    const next = /name="check" value="([^"]+)"/.exec(html)![1]!
    expect(next).not.toBe(field)
    const right = await t.app.request(
      '/report/confirm',
      answer(next, positions, (n) => words[n - 1]!)
    )
    expect(right.status).toBe(303)
    expect(right.headers.get('Location')).toMatch(/^\/report\/done\?on=\d{4}-\d{2}-\d{2}$/)
    const old = await t.app.request(
      '/report/confirm',
      answer(field, positions, (n) => words[n - 1]!)
    )
    expect(old.status).toBe(409)
  })

  it('refuses a replayed check, and never shows the receipt on it', async () => {
    const { words, field, positions } = await report()
    const right = answer(field, positions, (n) => words[n - 1]!)
    expect((await t.app.request('/report/confirm', right)).status).toBe(303)
    const again = await t.app.request(
      '/report/confirm',
      answer(field, positions, () => 'nope')
    )
    expect(again.status).toBe(409)
    const html = await again.text()
    expect(html).toContain('вже була використана')
    expect(html).not.toContain('receipt-word')
  })

  it('refuses a check older than 30 minutes', async () => {
    const { words, field, positions } = await report()
    t.clock.advance(31 * 60 * 1000)
    const late = await t.app.request(
      '/report/confirm',
      answer(field, positions, (n) => words[n - 1]!)
    )
    expect(late.status).toBe(409)
    expect(await late.text()).toContain('застаріла')
  })

  it(`stops asking after ${CONFIRM_MAX_TRIES} wrong answers`, async () => {
    const { words, field, positions } = await report()
    let check = field
    for (let i = 1; i < CONFIRM_MAX_TRIES; i++) {
      const res = await t.app.request(
        '/report/confirm',
        answer(check, positions, () => 'nope')
      )
      expect(res.status).toBe(422)
      check = /name="check" value="([^"]+)"/.exec(await res.text())![1]!
    }
    const last = await t.app.request(
      '/report/confirm',
      answer(check, positions, () => 'nope')
    )
    expect(last.status).toBe(422)
    const html = await last.text()
    expect(html).toContain('Забагато неправильних відповідей')
    expect(html).not.toContain('name="check"')
    expect(html).not.toContain('receipt-word')
    // Even the right words do not revive it.
    const after = await t.app.request(
      '/report/confirm',
      answer(check, positions, (n) => words[n - 1]!)
    )
    expect(after.status).toBe(409)
  })
})
