// Issue 9.1: whoever holds the database cannot make an officer. An account row written into the
// store (disabled, never certified) and an item signed with its key must show as unverified to
// the reporter, on the no-JS reader and in the JS reader's code (src/browser/thread.ts, run here
// on the JSON the server sends); so must a certificate signed by another org key, and a database
// whose organisation public key was replaced while the DATA_DIR anchor names the real one. Both
// stores: SQLite, and MongoDB (FerretDB) when a server is available.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateOrgKey } from '../../crypto/certificate'
import { toBase64 } from '../../crypto/encoding'
import { openCase } from '../../src/browser/thread'
import type { CaseView } from '../../src/report/api'
import { ANCHOR_FILE } from '../../src/staff/certificates'
import { openMongoStore } from '../../src/store/mongo'
import type { Store } from '../../src/store/types'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { forgeCertificate, forgeOfficer, forgeOfficerItem, replaceOrgKey } from '../helpers/forge'
import { addOfficer, officerReply, type TestOfficer } from '../helpers/officer'
import { TEST_ORG } from '../helpers/org'
import { reporterPageConfig, submitClientReport } from '../helpers/reporter-api'
import { describeMongo, freshMongoUri } from '../setup/env'

const GENUINE = 'Genuine reply from the certified officer'
const FORGED = 'Forged reply: please send the originals to this address'

function forgedOfficerSuite(openStore: () => Promise<Store | undefined>) {
  let t: TestApp
  let officer: TestOfficer
  beforeEach(async () => {
    const store = await openStore()
    t = await makeTestApp(store ? { store } : {})
    officer = await addOfficer(t.store)
  })
  afterEach(async () => {
    await t.close()
  })

  /** A report sent without JavaScript and the reporter's session cookie for /status/case. */
  async function noJsReport(): Promise<{ caseId: string; cookie: string }> {
    const page = await (await t.app.request('/report')).text()
    const formToken = /name="formToken" value="([^"]+)"/.exec(page)![1]!
    const fd = new FormData()
    for (const [k, v] of Object.entries({ formToken, q_what: 'Kickbacks', q_how_known: 'work' })) {
      fd.append(k, v)
    }
    const html = await (
      await t.app.request('/report', { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } })
    ).text()
    const receipt = [...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{L}-]+)<\/span>/gu)]
      .map((m) => m[1])
      .join(' ')
    const caseId = (await t.store.cases.list({}, 1, 1)).items[0]!.id
    const login = await t.app.request('/status', formPost({ receipt }))
    expect(login.status).toBe(303)
    return { caseId, cookie: login.headers.get('Set-Cookie')!.split(';')[0]! }
  }

  /** The no-JS thread page, as entry text → whether it carries the "not verified" warning. */
  async function noJsThread(cookie: string): Promise<Map<string, boolean>> {
    const html = await (await t.app.request('/status/case', { headers: { Cookie: cookie } })).text()
    const out = new Map<string, boolean>()
    for (const entry of html.split('<li class="entry').slice(1)) {
      for (const text of [GENUINE, FORGED]) {
        if (entry.includes(text)) out.set(text, entry.includes('class="warn"'))
      }
    }
    return out
  }

  /** The reporter's JS reader on what the JSON API sends: problem per message text. */
  async function jsThread(report: Awaited<ReturnType<typeof submitClientReport>>) {
    const res = await t.app.request('/api/status/login', {
      method: 'POST',
      body: JSON.stringify({ authKey: toBase64(report.keys.authKey) }),
      headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
    })
    const view = (await res.json()) as CaseView
    const opened = openCase(view, report.keys)
    return new Map(
      opened.entries
        .filter((e) => e.envelope?.type === 'message')
        .map((e) => [(e.envelope!.body as { text: string }).text, e.problem ?? 'ok'])
    )
  }

  it('no-JS reader: an item signed by a forged, never certified account is not verified', async () => {
    const { caseId, cookie } = await noJsReport()
    await officerReply(t.store, caseId, officer, GENUINE)
    await forgeOfficerItem(t.store, caseId, FORGED)
    const thread = await noJsThread(cookie)
    expect(thread.get(GENUINE)).toBe(false)
    expect(thread.get(FORGED)).toBe(true)
  })

  it('JS reader: the same forged item is unverified, the genuine one verified', async () => {
    const report = await submitClientReport(t, 'Kickbacks')
    await officerReply(t.store, report.caseId, officer, GENUINE)
    await forgeOfficerItem(t.store, report.caseId, FORGED)
    const thread = await jsThread(report)
    expect(thread.get(GENUINE)).toBe('ok')
    expect(thread.get(FORGED)).toBe('unverified')
  })

  it('a certificate signed by another org key and inserted into the database verifies nothing', async () => {
    const { caseId, cookie } = await noJsReport()
    const report = await submitClientReport(t, 'Kickbacks')
    const forged = await forgeOfficer(t.store, 'active')
    await forgeCertificate(t.store, forged, generateOrgKey())
    for (const id of [caseId, report.caseId]) {
      await officerReply(t.store, id, officer, GENUINE)
      await officerReply(t.store, id, forged, FORGED)
    }
    expect((await noJsThread(cookie)).get(FORGED)).toBe(true)
    expect((await jsThread(report)).get(FORGED)).toBe('unverified')
    // Nor does it make the forged account a recipient of new reports.
    expect((await reporterPageConfig(t)).officers.map((o) => o.id)).toEqual([officer.account.id])
  })

  it('a replaced org public key in the database is refused when the anchor names another', async () => {
    // The first org key seen is anchored in DATA_DIR (trust on first use at the server).
    const { caseId, cookie } = await noJsReport()
    expect(readFileSync(join(t.dir, ANCHOR_FILE), 'utf8').trim()).toBe(toBase64(TEST_ORG.publicKey))
    const report = await submitClientReport(t, 'Kickbacks')
    const forged = await forgeOfficer(t.store, 'active')
    const attacker = await replaceOrgKey(t.store)
    await forgeCertificate(t.store, forged, attacker)
    for (const id of [caseId, report.caseId]) {
      await officerReply(t.store, id, officer, GENUINE)
      await officerReply(t.store, id, forged, FORGED)
    }
    const config = await reporterPageConfig(t)
    expect(config.orgPublicKey).toBe(toBase64(TEST_ORG.publicKey))
    expect(config.officers.map((o) => o.id)).toEqual([officer.account.id])
    expect(await noJsThread(cookie)).toEqual(
      new Map([
        [GENUINE, false],
        [FORGED, true],
      ])
    )
    const js = await jsThread(report)
    expect([js.get(GENUINE), js.get(FORGED)]).toEqual(['ok', 'unverified'])
    expect(t.logs.join('\n')).toContain('differs from the anchor')
  })
}

describe('forged officers (SQLite)', () => {
  forgedOfficerSuite(() => Promise.resolve(undefined))

  it('ORG_PUBLIC_KEY wins over the database: certificates of another key make no recipient', async () => {
    const other = generateOrgKey()
    const t = await makeTestApp({ env: { ORG_PUBLIC_KEY: toBase64(other.publicKey) } })
    try {
      await addOfficer(t.store)
      const res = await t.app.request('/report')
      expect(res.status).toBe(503)
      expect(t.logs.join('\n')).toContain('differs from the anchor')
    } finally {
      await t.close()
    }
  })
})

describeMongo('forged officers (MongoDB)', () => {
  forgedOfficerSuite(() => openMongoStore({ uri: freshMongoUri('forged'), dropOnClose: true }))
})
