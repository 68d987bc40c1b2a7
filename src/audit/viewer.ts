// Reading the audit trail (the admin's audit page and its exports): filtered pages newest first,
// the chain's verification, and every matching entry in batches for a download. Entries hold
// process facts only (who, what, which case or account, when), never case content.
import type { AuditEntry, AuditFilter, Store } from '../store/types'
import { canonicalJson } from './canonical'
import { verifyAuditChain, type AuditVerification } from './verify'

export const AUDIT_PAGE_SIZE = 50
const EXPORT_BATCH = 500

export interface AuditPage {
  entries: AuditEntry[]
  /** `beforeSeq` of the next (older) page, when there is one. */
  older?: number
}

export interface AuditActor {
  id: string
  displayName: string
}

export interface AuditViewer {
  page(filter: AuditFilter, limit?: number): Promise<AuditPage>
  /** Every matching entry, newest first, read a batch at a time. */
  all(filter: AuditFilter): AsyncGenerator<AuditEntry>
  verify(): Promise<AuditVerification>
  /** Staff accounts by id, for names in the list and the actor filter. */
  actors(): Promise<AuditActor[]>
}

export function createAuditViewer({ store }: { store: Pick<Store, 'audit' | 'accounts'> }) {
  const viewer: AuditViewer = {
    async page(filter, limit = AUDIT_PAGE_SIZE) {
      // One more than shown tells whether an older page exists without counting.
      const found = await store.audit.search(filter, limit + 1)
      const entries = found.slice(0, limit)
      const last = entries.at(-1)
      return found.length > limit && last ? { entries, older: last.seq } : { entries }
    },

    async *all(filter) {
      let beforeSeq = filter.beforeSeq
      for (;;) {
        const batch = await store.audit.search({ ...filter, beforeSeq }, EXPORT_BATCH)
        yield* batch
        const last = batch.at(-1)
        if (batch.length < EXPORT_BATCH || !last) return
        beforeSeq = last.seq
      }
    },

    verify: () => verifyAuditChain(store),

    async actors() {
      const accounts = await store.accounts.list()
      return accounts
        .map((a) => ({ id: a.id, displayName: a.displayName }))
        .sort((x, y) => x.displayName.localeCompare(y.displayName))
    },
  }
  return viewer
}

/** Columns of the CSV export: the stored entry as it is hashed, so anyone can re-verify it. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actorId',
  'actorRole',
  'action',
  'subjectId',
  'details',
  'prevHash',
  'hash',
] as const

/** Details as canonical JSON, the form the entry's hash covers. */
export function auditCsvCells(e: AuditEntry): (string | number)[] {
  return [
    e.seq,
    e.at.toISOString(),
    e.actorId ?? '',
    e.actorRole,
    e.action,
    e.subjectId ?? '',
    canonicalJson(e.details),
    e.prevHash,
    e.hash,
  ]
}
