// Client-sealed reports prepared before a load run, made with crypto/ as report.entry.ts makes
// them (test/helpers/reporter-api.ts is the tests' twin, bound to vitest). Receipt keys are
// random instead of Argon2id-derived: the server cannot tell, and one Argon2id per request
// would make the load script, not the server, the bottleneck.
import { randomBytes } from 'node:crypto'
import nacl from 'tweetnacl'
import { fromBase64, toBase64 } from '../../../crypto/encoding'
import { sealItem } from '../../../crypto/item'
import { generateCaseKeyPair, grantCaseKey } from '../../../crypto/keys'
import type { ReporterPageConfig, SubmitReportRequest } from '../../../src/report/api'

/** About 3.5 kB of answer text: the sealed envelope pads to the 4 KiB bucket. */
const ANSWER = 'Посадова особа вимагала неправомірну вигоду за погодження дозволу. '.repeat(28)

/** The page config of the running portal (officers, deployment salt), as the browser reads it. */
export async function pageConfig(baseUrl: string): Promise<ReporterPageConfig> {
  const html = await (await fetch(`${baseUrl}/report`)).text()
  const m = /id="portal-config">([^<]+)</.exec(html)
  if (!m) throw new Error('the report page has no config (no certified officer?)')
  return JSON.parse(m[1]!) as ReporterPageConfig
}

/**
 * One submission body. `formToken` comes from the caller (a token per request, like a page view
 * each). Proof of work, once submissions require it, is solved here too: this is the one place
 * that adds per-request precomputed work (see prepareBodies).
 */
export function sealedReport(config: ReporterPageConfig, formToken: string): SubmitReportRequest {
  const caseKeys = generateCaseKeyPair()
  const box = nacl.box.keyPair()
  const sign = nacl.sign.keyPair()
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
      body: { questionsVersion: 1, answers: { what: ANSWER }, attachments: 0 },
    },
    caseKeys.publicKey,
    sign.secretKey
  )
  return {
    v: 1,
    encMode: 'client',
    formToken,
    caseId,
    anonymity: 'anonymous',
    casePublicKey: toBase64(caseKeys.publicKey),
    reporter: {
      boxPublicKey: toBase64(box.publicKey),
      signPublicKey: toBase64(sign.publicKey),
      authKey: toBase64(randomBytes(32)),
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
        sealedKey: toBase64(grantCaseKey(caseKeys.secretKey, box.publicKey)),
      },
    ],
    answers: { itemId, sealed: toBase64(sealed) },
  }
}

/**
 * A maker of request bodies, each used once. tweetnacl takes ~40 ms to seal one report (eight
 * Curve25519 multiplications), so `pool` reports are sealed for real up front and each request
 * gets its own case id, item id, receipt auth key and form token around one of them: the server
 * sees only opaque sealed bytes and cannot tell. This is the one place for per-request
 * precomputed work: proof of work, once submissions require it, is added here.
 */
export function bodyMaker(
  config: ReporterPageConfig,
  formToken: () => string,
  pool = 16
): () => string {
  const sealed = Array.from({ length: pool }, () => sealedReport(config, ''))
  let i = 0
  return () => {
    const base = sealed[i++ % sealed.length]!
    const body: SubmitReportRequest = {
      ...base,
      formToken: formToken(),
      caseId: randomBytes(16).toString('base64url'),
      reporter: { ...base.reporter, authKey: toBase64(randomBytes(32)) },
      answers: { ...base.answers, itemId: randomBytes(16).toString('base64url') },
    }
    return JSON.stringify(body)
  }
}
