// The audit trail: an append-only log in which every entry carries the hash of the one before,
// so an entry edited, removed or re-hashed in the database breaks the chain (verify.ts).
//
// Entries record who did what to which subject, with a few small facts in `details` (a state
// name, a count, an item id); never case content, which the server cannot read anyway.
import { createHash } from 'node:crypto'
import type { Clock } from '../deps'
import { DuplicateError, type AuditEntry, type Store } from '../store/types'
import { canonicalJson } from './canonical'

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

export type AuditDetails = AuditEntry['details']

export interface AuditRecordInput {
  actorId?: string | undefined
  actorRole: string
  action: string
  subjectId?: string | undefined
  details?: AuditDetails
}

export interface AuditLog {
  /** Appends one entry after the current last one and returns it. */
  record(input: AuditRecordInput): Promise<AuditEntry>
}

export interface AuditLogDeps {
  store: Pick<Store, 'audit'>
  clock: Clock
  /**
   * Appends tried before giving up. Each lost race means another writer appended, so the log
   * always advances; only a crowd of simultaneous writers makes one writer lose many times.
   */
  maxAttempts?: number
}

export class AuditInputError extends TypeError {
  override readonly name = 'AuditInputError'
}

// Limits that keep `details` to small facts. Keys are plain identifiers, which MongoDB stores
// as field names unchanged (no dots, no leading $).
const MAX_DETAILS = 32
const MAX_TEXT = 256
const KEY = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/
// A lone surrogate does not survive UTF-8 storage, and the entry would no longer verify.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function checkText(what: string, value: string, max = MAX_TEXT): void {
  if (value.length > max) throw new AuditInputError(`audit ${what} is longer than ${max}`)
  if (LONE_SURROGATE.test(value)) throw new AuditInputError(`audit ${what} is not valid Unicode`)
}

function checkInput(input: AuditRecordInput): AuditDetails {
  if (!input.actorRole || !input.action) {
    throw new AuditInputError('audit entry needs actorRole and action')
  }
  checkText('actorRole', input.actorRole, 64)
  checkText('action', input.action, 64)
  if (input.actorId !== undefined) checkText('actorId', input.actorId)
  if (input.subjectId !== undefined) checkText('subjectId', input.subjectId)
  const details = input.details ?? {}
  const entries = Object.entries(details)
  if (entries.length > MAX_DETAILS) {
    throw new AuditInputError(`audit details hold more than ${MAX_DETAILS} facts`)
  }
  for (const [key, value] of entries) {
    if (!KEY.test(key)) throw new AuditInputError(`audit details key "${key}" is not a plain name`)
    if (typeof value === 'string') {
      checkText(`details.${key}`, value)
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new AuditInputError(`audit details.${key} is not finite`)
    } else if (typeof value !== 'boolean') {
      throw new AuditInputError(`audit details.${key} must be a string, number or boolean`)
    }
  }
  return { ...details }
}

/**
 * SHA-256 (hex) of the canonical JSON of the entry without its own hash. Absent optional
 * fields hash as null, so "no actor" can't be confused with any actor id.
 */
export function auditEntryHash(e: Omit<AuditEntry, 'hash'>): string {
  const body = canonicalJson({
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId ?? null,
    actorRole: e.actorRole,
    action: e.action,
    subjectId: e.subjectId ?? null,
    details: e.details,
    prevHash: e.prevHash,
  })
  return createHash('sha256').update(body, 'utf8').digest('hex')
}

export function createAuditLog({ store, clock, maxAttempts = 50 }: AuditLogDeps): AuditLog {
  return {
    async record(input) {
      const details = checkInput(input)
      for (let attempt = 1; ; attempt++) {
        const last = await store.audit.last()
        const unsealed: Omit<AuditEntry, 'hash'> = {
          seq: (last?.seq ?? 0) + 1,
          at: clock.now(),
          actorId: input.actorId,
          actorRole: input.actorRole,
          action: input.action,
          subjectId: input.subjectId,
          details,
          prevHash: last?.hash ?? GENESIS_HASH,
        }
        const entry: AuditEntry = { ...unsealed, hash: auditEntryHash(unsealed) }
        try {
          await store.audit.append(entry)
          return entry
        } catch (err) {
          // Another writer (this instance or another) took that seq: chain onto its entry instead.
          if (!(err instanceof DuplicateError) || attempt >= maxAttempts) throw err
        }
      }
    },
  }
}
