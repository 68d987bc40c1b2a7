// Part of the storage port (types.ts re-exports it): what the retention service (src/retention)
// needs beyond the other ports. Legal holds and deletion claims live in one record per case,
// so "held" and "being deleted" exclude each other with one atomic write; the anonymous
// statistics of deleted cases (remnants) keep past annual reports adding up.
import type { CaseState, Outcome } from '../domain/vocab'

/** An officer's order that a case must not be deleted, whatever its retention term says. */
export interface LegalHold {
  caseId: string
  /** Process wording for the audit trail ("litigation", "NABU request No. …"), never content. */
  reason: string
  setBy: string
  setAt: Date
}

/** What the retention rule reads of a case (domain/retention.ts RetentionCase), plus its hold. */
export interface RetentionCandidate {
  id: string
  state: CaseState
  outcome?: Outcome | undefined
  updatedAt: Date
  held: boolean
}

/**
 * claimPurge's answer. `claimed`: this caller deletes the case, with the remnant key to store
 * its statistics under (the same key however often a stale claim is taken over, so a remnant is
 * stored once). `held`: a legal hold stops it. `busy`: another run's live claim.
 */
export type PurgeClaim =
  { status: 'claimed'; key: string; takenOver: boolean } | { status: 'held' } | { status: 'busy' }

/** A claim that is still recorded: a deletion in progress, or one a crash interrupted. */
export interface PurgeInProgress {
  caseId: string
  key: string
  owner: string
  at: Date
}

/** What deleteCaseData removed. */
export interface PurgedData {
  items: number
  grants: number
  /** True when the case record itself was deleted by this call. */
  case: boolean
}

/**
 * The port, over the statistics record `S` (types.ts makes it RetentionStore with
 * CaseStatsRecord; a parameter rather than an import, so the two files import in one direction).
 */
export interface RetentionPort<S> {
  getHold(caseId: string): Promise<LegalHold | null>
  /** Sets or replaces the hold; 'purging' (and nothing stored) while a deletion claim is live. */
  setHold(hold: LegalHold): Promise<'set' | 'purging'>
  /** Removes the hold; false when there was none. */
  clearHold(caseId: string): Promise<boolean>
  /** Held cases, in case id order (the CLI's listing). */
  listHolds(): Promise<LegalHold[]>
  /** Cases last changed before `updatedBefore`, in id order after `afterId`, at most `limit`. */
  candidates(
    updatedBefore: Date,
    afterId: string | undefined,
    limit: number
  ): Promise<RetentionCandidate[]>
  /**
   * Claims the deletion of a case for `owner`, atomically: not while held, not while another
   * owner's claim is younger than `staleBefore` (an older one, left by a crash, is taken over).
   * `newKey` becomes the remnant key unless a claim already named one.
   */
  claimPurge(
    caseId: string,
    owner: string,
    newKey: string,
    now: Date,
    staleBefore: Date
  ): Promise<PurgeClaim>
  /** Drops `owner`'s claim (the case turned out not due after all). */
  releasePurge(caseId: string, owner: string): Promise<void>
  /** Every recorded claim (finished deletions remove theirs): what a crash left to finish. */
  purgesInProgress(): Promise<PurgeInProgress[]>
  /** Removes the claim record once the case is gone. */
  endPurge(caseId: string): Promise<void>
  /** Ids of the case's attachment blobs, complete or not (deleted through BlobStore.delete). */
  blobIds(caseId: string): Promise<string[]>
  /** Deletes the case's thread items and grants, then the case record. Safe to run again. */
  deleteCaseData(caseId: string): Promise<PurgedData>
  /** Stores a deleted case's statistics under `key`; false (nothing stored) when already there. */
  putRemnant(key: string, stats: S): Promise<boolean>
  /** Like CaseStore.eachForStatistics, over the remnants (CaseStore's includes them already). */
  eachRemnant(receivedFrom: Date, receivedBefore: Date, visit: (c: S) => void): Promise<number>
  remnantRange(): Promise<{ first: Date; last: Date } | null>
  countRemnants(): Promise<number>
}
