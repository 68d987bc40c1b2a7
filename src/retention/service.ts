// The retention service: deletes cases whose retention term is over (docs/retention.md), warns
// their officers beforehand, and sets or clears legal holds. The periodic job (src/jobs) and
// `portal retention` (src/cli/retention.ts) both run it; the officer's case page sets holds.
//
// Safe on every instance at once, without a leader: a case is deleted only by the run that
// claimed it in the store (claimPurge is one atomic conditional write, and refuses a held
// case), and every step after the claim can be repeated. A run that dies mid-way leaves its
// claim; once stale, the next run takes it over with the same remnant key and finishes:
//   audit entry (unless there is one) → remnant (stored once per key) → blobs → items, grants,
//   case → claim record.
import type { AuditLog } from '../audit'
import type { Config } from '../config'
import type { Clock, Random } from '../deps'
import { fail, ok, type Result } from '../domain/result'
import {
  candidatesBefore,
  deletionDay,
  retentionKey,
  retentionStatus,
  type RetentionStatus,
} from '../domain/retention'
import { enqueueMail } from '../mail/outbox'
import { statsOfCase } from '../store/remnants'
import type { CaseRecord, LegalHold, Store } from '../store/types'

/** A claim older than this belongs to a run that died; another run finishes its deletion. */
export const STALE_CLAIM_MS = 15 * 60_000
const PAGE = 200
export const MAX_HOLD_REASON = 200

export type RetentionMode = 'dry-run' | 'warn' | 'apply'

export interface RetentionDeps {
  store: Pick<Store, 'cases' | 'retention' | 'blobs' | 'grants' | 'accounts' | 'outbox' | 'audit'>
  audit: AuditLog
  clock: Clock
  random: Random
  config: Pick<Config, 'retention' | 'publicUrl' | 'defaultLanguage'>
}

/** One case the run looked at and what it did (or, dry, would do) with it. */
export interface RetentionLine {
  caseId: string
  registrationNo?: string | undefined
  /** The rule's key: an outcome, or open-<state>. */
  key: string
  deleteOn: string
  action: 'deleted' | 'would-delete' | 'held' | 'busy' | 'warned' | 'finished'
}

export interface RetentionRunResult {
  mode: RetentionMode
  /** Deleted by this run (dry: would be deleted). */
  deleted: number
  /** Due, but under a legal hold. */
  held: number
  /** Due, but another run holds a live claim on it. */
  busy: number
  /** Warning mails queued (duplicates of earlier runs not counted). */
  warned: number
  /** Deletions a crashed run left half done, finished now. */
  finished: number
  lines: RetentionLine[]
}

export interface HoldInput {
  actorId: string
  caseId: string
  reason: string
}

export interface RetentionService {
  run(mode: RetentionMode): Promise<RetentionRunResult>
  /** Where a case stands (for the case page): its status and hold. */
  statusOf(c: CaseRecord): Promise<{ status: RetentionStatus; hold: LegalHold | null }>
  setHold(input: HoldInput): Promise<Result<LegalHold, 'bad-reason' | 'purging'>>
  clearHold(input: HoldInput): Promise<Result<true, 'bad-reason' | 'no-hold'>>
}

/** A hold's reason: process wording that lands in the audit trail (never case content). */
function checkReason(reason: string): Result<string, 'bad-reason'> {
  const r = reason.trim().replace(/\s+/g, ' ')
  if (r.length === 0 || r.length > MAX_HOLD_REASON) {
    return fail('bad-reason', `a reason of 1 to ${MAX_HOLD_REASON} characters is needed`)
  }
  return ok(r)
}

export function createRetentionService(deps: RetentionDeps): RetentionService {
  const { store, audit, clock, random, config } = deps
  const rules = config.retention
  const hex = (n: number) => Buffer.from(random.bytes(n)).toString('hex')

  /** True once this case's deletion is in the audit trail (a taken-over claim may find it). */
  async function alreadyAudited(caseId: string): Promise<boolean> {
    const entries = await store.audit.listForSubject(caseId)
    return entries.some((e) => e.action === 'retention.delete')
  }

  /** Everything after a won claim; every step may be repeated. True when it deleted the case. */
  async function finish(caseId: string, key: string, owner: string, now: Date) {
    const c = await store.cases.get(caseId)
    if (c) {
      const status = retentionStatus(c, false, rules, now)
      if (status.kind !== 'due') {
        // Changed since it was listed (or a stale claim on a case no longer due): not deleted.
        await store.retention.releasePurge(caseId, owner)
        return false
      }
      const rule = retentionKey(c)
      if (!(await alreadyAudited(caseId))) {
        const grants = await store.grants.listForCase(caseId)
        await audit.record({
          actorRole: 'system',
          actorId: 'retention',
          action: 'retention.delete',
          subjectId: caseId,
          details: {
            rule: rule ?? 'none',
            years: (rule && rules.terms[rule]) ?? 0,
            deleteOn: deletionDay(status.deleteOn),
            items: c.lastSeq,
            blobs: (await store.retention.blobIds(caseId)).length,
            grants: grants.length,
          },
        })
      }
      await store.retention.putRemnant(key, statsOfCase(c))
    }
    for (const id of await store.retention.blobIds(caseId)) await store.blobs.delete(id)
    const purged = await store.retention.deleteCaseData(caseId)
    await store.retention.endPurge(caseId)
    // Only the run that removed the case record counts it: another run may have claimed the
    // case afresh just after this one finished, and found nothing left to delete.
    return purged.case
  }

  async function warn(c: CaseRecord, deleteOn: Date): Promise<number> {
    let queued = 0
    const day = deletionDay(deleteOn)
    for (const g of await store.grants.listForCase(c.id)) {
      if (g.granteeKind !== 'officer') continue
      const a = await store.accounts.get(g.granteeId)
      if (!a || a.status !== 'active' || !a.roles.includes('officer')) continue
      const sent = await enqueueMail(store, clock, random, {
        to: a.email,
        template: 'retention-warning',
        params: { publicUrl: config.publicUrl, deleteOn: day },
        lang: config.defaultLanguage,
        dedupeKey: `retention-warning:${c.id}:${day}:${a.id}`,
      })
      if (sent) queued++
    }
    return queued
  }

  return {
    async run(mode) {
      const now = clock.now()
      const owner = `retention-${hex(8)}`
      const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS)
      const result: RetentionRunResult = {
        mode,
        deleted: 0,
        held: 0,
        busy: 0,
        warned: 0,
        finished: 0,
        lines: [],
      }
      const line = (
        c: CaseRecord | { id: string },
        key: string,
        deleteOn: Date | string,
        action: RetentionLine['action']
      ) =>
        result.lines.push({
          caseId: c.id,
          registrationNo: 'registrationNo' in c ? c.registrationNo : undefined,
          key,
          deleteOn: typeof deleteOn === 'string' ? deleteOn : deletionDay(deleteOn),
          action,
        })

      // What a crashed run left: stale claims, finished under their own remnant key.
      if (mode === 'apply') {
        for (const p of await store.retention.purgesInProgress()) {
          if (p.at >= staleBefore) continue
          const claim = await store.retention.claimPurge(p.caseId, owner, hex(16), now, staleBefore)
          if (claim.status !== 'claimed') continue
          if (await finish(p.caseId, claim.key, owner, now)) {
            result.finished++
            line({ id: p.caseId }, '', now, 'finished')
          }
        }
      }

      const before = candidatesBefore(rules, now)
      if (!before) return result
      let after: string | undefined
      for (;;) {
        const page = await store.retention.candidates(before, after, PAGE)
        for (const cand of page) {
          const status = retentionStatus(cand, cand.held, rules, now)
          const key = retentionKey(cand) ?? ''
          if (status.kind === 'held') {
            if (status.deleteOn && status.deleteOn <= now) {
              result.held++
              line(cand, key, status.deleteOn, 'held')
            }
            continue
          }
          if (status.kind === 'scheduled' && status.warn && mode !== 'dry-run') {
            const c = await store.cases.get(cand.id)
            const n = c ? await warn(c, status.deleteOn) : 0
            result.warned += n
            if (n > 0) line(cand, key, status.deleteOn, 'warned')
            continue
          }
          if (status.kind !== 'due') continue
          const c = await store.cases.get(cand.id)
          if (!c) continue
          if (mode !== 'apply') {
            result.deleted++
            line(c, key, status.deleteOn, 'would-delete')
            continue
          }
          const claim = await store.retention.claimPurge(c.id, owner, hex(16), now, staleBefore)
          if (claim.status === 'held') {
            result.held++
            line(c, key, status.deleteOn, 'held')
          } else if (claim.status === 'busy') {
            result.busy++
            line(c, key, status.deleteOn, 'busy')
          } else if (await finish(c.id, claim.key, owner, now)) {
            result.deleted++
            line(c, key, status.deleteOn, 'deleted')
          }
        }
        if (page.length < PAGE) break
        after = page.at(-1)?.id
        // The embedded store answers synchronously: let requests in between pages.
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
      return result
    },

    async statusOf(c) {
      const hold = await store.retention.getHold(c.id)
      return { status: retentionStatus(c, hold !== null, rules, clock.now()), hold }
    },

    async setHold({ actorId, caseId, reason }) {
      const r = checkReason(reason)
      if (!r.ok) return r
      const hold: LegalHold = { caseId, reason: r.value, setBy: actorId, setAt: clock.now() }
      if ((await store.retention.setHold(hold)) === 'purging') {
        return fail('purging', 'the case is being deleted under its retention term')
      }
      await audit.record({
        actorId,
        actorRole: 'officer',
        action: 'retention.hold-set',
        subjectId: caseId,
        details: { reason: r.value },
      })
      return ok(hold)
    },

    async clearHold({ actorId, caseId, reason }) {
      const r = checkReason(reason)
      if (!r.ok) return r
      if (!(await store.retention.clearHold(caseId))) {
        return fail('no-hold', 'the case has no legal hold')
      }
      await audit.record({
        actorId,
        actorRole: 'officer',
        action: 'retention.hold-cleared',
        subjectId: caseId,
        details: { reason: r.value },
      })
      return ok(true)
    },
  }
}
