// The encrypted report, without any DOM: case key, sealed answers, grants, POST /api/report, then
// the attachments. Everything that leaves here is ciphertext, a public key, the authKey or the
// form token.
import {
  FIRST_PREV,
  checkCertifiedRecipient,
  defaultRandom,
  fromBase64,
  generateCaseKeyPair,
  grantCaseKey,
  itemHash,
  toBase64,
  toBase64Url,
  type JsonValue,
  type ReceiptKeys,
} from '../../crypto'
import type {
  Acknowledgement,
  CaseView,
  GrantInput,
  ReporterPageConfig,
  SubmitReportRequest,
  SubmitReportResponse,
} from '../report/api'

import { EMPTY_HEAD, headOf } from './chain'
import type { Api, WorkSource } from './http'
import { addItem, attachmentBody, newId, sealReporterItem, type ThreadContext } from './items'
import {
  newUploadState,
  uploadFile,
  type FileToSend,
  type UploadState,
  type UploadedFile,
} from './upload'

export interface ReportInput {
  answers: Record<string, string | string[]>
  anonymity: 'anonymous' | 'confidential'
  contact?: { name: string; contact: string }
  attachments: number
}

/** A local check failed before anything was sent (the page offers server-side encryption). */
export class LocalCryptoError extends Error {
  override readonly name = 'LocalCryptoError'
  constructor(
    readonly reason: 'no-officer' | 'fingerprint' | 'crypto',
    options?: { cause?: unknown }
  ) {
    super(reason, options)
  }
}

export const QUESTIONS_VERSION = 1

export function answersBody(input: ReportInput): JsonValue {
  return {
    questionsVersion: QUESTIONS_VERSION,
    answers: input.answers,
    // Contact details only when the reporter chose to be known to the officer.
    ...(input.anonymity === 'confidential' && input.contact ? { contact: input.contact } : {}),
    attachments: input.attachments,
  }
}

/**
 * The server says who receives the case key; the browser believes it only for officers whose
 * certificate the organisation key signed for exactly that account and those keys. The org key
 * comes with the page; its fingerprint is published (receipt page, /about/keys) for comparison.
 */
export function recipientsCertified(
  orgPublicKey: string | undefined,
  officers: readonly Recipient[],
  now: Date = new Date()
): boolean {
  if (!orgPublicKey) return false
  try {
    const pk = fromBase64(orgPublicKey)
    for (const o of officers) checkCertifiedRecipient(pk, o, now)
    return true
  } catch {
    return false
  }
}

type Recipient = ReporterPageConfig['officers'][number]

function grantsFor(
  config: ReporterPageConfig,
  caseSecretKey: Uint8Array,
  reporterBoxPublicKey: Uint8Array
): GrantInput[] {
  const grants: GrantInput[] = config.officers.map((o) => ({
    granteeKind: 'officer',
    granteeId: o.id,
    sealedKey: toBase64(grantCaseKey(caseSecretKey, fromBase64(o.boxPublicKey))),
  }))
  grants.push({
    granteeKind: 'reporter',
    granteeId: 'reporter',
    sealedKey: toBase64(grantCaseKey(caseSecretKey, reporterBoxPublicKey)),
  })
  return grants
}

/** Builds the whole request locally; throws LocalCryptoError, and then nothing was sent. */
export function buildReportRequest(
  config: ReporterPageConfig,
  keys: ReceiptKeys,
  input: ReportInput
): { request: SubmitReportRequest; casePublicKey: Uint8Array } {
  if (config.officers.length === 0) throw new LocalCryptoError('no-officer')
  if (!recipientsCertified(config.orgPublicKey, config.officers)) {
    throw new LocalCryptoError('fingerprint')
  }
  try {
    const caseKeys = generateCaseKeyPair()
    const caseId = toBase64Url(defaultRandom(16))
    const ctx: ThreadContext = {
      caseId,
      casePublicKey: caseKeys.publicKey,
      signSecretKey: keys.sign.secretKey,
      lastSeq: 0,
      lastHash: FIRST_PREV,
      reread: () => Promise.resolve(EMPTY_HEAD),
    }
    const itemId = newId()
    const sealed = sealReporterItem(ctx, itemId, 1, FIRST_PREV, 'answers', answersBody(input))
    const grants = grantsFor(config, caseKeys.secretKey, keys.box.publicKey)
    // The case secret key now exists only inside the grants.
    caseKeys.secretKey.fill(0)
    const request: SubmitReportRequest = {
      v: 1,
      encMode: 'client',
      formToken: config.formToken ?? '',
      caseId,
      anonymity: input.anonymity,
      casePublicKey: toBase64(caseKeys.publicKey),
      reporter: {
        boxPublicKey: toBase64(keys.box.publicKey),
        signPublicKey: toBase64(keys.sign.publicKey),
        authKey: toBase64(keys.authKey),
      },
      grants,
      answers: { itemId, sealed },
    }
    return { request, casePublicKey: caseKeys.publicKey }
  } catch (e) {
    throw new LocalCryptoError('crypto', { cause: e })
  }
}

/**
 * POST /api/report with a proof of work from `work` (work.ts); on success the api holds the
 * bearer token for the attachments.
 */
export async function submitReport(
  api: Api,
  config: ReporterPageConfig,
  keys: ReceiptKeys,
  input: ReportInput,
  work?: WorkSource
): Promise<ThreadContext & { acknowledgement?: Acknowledgement }> {
  const { request, casePublicKey } = buildReportRequest(config, keys, input)
  const res = await api.json<SubmitReportResponse>('POST', '/api/report', request, { work })
  api.token = res.token
  return {
    // The dates to print: absent only from a server older than this page.
    ...(res.acknowledgement ? { acknowledgement: res.acknowledgement } : {}),
    caseId: request.caseId,
    casePublicKey,
    signSecretKey: keys.sign.secretKey,
    // Item 1 is the answers sealed here: its hash is known without asking the server.
    lastSeq: 1,
    lastHash: itemHash(fromBase64(request.answers.sealed)),
    reread: () => rereadHead(api),
  }
}

/** The reporter's thread head as the server lists it now (for a seq race). */
export async function rereadHead(api: Api) {
  const view = await api.json<CaseView>('GET', '/api/r/case')
  return headOf(view.items, view.internalItems)
}

export interface AttachmentJob {
  file: FileToSend
  state: UploadState
  /** Set once the blob is complete, so a retry only re-sends the item. */
  uploaded?: UploadedFile
  done: boolean
}

export function attachmentJobs(files: FileToSend[]): AttachmentJob[] {
  return files.map((file) => ({ file, state: newUploadState(), done: false }))
}

/**
 * Uploads each file and adds one attachment item per file, so a file that failed can be retried
 * (resumed) on its own. Jobs already done are skipped; the first failure is thrown.
 */
export async function sendAttachments(
  api: Api,
  ctx: ThreadContext,
  jobs: AttachmentJob[],
  opts: { maxPieceBytes: number; onProgress?: (job: number, sent: number, total: number) => void }
): Promise<void> {
  for (const [i, job] of jobs.entries()) {
    if (job.done) continue
    const uploaded: UploadedFile =
      job.uploaded ??
      (await uploadFile(
        api,
        job.file,
        {
          maxPieceBytes: opts.maxPieceBytes,
          onProgress: (sent, total) => opts.onProgress?.(i, sent, total),
        },
        job.state
      ))
    job.uploaded = uploaded
    await addItem(api, ctx, 'attachment', attachmentBody([uploaded]), [uploaded.blobId])
    job.done = true
  }
}
