// A report sealed in Node exactly as the reporter's browser seals it (report.entry.ts): receipt
// keys, a fresh case key pair, the answers sealed to the case key and signed with the receipt's
// key, the case key granted to each certified officer of the page's config and to the reporter.
// Used by `portal demo` for its sample reports and by the tests.
import { randomBytes } from 'node:crypto'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { sealItem } from '../../crypto/item'
import { generateCaseKeyPair, grantCaseKey, type KeyPair } from '../../crypto/keys'
import {
  deriveReceiptKeys,
  generateReceipt,
  type ReceiptKeys,
  type ReceiptWordList,
} from '../../crypto/receipt'
import type { ReporterPageConfig, SubmitReportRequest } from './api'
import { nativeArgon2id } from './native-argon2'

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
  text: string,
  opts: { at?: Date; wordList?: ReceiptWordList } = {}
): Promise<BuiltReport> {
  if (!config.formToken) throw new Error('the report page gave no form token')
  const receipt = generateReceipt('words', undefined, opts.wordList)
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
      createdAt: (opts.at ?? new Date()).toISOString(),
      type: 'answers',
      body: { questionsVersion: 1, answers: { what: text }, attachments: 0 },
    },
    caseKeys.publicKey,
    keys.sign.secretKey
  )
  const request: SubmitReportRequest = {
    v: 1,
    encMode: 'client',
    formToken: config.formToken,
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
