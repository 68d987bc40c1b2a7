// Part of the storage port (types.ts re-exports it): plan items, the audit trail and the mail
// outbox, the records the council's reporting and notifications are built from.
import type { CaseWorkKind } from '../domain/vocab'

// ---------------------------------------------------------------- plan items

export interface PlanItem {
  id: string
  year: number
  /** "10", "15", "2.3"… as printed in the plan; '' for a row the plan left unnumbered. */
  number: string
  measure: string
  deadlineText: string
  responsible: string
  doneText: string
  /** The case work this measure covers ([] when none): the report adds the figures for it. */
  covers: CaseWorkKind[]
  /** Position within the year's plan. */
  position: number
}

export interface PlanStore {
  put(item: PlanItem): Promise<void>
  get(id: string): Promise<PlanItem | null>
  listYear(year: number): Promise<PlanItem[]>
  years(): Promise<number[]>
  delete(id: string): Promise<boolean>
}

// ---------------------------------------------------------------- audit

export interface AuditEntry {
  /** 1, 2, 3… without gaps; unique. */
  seq: number
  at: Date
  actorId?: string | undefined
  actorRole: string
  action: string
  subjectId?: string | undefined
  details: Record<string, string | number | boolean>
  prevHash: string
  hash: string
}

export interface AuditStore {
  /** Inserts at entry.seq; DuplicateError if another writer took that seq first (caller re-reads and retries). */
  append(entry: AuditEntry): Promise<void>
  last(): Promise<AuditEntry | null>
  /** Entries in seq order from `fromSeq` (inclusive). */
  range(fromSeq: number, limit: number): Promise<AuditEntry[]>
  listForSubject(subjectId: string): Promise<AuditEntry[]>
  /** Entries matching every given filter, newest first, at most `limit` (the audit viewer's pages). */
  search(filter: AuditFilter, limit: number): Promise<AuditEntry[]>
}

/** Exact matches on the named fields; `from` inclusive, `to` exclusive; `beforeSeq` pages back. */
export interface AuditFilter {
  subjectId?: string | undefined
  actorId?: string | undefined
  action?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  beforeSeq?: number | undefined
}

// ---------------------------------------------------------------- outbox

export interface OutboxMessage {
  id: string
  to: string
  /** Name of a content-free template in mail/messages. */
  template: string
  /** Language and small template parameters (never case content). */
  params: Record<string, string>
  /** Unique when set: the same reminder is enqueued once, however many instances try. */
  dedupeKey?: string | undefined
  status: 'pending' | 'sent' | 'failed'
  attempts: number
  notBefore: Date
  leaseOwner?: string | undefined
  leaseUntil?: Date | undefined
  lastError?: string | undefined
  createdAt: Date
  sentAt?: Date | undefined
}

export type NewOutboxMessage = Pick<
  OutboxMessage,
  'id' | 'to' | 'template' | 'params' | 'dedupeKey' | 'notBefore' | 'createdAt'
>

export interface OutboxStore {
  /** Returns false (and stores nothing) if a message with the same dedupeKey exists. */
  enqueue(m: NewOutboxMessage): Promise<boolean>
  /** Atomically leases one due, unleased (or lease-expired) pending message to `owner`. */
  claim(owner: string, now: Date, leaseMs: number): Promise<OutboxMessage | null>
  markSent(id: string, owner: string, at: Date): Promise<boolean>
  /** Releases the lease and schedules a retry, or marks it failed when `retryAt` is null. */
  markFailed(id: string, owner: string, error: string, retryAt: Date | null): Promise<boolean>
  get(id: string): Promise<OutboxMessage | null>
  list(status?: OutboxMessage['status']): Promise<OutboxMessage[]>
}
