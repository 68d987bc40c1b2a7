// Issue 9.4: a server that drops the newest items (deleting them and lowering lastSeq) is caught
// by every reader that saw the thread's head before; every writer chains to the head it read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { formatThreadHead, itemHash, verifyThread } from '../../crypto/item'
import { headOf, hashOfSealed } from '../../src/browser/chain'
import { createApi, type FetchLike } from '../../src/browser/http'
import { addItem } from '../../src/browser/items'
import { addAttachmentItem, uploadCaseFiles } from '../../src/browser/officer-files'
import { createOfficerApi } from '../../src/browser/officer-http'
import { rereadHead } from '../../src/browser/report-send'
import { openOfficerCase, sealOfficerItem } from '../../src/browser/officer-open'
import { openCase } from '../../src/browser/thread'
import { nextSeen, officerHeads, sessionHeads } from '../../src/browser/thread-head'
import { threadProblems } from '../../src/browser/thread-view'
import { strings } from '../../src/browser/i18n'
import type { OfficerCaseView } from '../../src/officer/api'
import type { CaseView } from '../../src/report/api'
import type { ReceiptKeys } from '../../crypto/receipt'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { officerReadCase, officerReply } from '../helpers/officer'
import { submitClientReport } from '../helpers/reporter-api'
import { addStaff, loginAs, type TestStaff } from '../helpers/staff'
import { cutThreadTail } from '../helpers/tamper'

let t: TestApp
let officer: TestStaff
let cookie: string
beforeEach(async () => {
  t = await makeTestApp()
  officer = await addStaff(t.store, { roles: ['officer'], displayName: 'Olena' })
  cookie = await loginAs(t, officer.account)
})
afterEach(async () => {
  await t.close()
})

/** A Storage stand-in: what sessionStorage / localStorage would hold. */
function memoryStorage() {
  const m = new Map<string, string>()
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  }
}

async function reporterView(keys: ReceiptKeys): Promise<CaseView> {
  const res = await t.app.request('/api/status/login', {
    method: 'POST',
    body: JSON.stringify({ authKey: toBase64(keys.authKey) }),
    headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as CaseView
}

async function officerView(caseId: string): Promise<OfficerCaseView> {
  const res = await t.app.request(`/officer/api/cases/${caseId}`, {
    headers: { Cookie: cookie, Accept: 'application/json' },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as OfficerCaseView
}

/** A reply sealed as the officer's browser seals it: after the head of the thread it read. */
async function officerWrites(caseId: string, kind: 'message' | 'note', text: string) {
  const view = await officerView(caseId)
  const me = { accountId: officer.account.id, keys: officer.keys }
  const opened = openOfficerCase(view, officer.keys)
  const key = kind === 'note' ? opened.noteKeys!.publicKey : opened.casePublicKey
  const req = sealOfficerItem(caseId, me, kind, { text }, headOf(view.items), key)
  const res = await t.app.request(`/officer/api/cases/${caseId}/items`, {
    method: 'POST',
    body: JSON.stringify(req),
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Origin: TEST_ORIGIN,
      Cookie: cookie,
    },
  })
  expect(res.status).toBe(201)
}

/** The browser modules' fetch, answered by the app in memory. */
const appFetch =
  (headers: Record<string, string>): FetchLike =>
  (path, init) => {
    const { credentials: _c, cache: _k, ...rest } = init ?? {}
    return Promise.resolve(
      t.app.request(path, {
        ...rest,
        headers: { ...(rest.headers as Record<string, string>), ...headers, Origin: TEST_ORIGIN },
      })
    )
  }

describe('writers that lose a sequence race', () => {
  it('re-read the thread and chain to the new head (reporter and officer)', async () => {
    const { caseId, keys, token, caseKeys, request } = await submitClientReport(t, 'x')
    const reporterApi = createApi(appFetch({}))
    reporterApi.token = token
    // The reporter's page knows item 1 only; meanwhile the officer writes item 2.
    const ctx = {
      caseId,
      casePublicKey: caseKeys.publicKey,
      signSecretKey: keys.sign.secretKey,
      lastSeq: 1,
      lastHash: hashOfSealed(request.answers.sealed),
      reread: () => rereadHead(reporterApi),
    }
    const stale = await officerView(caseId)
    await officerWrites(caseId, 'message', 'reply')
    expect(await addItem(reporterApi, ctx, 'message', { text: 'more' })).toBe(3)

    // The officer's page still shows the thread as it was before item 2.
    const officerApi = createOfficerApi(appFetch({ Cookie: cookie }))
    const files = await uploadCaseFiles(officerApi, caseId, [
      { data: new Blob([new Uint8Array(100)]), name: 'memo.txt', type: 'text/plain' },
    ])
    const seq = await addAttachmentItem(
      officerApi,
      {
        caseId,
        me: { accountId: officer.account.id, keys: officer.keys },
        purpose: 'reply',
        toPublicKey: fromBase64(stale.casePublicKey),
        lastSeq: stale.lastSeq,
        lastHash: headOf(stale.items).hash,
      },
      files
    )
    expect(seq).toBe(4)
    const opened = openOfficerCase(await officerView(caseId), officer.keys)
    expect(opened.entries.map((e) => e.problem)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ])
    expect(opened.report.ok).toBe(true)
    expect(opened.entries.map((e) => e.envelope?.prev)).toEqual([
      '',
      ...opened.entries.slice(0, 3).map((e) => hashOfSealed(e.view.sealed)),
    ])
  })
})

describe('a cut thread tail', () => {
  it('is flagged by the reporter’s JS reader that saw the head in this session', async () => {
    const { caseId, keys } = await submitClientReport(t, 'x')
    await officerWrites(caseId, 'message', 'first reply')
    await officerWrites(caseId, 'message', 'second reply')
    const storage = memoryStorage()
    const heads = sessionHeads(storage)

    const before = openCase(await reporterView(keys), keys, 0, heads.get(caseId))
    expect(before.report.ok).toBe(true)
    expect(before.report.head?.seq).toBe(3)
    heads.put(caseId, nextSeen(heads.get(caseId), before.report))
    expect(heads.get(caseId)).toEqual(before.report.head)
    // Only the head, nothing else about the case, is kept in the session storage.
    expect([...storage.map.values()].join()).not.toContain('reply')

    cutThreadTail(t.dir, caseId, 2)
    const view = await reporterView(keys)
    expect(view.lastSeq).toBe(2)
    // Without the mark the shortened thread is a valid chain: nothing to see.
    expect(openCase(view, keys).report.ok).toBe(true)
    const after = openCase(view, keys, 0, heads.get(caseId))
    expect(after.report.ok).toBe(false)
    expect(after.report.behindSeen).toBe(true)
    expect(after.report.gaps).toEqual([{ from: 3, to: 3 }])
    const problems = threadProblems(after, strings('en'))
    expect(problems[0]).toContain('The newest entries may have been removed')
    // The mark does not move back, so the next view is flagged too.
    heads.put(caseId, nextSeen(heads.get(caseId), after.report))
    expect(heads.get(caseId)?.seq).toBe(3)
  })

  it('is flagged by the officer’s browser across visits, and so is a replaced head', async () => {
    const { caseId } = await submitClientReport(t, 'x')
    await officerWrites(caseId, 'message', 'reply')
    const local = memoryStorage()
    const heads = () => officerHeads(local, officer.account.id, officer.keys.box.secretKey)

    const first = openOfficerCase(await officerView(caseId), officer.keys, heads().get(caseId))
    expect(first.report.ok).toBe(true)
    heads().put(caseId, nextSeen(undefined, first.report))
    // Sealed: neither the case id nor the hash is in the clear in localStorage.
    const stored = [...local.map.values()].join()
    expect(stored).not.toContain(caseId)
    expect(stored).not.toContain(first.report.head!.hash)
    // Another officer's key does not open it.
    const other = await addStaff(t.store, { roles: ['officer'] })
    expect(officerHeads(local, officer.account.id, other.keys.box.secretKey).get(caseId)).toBe(
      undefined
    )

    cutThreadTail(t.dir, caseId, 1)
    const cut = openOfficerCase(await officerView(caseId), officer.keys, heads().get(caseId))
    expect(cut.report.behindSeen).toBe(true)
    expect(cut.report.ok).toBe(false)

    // The server fills the gap with another item at the same number: the hash tells.
    await officerWrites(caseId, 'message', 'a different reply')
    const replaced = openOfficerCase(await officerView(caseId), officer.keys, heads().get(caseId))
    expect(replaced.report.behindSeen).toBe(false)
    expect(replaced.report.seenReplaced).toBe(true)
    expect(replaced.report.ok).toBe(false)
  })

  it('is flagged on the no-JS status page of a session that saw the head', async () => {
    const html = await submitNoJs({ q_what: 'Kickbacks on road repairs', q_how_known: 'work' })
    const caseId = (await t.store.cases.list({}, 1, 1)).items[0]!.id
    // The receipt page shows the head the server just wrote: item 1 and its hash.
    const [first] = await t.store.items.list(caseId)
    expect(html).toContain(formatThreadHead({ seq: 1, hash: itemHash(first!.sealed) }))
    const login = async () => {
      const res = await t.app.request('/status', formPost({ receipt: receiptFrom(html) }))
      expect(res.status).toBe(303)
      return res.headers.get('Set-Cookie')!.split(';')[0]!
    }
    const session = await login()
    const status = async (as: string) =>
      (await t.app.request('/status/case', { headers: { Cookie: as } })).text()

    await officerReply(t.store, caseId, officer, 'Which street?')
    const reply = new FormData()
    reply.append('text', 'Franka street')
    expect(
      (
        await t.app.request('/status/case/reply', {
          method: 'POST',
          body: reply,
          headers: { Origin: TEST_ORIGIN, Cookie: session },
        })
      ).status
    ).toBe(303)
    // Every writer chained: the server's sealing (1, 3) and the officer's (2).
    const items = await t.store.items.list(caseId)
    const { envelopes } = await officerReadCase(t.store, caseId, officer)
    const chain = verifyThread(
      envelopes.map((e, i) => ({ ...e, hash: itemHash(items[i]!.sealed) }))
    )
    expect(chain.ok).toBe(true)
    expect(chain.unchained).toEqual([])
    expect(envelopes.map((e) => e.prev)).toEqual([
      '',
      itemHash(items[0]!.sealed),
      itemHash(items[1]!.sealed),
    ])

    const seen = await status(session)
    expect(seen).toContain(formatThreadHead({ seq: 3, hash: itemHash(items[2]!.sealed) }))
    expect(seen).not.toContain('Найновіші записи могли бути видалені')

    cutThreadTail(t.dir, caseId, 2)
    const cut = await status(session)
    expect(cut).toContain('Найновіші записи могли бути видалені')
    expect(cut).toContain(formatThreadHead({ seq: 2, hash: itemHash(items[1]!.sealed) }))
    // The session keeps the mark it had: the next view is flagged as well.
    expect(await status(session)).toContain('Найновіші записи могли бути видалені')
    // The limit: a new session never saw item 3, so it has nothing to compare with.
    expect(await status(await login())).not.toContain('Найновіші записи могли бути видалені')
  })
})

async function submitNoJs(fields: Record<string, string>): Promise<string> {
  const page = await (await t.app.request('/report')).text()
  const token = /name="formToken" value="([^"]+)"/.exec(page)![1]!
  const fd = new FormData()
  fd.append('formToken', token)
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  const res = await t.app.request('/report', {
    method: 'POST',
    body: fd,
    headers: { Origin: TEST_ORIGIN },
  })
  expect(res.status).toBe(200)
  return res.text()
}

function receiptFrom(html: string): string {
  const words = [...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{L}-]+)<\/span>/gu)].map(
    (m) => m[1]
  )
  expect(words).toHaveLength(8)
  return words.join(' ')
}
