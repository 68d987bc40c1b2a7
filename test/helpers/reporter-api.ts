// A web report submitted the way the browser bundle does it (crypto/ in Node, JSON API), for
// tests that need a client-sealed case without driving a browser.
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { sealItem } from '../../crypto/item'
import { generateCaseKeyPair, grantCaseKey, type KeyPair } from '../../crypto/keys'
import { deriveReceiptKeys, generateReceipt, type ReceiptKeys } from '../../crypto/receipt'
import type {
  ReporterPageConfig,
  SubmitReportResponse,
  SubmitReportRequest,
} from '../../src/report/api'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { TEST_ORIGIN, type TestApp } from './app'
import { workHeaders } from './pow'

export async function reporterPageConfig(t: Pick<TestApp, 'app'>): Promise<ReporterPageConfig> {
  const html = await (await t.app.request('/report')).text()
  const m = /id="portal-config">([^<]+)</.exec(html)
  if (!m) throw new Error('the report page has no config (no certified officer?)')
  return JSON.parse(m[1]!) as ReporterPageConfig
}

export interface BuiltReport {
  request: SubmitReportRequest
  receipt: string
  keys: ReceiptKeys
  caseKeys: KeyPair
  caseId: string
}

/** Keys, seal and grants as report.entry.ts makes them, for the given page config. */
export async function buildClientReport(
  config: ReporterPageConfig,
  text: string
): Promise<BuiltReport> {
  const receipt = generateReceipt('words')
  const keys = await deriveReceiptKeys(
    receipt,
    Uint8Array.from(Buffer.from(config.deploymentSalt, 'hex')),
    nativeArgon2id
  )
  const caseKeys = generateCaseKeyPair()
  const caseId = randomBytes(16).toString('base64url')
  const itemId = randomBytes(16).toString('base64url')
  const sealed = sealItem(
    {
      caseId,
      itemId,
      seq: 1,
      prev: '',
      author: { role: 'reporter' },
      createdAt: new Date().toISOString(),
      type: 'answers',
      body: { questionsVersion: 1, answers: { what: text }, attachments: 0 },
    },
    caseKeys.publicKey,
    keys.sign.secretKey
  )
  const request: SubmitReportRequest = {
    v: 1,
    encMode: 'client',
    formToken: config.formToken!,
    caseId,
    anonymity: 'anonymous',
    casePublicKey: toBase64(caseKeys.publicKey),
    reporter: {
      boxPublicKey: toBase64(keys.box.publicKey),
      signPublicKey: toBase64(keys.sign.publicKey),
      authKey: toBase64(keys.authKey),
    },
    grants: [
      ...config.officers.map((o) => ({
        granteeKind: 'officer' as const,
        granteeId: o.id,
        sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, fromBase64(o.boxPublicKey))),
      })),
      {
        granteeKind: 'reporter' as const,
        granteeId: 'reporter',
        sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, keys.box.publicKey)),
      },
    ],
    answers: { itemId, sealed: toBase64(sealed) },
  }
  return { request, receipt, keys, caseKeys, caseId }
}

/** Builds and posts a client-sealed report; returns it with the reporter's bearer token. */
export async function submitClientReport(t: Pick<TestApp, 'app'>, text: string) {
  const built = await buildClientReport(await reporterPageConfig(t), text)
  const res = await t.app.request('/api/report', {
    method: 'POST',
    body: JSON.stringify(built.request),
    headers: {
      'Content-Type': 'application/json',
      Origin: TEST_ORIGIN,
      ...(await workHeaders(t.app, 'submit')),
    },
  })
  expect(res.status).toBe(201)
  const response = (await res.json()) as SubmitReportResponse
  return { ...built, token: response.token, response }
}
