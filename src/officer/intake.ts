// Reports registered by hand: a report that came in by phone, paper, in person…, sealed in the
// officer's browser. The route checked the shape (./validate.ts); here the date and the
// recipients are checked, and the report is stored.
import { fromBase64 } from '../../crypto/encoding'
import { receiptLookup } from '../../crypto/receipt'
import { startClocks } from '../domain/deadlines'
import type { LifecycleRules } from '../domain/lifecycle'
import type { Channel } from '../domain/vocab'
import type { AppDeps } from '../deps'
import type { OfficerKey as ReporterOfficerKey } from '../report/directory'
import { writeNewCase } from '../report/new-case'
import type { StaffContext } from '../staff/types'
import { DuplicateError, type NewCase } from '../store/types'
import type { IntakeRequest } from './api'
import { fail, type ApiResult } from './api-result'
import type { OfficerCases } from './cases'

/** A hand-registered report may be dated back at most this far (paper found in a mailbox…). */
const MAX_BACKDATE_MS = 366 * 24 * 60 * 60 * 1000
const CLOCK_SKEW_MS = 5 * 60 * 1000

export interface IntakeDeps {
  deps: Pick<AppDeps, 'store' | 'clock' | 'secrets'>
  record: OfficerCases['record']
  officerKeys: () => Promise<ReporterOfficerKey[]>
  rules: LifecycleRules
}

export function createOfficerIntake({ deps, record, officerKeys, rules }: IntakeDeps) {
  const { store, clock, secrets } = deps

  /** A report that came in by phone, paper, in person…, sealed in the officer's browser. */
  async function intake(
    staff: StaffContext,
    req: IntakeRequest
  ): Promise<ApiResult<{ caseId: string }>> {
    const now = clock.now()
    const receivedAt = new Date(req.receivedAt)
    if (
      receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS ||
      now.getTime() - receivedAt.getTime() > MAX_BACKDATE_MS
    ) {
      return fail(
        422,
        'bad-request',
        'The date received must be within the last year and not in the future'
      )
    }
    // Like a web report: the case key goes to every current officer, no more, no fewer.
    const wanted = (await officerKeys()).map((o) => o.id).sort()
    const given = req.grants
      .filter((g) => g.granteeKind === 'officer')
      .map((g) => g.granteeId)
      .sort()
    if (wanted.join() !== given.join() || !wanted.includes(staff.account.id)) {
      return fail(
        409,
        'officers-changed',
        'The list of officers changed; reload the page and register again'
      )
    }
    const reporterGrants = req.grants.filter((g) => g.granteeKind === 'reporter')
    if (reporterGrants.length !== (req.reporter ? 1 : 0)) {
      return fail(
        400,
        'bad-request',
        'A reporter grant goes with the reporter keys, and only with them'
      )
    }
    const channel: Channel = req.channel
    const newCase: NewCase = {
      id: req.caseId,
      channel,
      anonymity: req.anonymity,
      encMode: 'client',
      state: 'received',
      tags: [],
      planItemIds: [],
      casePublicKey: req.casePublicKey,
      ...(req.reporter
        ? {
            reporterBoxPublicKey: req.reporter.boxPublicKey,
            reporterSignPublicKey: req.reporter.signPublicKey,
            receiptLookup: receiptLookup(secrets.RECEIPT_PEPPER, fromBase64(req.reporter.authKey)),
          }
        : {}),
      receivedAt,
      createdAt: now,
      clocks: startClocks(receivedAt, channel, rules.deadlines, rules.calendar),
    }
    try {
      const grants = req.grants.map((g) => ({
        caseId: newCase.id,
        granteeKind: g.granteeKind,
        granteeId: g.granteeId,
        sealedKey: fromBase64(g.sealedKey),
        ...(g.granteeKind === 'officer' ? { grantedBy: staff.account.id } : {}),
        createdAt: now,
      }))
      await writeNewCase(store, clock, newCase, grants, {
        caseId: newCase.id,
        seq: 1,
        id: req.answers.itemId,
        kind: 'answers',
        authorRole: 'officer',
        authorId: staff.account.id,
        encMode: 'client',
        sealed: fromBase64(req.answers.sealed),
        createdAt: now,
      })
    } catch (err) {
      if (err instanceof DuplicateError) {
        return fail(409, 'duplicate', 'This case id or receipt is already in use')
      }
      throw err
    }
    await record(staff, 'case.intake', newCase.id, { channel, receipt: !!req.reporter })
    return { ok: true, value: { caseId: newCase.id } }
  }

  return { intake }
}
