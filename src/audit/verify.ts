// Walks the whole audit chain in seq order and names the first entry that does not fit.
//
// What the chain proves: an entry edited in place (any field) no longer matches its hash; an
// edit that also recomputes the hash breaks the next entry's prevHash; a removed entry leaves a
// gap in seq (or, if renumbered, a broken link). What it cannot prove on its own: that the newest
// entries were not cut off the end. Keep `lastHash` and `count` of a verification somewhere the
// database's administrators cannot write (a printed report, an auditor's mail) to catch that.
import type { Store } from '../store/types'
import { auditEntryHash, GENESIS_HASH } from './log'

export type AuditChainProblem =
  /** An entry with this seq is missing (removed, or the numbering was changed). */
  | 'gap'
  /** The entry's prevHash is not the previous entry's hash (previous entry re-hashed, or this one edited). */
  | 'broken-link'
  /** The entry's fields no longer hash to its stored hash (edited in place). */
  | 'hash-mismatch'
  /** The entry cannot be hashed at all (e.g. an invalid date or a non-JSON value was written in). */
  | 'malformed'

export type AuditVerification =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; seq: number; reason: AuditChainProblem; count: number }

export interface VerifyOptions {
  /** Entries read per round trip. */
  pageSize?: number
}

/** `count` is the number of entries that verified (on failure: before the bad one). */
export async function verifyAuditChain(
  store: Pick<Store, 'audit'>,
  { pageSize = 500 }: VerifyOptions = {}
): Promise<AuditVerification> {
  let expectedSeq = 1
  let prevHash = GENESIS_HASH
  const fail = (seq: number, reason: AuditChainProblem): AuditVerification => ({
    ok: false,
    seq,
    reason,
    count: expectedSeq - 1,
  })

  for (;;) {
    const page = await store.audit.range(expectedSeq, pageSize)
    for (const entry of page) {
      if (entry.seq !== expectedSeq) return fail(expectedSeq, 'gap')
      if (entry.prevHash !== prevHash) return fail(entry.seq, 'broken-link')
      let computed: string
      try {
        computed = auditEntryHash(entry)
      } catch {
        return fail(entry.seq, 'malformed')
      }
      if (computed !== entry.hash) return fail(entry.seq, 'hash-mismatch')
      prevHash = entry.hash
      expectedSeq++
    }
    if (page.length < pageSize) break
  }
  return { ok: true, count: expectedSeq - 1, lastHash: prevHash }
}
