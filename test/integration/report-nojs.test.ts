// The reporter's path without JavaScript: plain form posts, sealing on the server in memory.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decryptAttachment, parseManifest } from '../../crypto/attachment'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { sqliteFilesContain } from '../helpers/db-scan'
import { addOfficer, officerReadCase, officerReply, type TestOfficer } from '../helpers/officer'

let t: TestApp
let officer: TestOfficer
beforeEach(async () => {
  t = await makeTestApp()
  officer = await addOfficer(t.store)
})
afterEach(async () => {
  await t.close()
})

/** Reads the hidden form token out of the report page. */
async function formToken(app: TestApp['app'], path = '/report'): Promise<string> {
  const html = await (await app.request(path)).text()
  const m = /name="formToken" value="([^"]+)"/.exec(html)
  if (!m) throw new Error('no form token in the page')
  return m[1]!
}

function receiptFrom(html: string): string {
  const words = [
    ...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{Ll}-]+)<\/span>/gu),
  ].map((m) => m[1])
  expect(words).toHaveLength(8)
  return words.join(' ')
}

function multipart(
  fields: Record<string, string>,
  files: { name: string; type: string; data: Uint8Array }[] = []
) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  for (const f of files) {
    fd.append('files', new File([Buffer.from(f.data)], f.name, { type: f.type }))
  }
  return { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } }
}

async function submit(
  fields: Record<string, string>,
  files: { name: string; type: string; data: Uint8Array }[] = []
) {
  const token = await formToken(t.app)
  return t.app.request('/report', multipart({ formToken: token, ...fields }, files))
}

describe('report form without JavaScript', () => {
  it('refuses reports while no officer key exists, and says so', async () => {
    const empty = await makeTestApp()
    try {
      const res = await empty.app.request('/report')
      expect(res.status).toBe(503)
      expect(await res.text()).toContain('Прийом повідомлень ще не налаштовано')
      const en = await (await empty.app.request('/report?lang=en')).text()
      expect(en).toContain('Reporting is not set up yet')
    } finally {
      await empty.close()
    }
  })

  it('shows the questions, the safety notice, the noscript notice and the key fingerprints', async () => {
    const html = await (await t.app.request('/report')).text()
    expect(html).toContain('Що сталося?')
    expect(html).toContain('Безпека понад усе')
    expect(html).toContain('<noscript>')
    expect(html).toContain('зашифрує сервер')
    expect(html).toContain('id="portal-config"')
    expect(html).toContain('/static/js/report.entry.js')
    const en = await (await t.app.request('/report?lang=en')).text()
    expect(en).toContain('What happened?')
    expect(en).toContain('action="/report?lang=en"')
    const config = JSON.parse(/id="portal-config">([^<]+)</.exec(html)![1]!) as {
      officers: { id: string; fingerprint: string }[]
    }
    expect(config.officers.map((o) => o.id)).toEqual([officer.account.id])
    expect(html).toContain(config.officers[0]!.fingerprint)
  })

  it('seals a report on the server, keeps no plaintext, and the officer key opens it', async () => {
    const sentinel = `SENTINEL-nojs-${Date.now()}`
    const fileBytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256)
    const res = await submit(
      {
        q_what: `Bribe at the permit office ${sentinel}`,
        q_how_known: 'witness',
        anonymity: 'anonymous',
      },
      [{ name: `evidence-${sentinel}.pdf`, type: 'application/pdf', data: fileBytes }]
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    const receipt = receiptFrom(html)
    expect(html).toContain('зашифровано на сервері')

    const cases = await t.store.cases.list({}, 1, 10)
    expect(cases.total).toBe(1)
    const stored = cases.items[0]!
    // The legal clocks run from arrival.
    expect(stored.clocks.map((c) => c.kind)).toEqual(
      expect.arrayContaining(['acknowledge', 'preliminary-review'])
    )
    for (const c of stored.clocks.filter((c) =>
      ['acknowledge', 'preliminary-review'].includes(c.kind)
    )) {
      expect(c.startedAt.getTime()).toBe(stored.receivedAt.getTime())
    }
    expect(stored).toMatchObject({
      encMode: 'server',
      channel: 'web-nojs',
      anonymity: 'anonymous',
      state: 'received',
    })

    // Nothing readable anywhere on the server side.
    expect(sqliteFilesContain(join(t.dir, 'portal.sqlite'), sentinel)).toBe(false)
    expect(sqliteFilesContain(join(t.dir, 'portal.sqlite'), receipt)).toBe(false)
    expect(t.logs.join('\n')).not.toContain(sentinel)

    const { envelopes } = await officerReadCase(t.store, stored.id, officer)
    expect(envelopes.map((e) => [e.seq, e.type, e.verified])).toEqual([
      [1, 'answers', true],
      [2, 'attachment', true],
    ])
    const answers = envelopes[0]!.body as { answers: Record<string, string> }
    expect(answers.answers.what).toContain(sentinel)
    const manifest = parseManifest((envelopes[1]!.body as { files: unknown[] }).files[0])
    expect(manifest.name).toBe(`evidence-${sentinel}.pdf`)
    const frames: Uint8Array[] = []
    const blob: Uint8Array[] = []
    for await (const piece of t.store.blobs.read(manifest.ref!)) blob.push(piece)
    const all = Buffer.concat(blob)
    for (let off = 0; off < all.length; off += manifest.chunkSize + 16) {
      frames.push(all.subarray(off, off + manifest.chunkSize + 16))
    }
    expect(Buffer.from(decryptAttachment(frames, manifest)).equals(Buffer.from(fileBytes))).toBe(
      true
    )
  })

  it('asks the reporter to type back part of the receipt', async () => {
    const html = await (await submit({ q_what: 'Something happened', q_how_known: 'work' })).text()
    const receipt = receiptFrom(html).split(' ')
    const first = /name="check" value="([^"]+)"/.exec(html)![1]!
    const positions = [...html.matchAll(/name="word_(\d+)"/g)].map((m) => Number(m[1]))
    expect(positions).toHaveLength(2)

    const wrong = await t.app.request(
      '/report/confirm',
      formPost({
        check: first,
        [`word_${positions[0]}`]: 'nope',
        [`word_${positions[1]}`]: 'nope',
      })
    )
    expect(wrong.status).toBe(422)
    const again = await wrong.text()
    expect(again).toContain('Слова не збігаються')
    // Asked again for the same words, without the receipt (test/integration/receipt-confirm).
    expect(again).not.toContain('receipt-word')
    expect([...again.matchAll(/name="word_(\d+)"/g)].map((m) => Number(m[1]))).toEqual(positions)
    const check = /name="check" value="([^"]+)"/.exec(again)![1]!

    const right = await t.app.request(
      '/report/confirm',
      formPost({
        check,
        [`word_${positions[0]}`]: receipt[positions[0]! - 1]!.toUpperCase(),
        [`word_${positions[1]}`]: ` ${receipt[positions[1]! - 1]!} `,
      })
    )
    expect(right.status).toBe(303)
    expect(right.headers.get('Location')).toMatch(/^\/report\/done\?on=\d{4}-\d{2}-\d{2}$/)
  })

  it('keeps what was typed when a required field is missing', async () => {
    const res = await submit({ q_who: 'The head of the permits department', q_how_known: '' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('The head of the permits department')
    expect(html).toContain('Заповніть це поле.')
    expect(await t.store.cases.list({}, 1, 10)).toMatchObject({ total: 0 })
  })

  it('asks for a name or a contact on a confidential report', async () => {
    const res = await submit({ q_what: 'x', q_how_known: 'work', anonymity: 'confidential' })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('Для конфіденційного повідомлення')
  })

  it('accepts each form once', async () => {
    const token = await formToken(t.app)
    const fields = { formToken: token, q_what: 'once', q_how_known: 'work' }
    expect((await t.app.request('/report', multipart(fields))).status).toBe(200)
    const second = await t.app.request('/report', multipart(fields))
    expect(second.status).toBe(409)
    expect(await second.text()).toContain('once')
    expect((await t.store.cases.list({}, 1, 10)).total).toBe(1)
  })

  it('refuses files over the no-JavaScript limit with a clear message', async () => {
    const res = await submit({ q_what: 'big', q_how_known: 'work' }, [
      { name: 'big.bin', type: 'application/octet-stream', data: new Uint8Array(26 * 1024 * 1024) },
    ])
    expect(res.status).toBe(413)
    expect(await res.text()).toContain('Файли завеликі')
  })
})

describe('coming back without JavaScript', () => {
  async function reportAndLogin() {
    const html = await (
      await submit({ q_what: 'Kickbacks on road repairs', q_how_known: 'work' })
    ).text()
    const receipt = receiptFrom(html)
    const caseId = (await t.store.cases.list({}, 1, 1)).items[0]!.id
    const login = await t.app.request('/status', formPost({ receipt }))
    return { receipt, caseId, login }
  }

  it('reads the officer reply and sends a follow-up with a file', async () => {
    const { caseId, login } = await reportAndLogin()
    expect(login.status).toBe(303)
    expect(login.headers.get('Location')).toBe('/status/case')
    const setCookie = login.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    const cookie = setCookie.split(';')[0]!

    await officerReply(t.store, caseId, officer, 'Thank you. Can you say which street?')
    const page = await (await t.app.request('/status/case', { headers: { Cookie: cookie } })).text()
    expect(page).toContain('Kickbacks on road repairs')
    // Answers in questionnaire order ("what" before "how known"), not sorted by key.
    expect(page.indexOf('Що сталося?')).toBeLessThan(page.indexOf('Як вам про це стало відомо?'))
    expect(page).toContain('Thank you. Can you say which street?')
    expect(page).toContain('Отримано')
    expect(page).not.toContain('sequence')

    const file = new Uint8Array(150_000).fill(42)
    const reply = await t.app.request('/status/case/reply', {
      ...multipart({ text: 'Franka street, near no. 12' }, [
        { name: 'photo.jpg', type: 'image/jpeg', data: file },
      ]),
      headers: { Origin: TEST_ORIGIN, Cookie: cookie },
    })
    expect(reply.status).toBe(303)
    const { envelopes } = await officerReadCase(t.store, caseId, officer)
    expect(envelopes.map((e) => [e.seq, e.type, e.author.role, e.verified])).toEqual([
      [1, 'answers', 'reporter', true],
      [2, 'message', 'officer', true],
      [3, 'message', 'reporter', true],
      [4, 'attachment', 'reporter', true],
    ])
    expect((envelopes[2]!.body as { text: string }).text).toBe('Franka street, near no. 12')
  })

  it('takes a 20 MiB follow-up file without JavaScript, byte for byte', async () => {
    const { caseId, login } = await reportAndLogin()
    const cookie = login.headers.get('Set-Cookie')!.split(';')[0]!
    const big = new Uint8Array(randomBytes(20 * 1024 * 1024))
    const reply = await t.app.request('/status/case/reply', {
      ...multipart({ text: '' }, [
        { name: 'ledger.xlsx', type: 'application/octet-stream', data: big },
      ]),
      headers: { Origin: TEST_ORIGIN, Cookie: cookie },
    })
    expect(reply.status).toBe(303)
    expect(reply.headers.get('Location')).toBe('/status/case')
    const { envelopes } = await officerReadCase(t.store, caseId, officer)
    const last = envelopes.at(-1)!
    expect(last.type).toBe('attachment')
    const manifest = parseManifest((last.body as { files: unknown[] }).files[0])
    const blob: Uint8Array[] = []
    for await (const piece of t.store.blobs.read(manifest.ref!)) blob.push(piece)
    const all = Buffer.concat(blob)
    const frames: Uint8Array[] = []
    for (let off = 0; off < all.length; off += manifest.chunkSize + 16) {
      frames.push(all.subarray(off, off + manifest.chunkSize + 16))
    }
    expect(Buffer.from(decryptAttachment(frames, manifest)).equals(Buffer.from(big))).toBe(true)
  }, 60_000)

  it('answers wrong receipts generically and needs the cookie-held key', async () => {
    const { login } = await reportAndLogin()
    const cookie = login.headers.get('Set-Cookie')!.split(';')[0]!
    const wrong = await t.app.request(
      '/status',
      formPost({ receipt: 'abacus abdomen abdominal abide abiding ability ablaze able' })
    )
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain('Не вдалося відкрити')
    const garbage = await t.app.request('/status', formPost({ receipt: 'not a receipt' }))
    expect(garbage.status).toBe(401)

    // The session alone (without the key half of the cookie) opens nothing.
    const tokenOnly = cookie.split('.')[0]!
    const res = await t.app.request('/status/case', { headers: { Cookie: tokenOnly } })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/status')

    const out = await t.app.request('/status/logout', formPost({}, { Cookie: cookie }))
    expect(out.status).toBe(303)
    expect((await t.app.request('/status/case', { headers: { Cookie: cookie } })).status).toBe(303)
  })

  it('ends idle sessions', async () => {
    const { login } = await reportAndLogin()
    const cookie = login.headers.get('Set-Cookie')!.split(';')[0]!
    expect((await t.app.request('/status/case', { headers: { Cookie: cookie } })).status).toBe(200)
    t.clock.advance(21 * 60 * 1000)
    expect((await t.app.request('/status/case', { headers: { Cookie: cookie } })).status).toBe(303)
  })
})
