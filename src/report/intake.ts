// Submitting a report: sealed in the browser (JS path), or sealed here in memory on the no-JS
// path, with the receipt keys derived by the native Argon2id and wiped after use.
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { FIRST_PREV, itemHash, type ThreadHead } from '../../crypto/item'
import { generateCaseKeyPair, grantCaseKey } from '../../crypto/keys'
import {
  deriveReceiptKeys,
  generateReceipt,
  wipeReceiptKeys,
  type ReceiptKind,
  type ReceiptWordList,
} from '../../crypto/receipt'
import { startClocks } from '../domain/deadlines'
import { DuplicateError, type Grant, type NewCase } from '../store/types'
import { acknowledgementOf } from './acknowledgement'
import type { SubmitReportRequest, SubmitReportResponse } from './api'
import { storedHead } from './chain'
import type { ReporterContext } from './context'
import type { createFormTokens } from './form-token'
import { newId } from './ids'
import { afterStored, writeNewCase } from './new-case'
import { nativeArgon2id } from './native-argon2'
import { fail, FORM_TOKEN_MALFORMED, slowDown, type Outcome } from './outcome'
import type { ParsedReport } from './questions'
import type { ReporterSessions } from './sessions'
import type { ReporterWriter } from './writer'

export function createReporterIntake(
  { store, clock, random, log, guard, directory, rules, lookupOf }: ReporterContext,
  formTokens: ReturnType<typeof createFormTokens>,
  { newSession }: ReporterSessions,
  { sealNew, sealAndInsert, storeFilesServerSide }: ReporterWriter
) {
  const { officers, deploymentSalt } = directory
  const consumeFormToken = formTokens.consume

  /** The JavaScript path: everything arrives sealed; the server checks shapes and stores. */
  async function submitSealed(req: SubmitReportRequest): Promise<Outcome<SubmitReportResponse>> {
    const officerKeys = await officers()
    if (officerKeys.length === 0) {
      return fail(503, 'no-officer', 'No officer can receive reports yet')
    }

    // The case key must reach every current officer and the reporter, and no one else.
    const officerGrants = req.grants.filter((g) => g.granteeKind === 'officer')
    const wanted = officerKeys.map((o) => o.id).sort()
    const given = officerGrants.map((g) => g.granteeId).sort()
    const reporterGrants = req.grants.filter((g) => g.granteeKind === 'reporter')
    if (reporterGrants.length !== 1 || reporterGrants[0]!.granteeId !== 'reporter') {
      return fail(400, 'bad-request', 'Exactly one reporter grant is required')
    }
    if (req.grants.some((g) => g.granteeKind === 'recovery') || wanted.join() !== given.join()) {
      return fail(
        409,
        'officers-changed',
        'The list of officers changed; reload the page and send again'
      )
    }

    // "Receipt already in use" tells as much as a failed login, and is charged like one when it
    // happens (below). A report that creates a new receipt is not a guess (its receipt is fresh:
    // 103 or 106 bits, a collision is negligible; SECURITY.md "Guessing and floods"), so it pays
    // its proof of work but not the global guessing budget. A receipt already in back-off is held
    // before the form token is spent, so that the browser may send the same request again.
    const lookup = lookupOf(fromBase64(req.reporter.authKey))
    const hold = await guard.held(lookup)
    if (hold !== null) return slowDown(hold)
    const used = await consumeFormToken(req.formToken)
    if (used === 'malformed') return fail(400, 'bad-request', FORM_TOKEN_MALFORMED)
    if (used !== 'ok') {
      return fail(409, 'form-expired', 'This form was already sent or has expired; reload the page')
    }

    const now = clock.now()
    const clocks = startClocks(now, 'web', rules.deadlines, rules.calendar)
    const newCase: NewCase = {
      id: req.caseId,
      channel: 'web',
      anonymity: req.anonymity,
      encMode: 'client',
      state: 'received',
      tags: [],
      planItemIds: [],
      casePublicKey: req.casePublicKey,
      reporterBoxPublicKey: req.reporter.boxPublicKey,
      reporterSignPublicKey: req.reporter.signPublicKey,
      receiptLookup: lookup,
      receivedAt: now,
      createdAt: now,
      clocks,
    }
    try {
      const grants = req.grants.map((g) => ({
        caseId: req.caseId,
        granteeKind: g.granteeKind,
        granteeId: g.granteeId,
        sealedKey: fromBase64(g.sealedKey),
        createdAt: now,
      }))
      await writeNewCase(store, clock, newCase, grants, {
        caseId: req.caseId,
        seq: 1,
        id: req.answers.itemId,
        kind: 'answers',
        authorRole: 'reporter',
        encMode: 'client',
        sealed: fromBase64(req.answers.sealed),
        createdAt: now,
      })
    } catch (err) {
      if (err instanceof DuplicateError) {
        // Charged to the global budget like a failed login, and held back as long as one.
        const over = await guard.admit()
        await guard.failed(lookup)
        if (over !== null) return slowDown(over)
        return fail(409, 'duplicate', 'This case id or receipt is already in use')
      }
      throw err
    }
    const token = await afterStored(clock, () => newSession('reporter', req.caseId))
    log.info({ encMode: 'client' }, 'report received')
    const acknowledgement = acknowledgementOf({ receivedAt: now, clocks })
    return { ok: true, value: { caseId: req.caseId, token, lastSeq: 1, acknowledgement } }
  }

  /**
   * The no-JavaScript path: the same formats, sealed here. Receipt keys are derived with the
   * native Argon2id; secrets are wiped after use and the plaintext is never stored or logged.
   */
  async function submitServerSide(
    report: ParsedReport,
    files: File[],
    formToken: string,
    receiptKind: ReceiptKind = 'words',
    wordList: ReceiptWordList = 'en'
  ): Promise<Outcome<{ caseId: string; receipt: string; head: ThreadHead; receivedAt: Date }>> {
    const officerKeys = await officers()
    if (officerKeys.length === 0) {
      return fail(503, 'no-officer', 'No officer can receive reports yet')
    }
    const used = await consumeFormToken(formToken)
    if (used === 'malformed') return fail(400, 'bad-request', FORM_TOKEN_MALFORMED)
    if (used !== 'ok') return fail(409, 'form-expired', 'This form was already sent or has expired')
    const receipt = generateReceipt(receiptKind, undefined, wordList)
    const keys = await deriveReceiptKeys(receipt, await deploymentSalt(), nativeArgon2id)
    const caseKeys = generateCaseKeyPair()
    const caseId = newId(random)
    const now = clock.now()
    try {
      const grants: Grant[] = [
        ...officerKeys.map((o) => ({
          caseId,
          granteeKind: 'officer' as const,
          granteeId: o.id,
          sealedKey: grantCaseKey(caseKeys.secretKey, fromBase64(o.boxPublicKey)),
          createdAt: now,
        })),
        {
          caseId,
          granteeKind: 'reporter',
          granteeId: 'reporter',
          sealedKey: grantCaseKey(caseKeys.secretKey, keys.box.publicKey),
          createdAt: now,
        },
      ]
      const body = {
        questionsVersion: 1,
        answers: report.answers,
        ...(report.contact ? { contact: report.contact } : {}),
        attachments: files.length,
      }
      const answers = sealNew(
        caseId,
        1,
        FIRST_PREV,
        'answers',
        body,
        caseKeys.publicKey,
        keys.sign.secretKey,
        'server',
        now
      )
      await writeNewCase(
        store,
        clock,
        {
          id: caseId,
          channel: 'web-nojs',
          anonymity: report.anonymity,
          encMode: 'server',
          state: 'received',
          tags: [],
          planItemIds: [],
          casePublicKey: toBase64(caseKeys.publicKey),
          reporterBoxPublicKey: toBase64(keys.box.publicKey),
          reporterSignPublicKey: toBase64(keys.sign.publicKey),
          receiptLookup: lookupOf(keys.authKey),
          receivedAt: now,
          createdAt: now,
          clocks: startClocks(now, 'web-nojs', rules.deadlines, rules.calendar),
        },
        grants,
        answers
      )
      const first = answers.sealed
      if (files.length > 0) {
        const manifests = await storeFilesServerSide(caseId, files, now)
        await sealAndInsert(
          caseId,
          2,
          itemHash(first),
          'attachment',
          { files: manifests },
          caseKeys.publicKey,
          keys.sign.secretKey,
          'server',
          now
        )
      }
    } finally {
      caseKeys.secretKey.fill(0)
      wipeReceiptKeys(keys)
    }
    log.info({ encMode: 'server' }, 'report received')
    const head = await storedHead(store, caseId)
    return { ok: true, value: { caseId, receipt, head, receivedAt: now } }
  }

  return { submitSealed, submitServerSide }
}
