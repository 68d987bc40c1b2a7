// The reporter's plaintext never reaches MongoDB: a no-JS report and a browser-sealed report
// (built with crypto/ exactly as the bundle does) leave no trace of their sentinel in a dump of
// every collection (GridFS included), nor in the logs; the officer's key opens both.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { sealItem } from '../../crypto/item'
import { generateCaseKeyPair, grantCaseKey } from '../../crypto/keys'
import { deriveReceiptKeys, generateReceipt } from '../../crypto/receipt'
import type { ReporterPageConfig } from '../../src/report/api'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { openMongoStore } from '../../src/store/mongo'
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { mongoDumpContains } from '../helpers/db-scan'
import { addOfficer, officerReadCase, type TestOfficer } from '../helpers/officer'
import { describeMongo, freshMongoUri } from '../setup/env'

describeMongo('no plaintext in MongoDB', () => {
  let t: TestApp
  let officer: TestOfficer
  let uri: string
  beforeAll(async () => {
    uri = freshMongoUri('plaintext')
    t = await makeTestApp({ store: await openMongoStore({ uri }) })
    officer = await addOfficer(t.store)
  })
  afterAll(async () => {
    await t?.close()
  })

  it('holds only ciphertext for both paths', async () => {
    const sentinelNoJs = `SENTINEL-mongo-nojs-${Date.now()}`
    const sentinelJs = `SENTINEL-mongo-js-${Date.now()}`
    const page = await (await t.app.request('/report')).text()

    const fd = new FormData()
    fd.append('formToken', /name="formToken" value="([^"]+)"/.exec(page)![1]!)
    fd.append('q_what', `Report ${sentinelNoJs}`)
    fd.append('q_how_known', 'work')
    fd.append(
      'files',
      new File([Buffer.from(`file body ${sentinelNoJs}`)], `name-${sentinelNoJs}.txt`, {
        type: 'text/plain',
      })
    )
    expect(
      (
        await t.app.request('/report', {
          method: 'POST',
          body: fd,
          headers: { Origin: TEST_ORIGIN },
        })
      ).status
    ).toBe(200)

    // A fresh page, as the browser path would load: each form token is single-use.
    const page2 = await (await t.app.request('/report')).text()
    const config = JSON.parse(/id="portal-config">([^<]+)</.exec(page2)![1]!) as ReporterPageConfig
    const receipt = generateReceipt('words')
    const keys = await deriveReceiptKeys(
      receipt,
      fromBase64(Buffer.from(config.deploymentSalt, 'hex').toString('base64')),
      nativeArgon2id
    )
    const caseKeys = generateCaseKeyPair()
    const caseId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')
    const itemId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')
    const sealed = sealItem(
      {
        caseId,
        itemId,
        seq: 1,
        prev: '',
        author: { role: 'reporter' },
        createdAt: new Date().toISOString(),
        type: 'answers',
        body: { answers: { what: sentinelJs } },
      },
      caseKeys.publicKey,
      keys.sign.secretKey
    )
    const res = await t.app.request('/api/report', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN },
      body: JSON.stringify({
        v: 1,
        encMode: 'client',
        formToken: config.formToken,
        caseId,
        anonymity: 'confidential',
        casePublicKey: toBase64(caseKeys.publicKey),
        reporter: {
          boxPublicKey: toBase64(keys.box.publicKey),
          signPublicKey: toBase64(keys.sign.publicKey),
          authKey: toBase64(keys.authKey),
        },
        grants: [
          {
            granteeKind: 'officer',
            granteeId: officer.account.id,
            sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, officer.keys.box.publicKey)),
          },
          {
            granteeKind: 'reporter',
            granteeId: 'reporter',
            sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, keys.box.publicKey)),
          },
        ],
        answers: { itemId, sealed: toBase64(sealed) },
      }),
    })
    expect(res.status).toBe(201)

    for (const sentinel of [sentinelNoJs, sentinelJs]) {
      expect(await mongoDumpContains(uri, sentinel)).toBe(false)
      expect(t.logs.join('\n')).not.toContain(sentinel)
    }
    // The dump check can see: it finds the public case key we just stored.
    expect(await mongoDumpContains(uri, toBase64(caseKeys.publicKey))).toBe(true)

    const cases = (await t.store.cases.list({}, 1, 10)).items
    expect(cases.map((c) => c.encMode).sort()).toEqual(['client', 'server'])
    const texts = await Promise.all(
      cases.map(async (c) =>
        JSON.stringify((await officerReadCase(t.store, c.id, officer)).envelopes)
      )
    )
    expect(texts.some((x) => x.includes(sentinelNoJs))).toBe(true)
    expect(texts.some((x) => x.includes(sentinelJs))).toBe(true)
  }, 60_000)
})
