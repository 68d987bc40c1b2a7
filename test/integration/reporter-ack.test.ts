// The reporter's side of issue 11: the printable acknowledgement with the dates the clocks give
// (no-JS and the JSON API), contact fields that apply only to confidential reports, and /status
// with its dates, real file sizes in the page's units and one colon per label. Both languages.
import { afterEach, describe, expect, it } from 'vitest'
import { uaCalendar } from '../../src/officer/rules'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer, officerReadCase } from '../helpers/officer'
import { submitClientReport } from '../helpers/reporter-api'

let t: TestApp
let officer: Awaited<ReturnType<typeof addOfficer>>
afterEach(async () => {
  await t?.close()
})

async function start(opts: Parameters<typeof makeTestApp>[0] = {}) {
  t = await makeTestApp(opts)
  officer = await addOfficer(t.store)
}

function multipart(
  fields: Record<string, string>,
  files: { name: string; data: Uint8Array }[] = []
) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  for (const f of files) fd.append('files', new File([Buffer.from(f.data)], f.name))
  return { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } }
}

async function submit(
  fields: Record<string, string>,
  lang: 'uk' | 'en' = 'uk',
  files: { name: string; data: Uint8Array }[] = []
) {
  const q = lang === 'en' ? '?lang=en' : ''
  const html = await (await t.app.request(`/report${q}`)).text()
  const token = /name="formToken" value="([^"]+)"/.exec(html)![1]!
  return t.app.request(`/report${q}`, multipart({ formToken: token, ...fields }, files))
}

const words = (html: string) =>
  [...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{L}-]+)<\/span>/gu)].map((m) => m[1]!)

/** The acknowledgement's expected dates by kind, as the page shows them. */
function dates(html: string): Record<string, string> {
  return Object.fromEntries(
    [
      ...html.matchAll(/<dd data-kind="([\w-]+)"[^>]*><time datetime="([\d-]+)">([^<]+)<\/time>/g),
    ].map((m) => [m[1]!, `${m[2]} ${m[3]}`])
  )
}

/** Text without tags, for reading labels as a person would. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('acknowledgement without JavaScript', () => {
  it('shows the date, the dates the clocks give and the org fingerprint, and prints without the receipt', async () => {
    // Monday 2 March 2026: acknowledge in 7 days (9 March), preliminary review in 10 working
    // days (16 March), feedback 3 months after the acknowledgement period (9 June).
    await start()
    const res = await submit({ q_what: 'Kickbacks', q_how_known: 'work' })
    expect(res.status).toBe(200)
    const receiptPage = await res.text()
    expect(receiptPage).toContain('Підтвердження подання повідомлення')
    expect(dates(receiptPage)).toEqual({
      acknowledge: '2026-03-09 не пізніше 9 березня 2026 р.',
      'preliminary-review': '2026-03-16 не пізніше 16 березня 2026 р.',
      feedback: '2026-06-09 не пізніше 9 червня 2026 р.',
    })
    // The receipt page offers the copy for paper only behind the box to tick.
    expect(receiptPage).toContain('id="ack-include-receipt"')
    expect(receiptPage).toMatch(/class="ack-receipt-list"/)

    // Typed back: the done page has the same dates, the fingerprint, and no receipt at all.
    const check = /name="check" value="([^"]+)"/.exec(receiptPage)![1]!
    const on = /name="on" value="([^"]+)"/.exec(receiptPage)![1]!
    expect(on).toBe('2026-03-02')
    const positions = [...receiptPage.matchAll(/name="word_(\d+)"/g)].map((m) => Number(m[1]))
    const receipt = words(receiptPage)
    const fields: Record<string, string> = { check, on }
    for (const n of positions) fields[`word_${n}`] = receipt[n - 1]!
    const confirmed = await t.app.request('/report/confirm', formPost(fields))
    expect(confirmed.status).toBe(303)
    const done = await (await t.app.request(confirmed.headers.get('Location')!)).text()
    expect(dates(done)).toEqual(dates(receiptPage))
    expect(done).toContain('<time datetime="2026-03-02">2 березня 2026 р.</time>')
    expect(done).toMatch(/ack-fingerprint[^]*<code translate="no">[0-9a-f]{4}/)
    expect(done).toContain('ще не присвоєно')
    expect(done).toContain(`${TEST_ORIGIN}/status`)
    for (const w of receipt) expect(done).not.toContain(`>${w}<`)
    // A plain link to the printable version (the script turns it into window.print()).
    expect(done).toContain('href="/report/done?on=2026-03-02&amp;print=1" data-print')
    const printable = await (await t.app.request('/report/done?on=2026-03-02&print=1')).text()
    expect(dates(printable)).toEqual(dates(done))
    expect(printable).not.toContain('data-print>')
    expect(printable).toContain('скористайтеся командою «Друк»')
  })

  it('speaks English on the English pages, and a forged day falls back to today', async () => {
    await start()
    const done = await (await t.app.request('/report/done?on=1999-01-01&lang=en')).text()
    expect(done).toContain('Acknowledgement of your report')
    expect(done).toContain('<time datetime="2026-03-02">2 March 2026</time>')
    expect(dates(done)).toEqual({
      acknowledge: '2026-03-09 by 9 March 2026',
      'preliminary-review': '2026-03-16 by 16 March 2026',
      feedback: '2026-06-09 by 9 June 2026',
    })
  })

  it('counts working days with the Ukrainian calendar (holidays when observed)', async () => {
    // Friday 18 December 2026. Under martial law holidays are working days: 10 working days end
    // on Friday 1 January; with OBSERVE_HOLIDAYS, Christmas (25 Dec) and 1 January are skipped.
    await start({ now: new Date('2026-12-18T10:00:00Z') })
    const plain = dates(await (await t.app.request('/report/done?on=2026-12-18')).text())
    expect(plain['preliminary-review']).toBe('2027-01-01 не пізніше 1 січня 2027 р.')
    await t.close()
    await start({
      now: new Date('2026-12-18T10:00:00Z'),
      calendar: uaCalendar({ observeHolidays: true }),
    })
    const observed = dates(await (await t.app.request('/report/done?on=2026-12-18')).text())
    expect(observed['preliminary-review']).toBe('2027-01-05 не пізніше 5 січня 2027 р.')
  })
})

describe('acknowledgement with JavaScript (the JSON API)', () => {
  it('answers the submission with the received date and the clocks of the stored case', async () => {
    await start()
    const { caseId, response } = await submitClientReport(t, 'sealed in the browser')
    const stored = (await t.store.cases.get(caseId))!
    const due = (kind: string) => stored.clocks.find((c) => c.kind === kind)!.dueAt.toISOString()
    expect(response.acknowledgement).toEqual({
      receivedAt: '2026-03-02T09:00:00.000Z',
      expected: [
        { kind: 'acknowledge', dueAt: due('acknowledge') },
        { kind: 'preliminary-review', dueAt: due('preliminary-review') },
        { kind: 'feedback', dueAt: due('feedback') },
      ],
    })
  })
})

describe('contact fields (no JavaScript)', () => {
  it('groups the contact fields under "Confidential", both marked required', async () => {
    await start()
    for (const lang of ['uk', 'en'] as const) {
      const html = await (await t.app.request(lang === 'en' ? '/report?lang=en' : '/report')).text()
      const group = /<fieldset class="contact-fields" id="contact-fields">([^]*?)<\/fieldset>/.exec(
        html
      )![1]!
      expect(group).toContain(lang === 'uk' ? 'Ваші контактні дані' : 'Your contact details')
      expect(group).toContain('name="c_name"')
      expect(group).toContain('name="c_contact"')
      expect(group.match(/ required[ >]/g)).toHaveLength(2)
      expect(text(group)).toContain(lang === 'uk' ? '(обов’язково)' : '(required)')
      expect(text(group)).not.toContain(lang === 'uk' ? 'необов’язково' : 'optional')
      // Outside the group, what anonymous reporters read instead.
      expect(html).toContain('class="hint contact-none"')
    }
  })

  it('names each missing field of a confidential report, keeps what was typed', async () => {
    await start()
    const uk = await submit({
      q_what: 'x',
      q_how_known: 'work',
      anonymity: 'confidential',
      c_name: 'Олена',
    })
    expect(uk.status).toBe(422)
    const html = await uk.text()
    expect(html).toContain(
      'Для конфіденційного повідомлення заповніть: «Як з вами зв’язатися (телефон, електронна пошта, адреса)». Або оберіть «Анонімно».'
    )
    expect(html).toContain('value="Олена"')
    const en = await submit({ q_what: 'x', q_how_known: 'work', anonymity: 'confidential' }, 'en')
    expect(await en.text()).toContain(
      'For a confidential report, fill in: «Your name», «How to reach you (phone, e-mail, address)». Or choose “Anonymous”.'
    )
    expect((await t.store.cases.list({}, 1, 10)).total).toBe(0)
  })

  it('drops contact fields of an anonymous report, and seals both of a confidential one', async () => {
    await start()
    const anon = await submit({
      q_what: 'x',
      q_how_known: 'work',
      anonymity: 'anonymous',
      c_name: 'typed, then hidden',
    })
    expect(anon.status).toBe(200)
    const confidential = await submit({
      q_what: 'y',
      q_how_known: 'work',
      anonymity: 'confidential',
      c_name: 'Олена',
      c_contact: '+380 00 000 0000',
    })
    expect(confidential.status).toBe(200)
    const cases = (await t.store.cases.list({}, 1, 10)).items
    expect(cases.map((c) => c.anonymity).sort()).toEqual(['anonymous', 'confidential'])
    for (const c of cases) {
      const [answers] = (await officerReadCase(t.store, c.id, officer)).envelopes
      const body = answers!.body as { contact?: Record<string, string> }
      if (c.anonymity === 'anonymous') expect(body.contact).toBeUndefined()
      else expect(body.contact).toEqual({ name: 'Олена', contact: '+380 00 000 0000' })
    }
  })

  it('keeps the names of chosen files and asks to choose them again', async () => {
    await start()
    const res = await submit({ q_what: '', q_how_known: 'work' }, 'uk', [
      { name: 'invoice-2026.pdf', data: new Uint8Array(100).fill(1) },
    ])
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('виберіть їх ще раз (invoice-2026.pdf)')
    expect(html).toContain('aria-describedby="files-lost files-limits files-metadata"')
  })
})

describe('/status without JavaScript', () => {
  async function reportAndOpen(lang: 'uk' | 'en', file?: { name: string; data: Uint8Array }) {
    const res = await submit({ q_what: 'Kickbacks', q_how_known: 'work' }, lang, file ? [file] : [])
    const receipt = words(await res.text()).join(' ')
    const q = lang === 'en' ? '?lang=en' : ''
    const login = await t.app.request(`/status${q}`, formPost({ receipt }))
    const cookie = login.headers.get('Set-Cookie')!.split(';')[0]!
    const open = async () =>
      (await t.app.request(`/status/case${q}`, { headers: { Cookie: cookie } })).text()
    return { open }
  }

  it('shows the real file size in КБ, one colon after the state label, and the dates', async () => {
    await start()
    const { open } = await reportAndOpen('uk', {
      name: 'note.txt',
      data: new Uint8Array(66).fill(65),
    })
    const html = await open()
    const page = text(html)
    expect(page).toContain('note.txt (66 Б)')
    expect(page).not.toMatch(/KiB|KB|4 КБ/)
    expect(page).toContain('Стан: Отримано.')
    expect(page).not.toMatch(/Стан:\s*Отримано:/)
    expect(dates(html)).toEqual({
      acknowledge: '2026-03-09 не пізніше 9 березня 2026 р.',
      'preliminary-review': '2026-03-16 не пізніше 16 березня 2026 р.',
      feedback: '2026-06-09 не пізніше 9 червня 2026 р.',
    })
    expect(page).toContain('Реєстраційний номер ще не присвоєно')
  })

  it('in English: kB, the registration number once assigned, and a met clock', async () => {
    await start()
    const { open } = await reportAndOpen('en', {
      name: 'scan.pdf',
      data: new Uint8Array(1536).fill(7),
    })
    const stored = (await t.store.cases.list({}, 1, 1)).items[0]!
    const met = stored.clocks.map((c) =>
      c.kind === 'acknowledge' ? { ...c, metAt: new Date('2026-03-04T10:00:00Z') } : c
    )
    await t.store.cases.update(
      stored.id,
      stored.version,
      { registrationNo: '2026/7', clocks: met },
      t.clock.now()
    )
    const html = await open()
    const page = text(html)
    expect(page).toContain('scan.pdf (1.5 kB)')
    expect(page).toContain('Registration number 2026/7')
    expect(dates(html).acknowledge).toBe('2026-03-04 done on 4 March 2026')
    expect(page).toContain('Status: Received.')
  })

  it('says what is wrong with a mistyped receipt', async () => {
    await start()
    const seven = await t.app.request(
      '/status',
      formPost({ receipt: 'один два три чотири пять шість сім' })
    )
    expect(seven.status).toBe(401)
    expect(await seven.text()).toContain('Введіть усі 8 слів квитанції; ви ввели 7.')
    const digits = await t.app.request('/status?lang=en', formPost({ receipt: '1234 5678 9012' }))
    expect(await digits.text()).toContain(
      'Enter all 32 digits of the receipt (or 24 if it was issued earlier); you entered 12.'
    )
  })
})
