// Two app PROCESSES (the built server) on one MongoDB database, as a deployment behind a load
// balancer runs them (issue 13, point 3). Traffic alternates between them: nothing one instance
// needs may live in the other's memory. What each part shows:
// - a reporter's session (JS API and no-JS form) begun on one works on the other;
// - a form token and a proof of work issued by one are accepted (once) by the other;
// - a staff session: first-run setup, enrolment and TOTP, then sign-in, each step on the other
//   instance, and sign-out on one ends the session on both;
// - an upload begun on one finishes on the other;
// - every notification is sent once (both outbox workers run against one SMTP server) and the
//   deadline walk runs once per period.
// What lives in the store for this (the audit of module state in src, December 2026): sessions
// (reporter and staff), the pending sign-in, form and setup tokens, spent proofs of work, the
// receipt guard's and the no-JS budget's counters, outbox leases, job slots, upload pieces. Kept
// per instance by design: the count of requests waiting in one instance's delay (receipt guard,
// no-JS budget: each instance caps its own memory), prepared statements and date formatters.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { toBase64 } from '../../crypto/encoding'
import { ORG_KEY } from '../../src/staff/certificates'
import { openMongoStore } from '../../src/store/mongo'
import type { Store } from '../../src/store/types'
import { TEST_ORIGIN } from '../helpers/app'
import { addOfficer, type TestOfficer } from '../helpers/officer'
import { waitFor } from '../helpers/proc'
import { solveChallenge } from '../helpers/pow'
import { buildClientReport, reporterPageConfig } from '../helpers/reporter-api'
import { startSmtp, type Smtp } from '../helpers/smtp'
import { browserEnrolment, totpCode } from '../helpers/staff'
import { startInstances, type Instance } from '../helpers/two-instances'
import { describeMongo, freshMongoUri } from '../setup/env'

const HOUR = 3_600_000

const cookieOf = (res: Response) => res.headers.get('Set-Cookie')?.split(';')[0]
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    Origin: TEST_ORIGIN,
    ...headers,
  },
})
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    Origin: TEST_ORIGIN,
    ...headers,
  },
})

describeMongo('two app processes on one MongoDB database', () => {
  let store: Store
  let smtp: Smtp
  let a: Instance
  let b: Instance
  let stop: () => Promise<void>
  let officer: TestOfficer
  const dueSoon: string[] = []

  beforeAll(async () => {
    const uri = freshMongoUri('twoproc')
    store = await openMongoStore({ uri, dropOnClose: true })
    smtp = await startSmtp()
    // An officer with a grant on cases whose clocks run out within a day: the deadline walk
    // (run at start by whichever instance claims the period) queues their reminders.
    officer = await addOfficer(store, 'officer')
    const now = Date.now()
    for (let i = 0; i < 3; i++) {
      const id = `due-${i}`
      dueSoon.push(id)
      await store.cases.create({
        id,
        channel: 'web',
        anonymity: 'anonymous',
        encMode: 'client',
        state: 'received',
        tags: [],
        planItemIds: [],
        casePublicKey: 'AAAA',
        receivedAt: new Date(now - 9 * 24 * HOUR),
        createdAt: new Date(now - 9 * 24 * HOUR),
        clocks: [
          {
            kind: 'acknowledge',
            startedAt: new Date(now - 9 * 24 * HOUR),
            dueAt: new Date(now + (10 + i) * HOUR),
          },
        ],
      })
      await store.grants.put({
        caseId: id,
        granteeKind: 'officer',
        granteeId: officer.account.id,
        sealedKey: new Uint8Array(48),
        createdAt: new Date(now),
      })
    }
    const started = await startInstances(2, {
      MONGODB_URI: uri,
      PUBLIC_URL: TEST_ORIGIN,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      ORG_PUBLIC_KEY: (await store.settings.get(ORG_KEY)) ?? '',
      // Proof of work only where this test checks it crosses instances (cheap: 4 bits).
      POW_BITS: '0',
      POW_BITS_SUBMIT: '4',
      STAFF_KDF_MIB: '19',
      STAFF_KDF_PASSES: '2',
    })
    stop = () => started.stop()
    ;[a, b] = started.instances as [Instance, Instance]
  }, 90_000)

  afterAll(async () => {
    await stop?.()
    await smtp?.close()
    await store?.close()
  })

  it('keeps a reporter session, a proof of work and an upload across instances', async () => {
    // The report goes to A with a proof whose challenge B issued.
    const challenge = (await (await b.request('/api/work?purpose=submit')).json()) as {
      challenge: string
      bits: number
    }
    expect(challenge.bits).toBe(4)
    const proof = solveChallenge(challenge.challenge, challenge.bits)
    const built = await buildClientReport(
      await reporterPageConfig({ app: a }),
      'Відкати на ремонті доріг'
    )
    const send = (i: Instance) =>
      i.request('/api/report', json(built.request, { 'X-Proof-Of-Work': proof }))
    const submitted = await send(a)
    expect(submitted.status).toBe(201)
    // The proof is spent for every instance: the same one on B is refused.
    const replay = await b.request(
      '/api/report',
      json((await buildClientReport(await reporterPageConfig({ app: b }), 'ще раз')).request, {
        'X-Proof-Of-Work': proof,
      })
    )
    expect(replay.status).toBe(409)
    expect(await replay.json()).toMatchObject({ error: 'work-reused' })

    // The bearer token A gave works on B; a receipt sign-in on B works on A.
    const { token } = (await submitted.json()) as { token: string }
    const bearer = (t: string) => ({ Authorization: `Bearer ${t}`, Origin: TEST_ORIGIN })
    expect((await b.request('/api/r/case', { headers: bearer(token) })).status).toBe(200)
    const login = await b.request(
      '/api/status/login',
      json({ authKey: toBase64(built.keys.authKey) })
    )
    expect(login.status).toBe(200)
    const second = ((await login.json()) as { token: string }).token
    const view = await a.request('/api/r/case', { headers: bearer(second) })
    expect(view.status).toBe(200)

    // An upload: begun on A, one piece on each, listed and completed on B, read on A.
    const blobId = toBase64(crypto.getRandomValues(new Uint8Array(16)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')
    const pieces = [new Uint8Array(1000).fill(1), new Uint8Array(500).fill(2)]
    expect((await a.request('/api/r/blobs', json({ blobId }, bearer(token)))).status).toBe(201)
    const put = (i: Instance, n: number) =>
      i.request(`/api/r/blobs/${blobId}/${n}`, {
        method: 'PUT',
        body: pieces[n],
        headers: { ...bearer(token), 'Content-Type': 'application/octet-stream' },
      })
    expect((await put(a, 0)).status).toBe(204)
    expect((await put(b, 1)).status).toBe(204)
    const so = await (await b.request(`/api/r/blobs/${blobId}`, { headers: bearer(token) })).json()
    expect(so).toEqual({ pieces: [0, 1], complete: false })
    const done = await b.request(
      `/api/r/blobs/${blobId}/complete`,
      json({ count: 2 }, bearer(token))
    )
    expect(done.status).toBe(200)
    expect(((await done.json()) as { size: number }).size).toBe(1500)
    const data = new Uint8Array(
      await (
        await a.request(`/api/r/blobs/${blobId}/data`, { headers: bearer(token) })
      ).arrayBuffer()
    )
    expect([...data]).toEqual([...pieces[0]!, ...pieces[1]!])
  }, 60_000)

  it('accepts a no-JS form token of one instance on the other, once, and its session there', async () => {
    const page = await (await a.request('/report')).text()
    const formToken = /name="formToken" value="([^"]+)"/.exec(page)![1]!
    const fields = { formToken, q_what: 'Закупівля за завищеними цінами', q_how_known: 'work' }
    const sent = await b.request('/report', form(fields))
    expect(sent.status).toBeLessThan(400)
    const html = await sent.text()
    const receipt = [...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{L}-]+)<\/span>/gu)]
      .map((m) => m[1])
      .join(' ')
    expect(receipt.split(' ').length).toBeGreaterThan(3)
    // The same token on A: spent.
    const again = await a.request('/report', form(fields))
    expect(again.status).toBe(409)
    expect(await again.text()).not.toContain('receipt-n')

    const login = await a.request('/status', form({ receipt }))
    expect(login.status).toBe(303)
    const cookie = cookieOf(login)!
    const onB = await b.request('/status/case', { headers: { Cookie: cookie } })
    expect(onB.status).toBe(200)
    expect(await onB.text()).toContain('/status/logout')
    // Signing out on B ends the session for A too.
    await b.request('/status/logout', form({}, { Cookie: cookie }))
    const gone = await a.request('/status/case', { headers: { Cookie: cookie } })
    expect(gone.status).toBe(303)
    expect(gone.headers.get('Location')).toBe('/status')
  }, 60_000)

  it('keeps a staff session across instances: setup, enrolment, TOTP, sign-in, sign-out', async () => {
    // Each instance issued its own first-run link at start; A's is used on B.
    const link = readFileSync(join(a.dataDir, 'setup-link.txt'), 'utf8')
    const setupToken = new URL(link.trim()).searchParams.get('token')!
    const setup = await b.request(
      '/staff/setup',
      form({
        token: setupToken,
        email: 'admin@council.example',
        displayName: 'Олена',
        roles: 'officer',
      })
    )
    expect(setup.status).toBe(303)
    const enrolToken = new URL(setup.headers.get('Location')!, TEST_ORIGIN).searchParams.get(
      'token'
    )!
    const enrolment = await browserEnrolment(enrolToken, undefined, { m: 19 * 1024, t: 2, p: 1 })
    const enrolled = await a.request('/staff/enrol', json(enrolment.request))
    expect(enrolled.status).toBe(200)
    const pending = cookieOf(enrolled)!
    const totpPage = await (await b.request('/staff/totp', { headers: { Cookie: pending } })).text()
    const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(totpPage)![1]!.replace(/ /g, '')
    const confirmed = await a.request(
      '/staff/totp',
      form({ code: totpCode(secret, new Date()) }, { Cookie: pending })
    )
    expect(confirmed.status).toBe(303)
    const session = cookieOf(confirmed)!
    expect((await b.request('/staff/account', { headers: { Cookie: session } })).status).toBe(200)

    // Sign-in again, the passphrase step on B and the TOTP step on A (the next 30 s step, as a
    // code is used once).
    await a.request('/staff/logout', form({}, { Cookie: session }))
    expect((await b.request('/staff/account', { headers: { Cookie: session } })).status).not.toBe(
      200
    )
    const step1 = await b.request(
      '/staff/login',
      json({ email: 'admin@council.example', authSecret: toBase64(enrolment.authSecret) })
    )
    expect(step1.status).toBe(200)
    const half = cookieOf(step1)!
    const step2 = await a.request(
      '/staff/login/totp',
      form({ code: totpCode(secret, new Date(Date.now() + 30_000)) }, { Cookie: half })
    )
    expect(step2.status).toBe(303)
    const signedIn = cookieOf(step2)!
    expect((await b.request('/staff/account', { headers: { Cookie: signedIn } })).status).toBe(200)

    // The admin invites one person through each instance: two invitations queued.
    for (const [i, who] of [
      [a, 'one'],
      [b, 'two'],
    ] as const) {
      const res = await i.request(
        '/staff/admin/accounts/invite',
        form(
          { email: `${who}@council.example`, displayName: who, roles: 'officer' },
          { Cookie: signedIn }
        )
      )
      expect(res.status).toBeLessThan(400)
    }
  }, 90_000)

  it('sends every notification once and walks the deadlines once per period', async () => {
    // The seeded cases' reminders (and the invitations, when the staff test ran first): every
    // queued message is sent, by one instance or the other, and arrives once. Order-free, so
    // the file holds under --sequence.shuffle.
    const sends = () =>
      [a, b].flatMap((i) =>
        i
          .logs()
          .filter((l) => l.msg === 'mail sent')
          .map((l) => ({ id: l.outboxId as string, by: i.name }))
      )
    let sent: Awaited<ReturnType<Store['outbox']['list']>> = []
    await waitFor(
      async () => {
        const all = await store.outbox.list()
        sent = all.filter((m) => m.status === 'sent')
        return (
          sent.length >= dueSoon.length &&
          sent.length === all.length &&
          smtp.inbox.length >= sent.length &&
          sends().length >= sent.length
        )
      },
      60_000,
      'the outbox to drain'
    )
    // Each message was sent by exactly one instance, and each arrived once.
    expect(
      sends()
        .map((s) => s.id)
        .sort()
    ).toEqual(sent.map((m) => m.id).sort())
    expect(smtp.inbox).toHaveLength(sent.length)
    const reminders = sent.filter((m) => m.template === 'deadline-reminder')
    expect(reminders).toHaveLength(dueSoon.length)
    expect(
      smtp.inbox.filter((m) => JSON.stringify(m.to).includes(officer.account.email))
    ).toHaveLength(reminders.length)

    // One walk per period across both instances, and at least one.
    const walks = [a, b].flatMap((i) =>
      i
        .logs()
        .filter((l) => l.msg === 'deadline jobs ran')
        .map((l) => l.period as number)
    )
    expect(walks.length).toBeGreaterThanOrEqual(1)
    expect(new Set(walks).size).toBe(walks.length)
    // Both workers were up all along (a single instance doing everything would prove nothing).
    for (const i of [a, b]) expect(i.running.child.exitCode).toBeNull()
  }, 120_000)
})
