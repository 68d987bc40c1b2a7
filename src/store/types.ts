// The storage port: the only description of persistence the rest of the app sees.
// Every method returns plain objects (never rows or mongoose documents). Both engines
// (sqlite/, mongo/) pass the same contract suite in test/contract/.
//
// Rules both engines keep, so MongoDB 6+ and FerretDB v1 behave alike:
// - every write is atomic on one record (no multi-record transactions are assumed);
// - expiry is a stored `expiresAt` that reads filter on and `sweepExpired` deletes;
// - uniqueness violations surface as `DuplicateError`, nothing engine-specific.

import type {
  Anonymity,
  AuthorRole,
  CaseState,
  Channel,
  EncMode,
  GranteeKind,
  ItemKind,
  Outcome,
  ReferralBody,
} from '../domain/vocab'

import type { AuditStore, OutboxStore, PlanStore } from './types-records'
import type { OrgProfileStore } from './types-org'
import type { RetentionPort } from './types-retention'
import type { AccountStore, SessionStore } from './types-staff'

// Plan items, the audit trail and the mail outbox: their records and ports live beside this file.
export * from './types-records'
// Staff accounts and sessions likewise.
export * from './types-staff'
// The organisation's name, logo, contact and privacy pages likewise.
export * from './types-org'
// Legal holds, deletion claims and the anonymous remnants of deleted cases likewise.
export * from './types-retention'

// The port's errors (duplicate, conflict, storage full, busy).
export * from './errors'

export type StoreEngine = 'sqlite' | 'mongo'

// ---------------------------------------------------------------- cases

/** A deadline clock as stored; the rules that compute them live in domain/. */
export interface StoredClock {
  kind: string
  startedAt: Date
  dueAt: Date
  metAt?: Date | undefined
  extendedDays?: number | undefined
}

/** An investigation extension someone asked for and nobody decided yet (domain ExtensionRequest). */
export interface PendingExtension {
  requestedBy: string
  requestedAt: Date
  days: number
  /** The requester's reason: process wording for the audit trail, never case content. */
  reason: string
}

/**
 * A whistleblower protection measure, as management counts them: its kind, the day it was
 * taken and how it ended. Any free-text account of it is a sealed note, never stored here.
 */
export interface ProtectionMeasure {
  id: string
  /** A closed list kept by the officer workspace (src/domain/vocab.ts). */
  kind: string
  /** Kyiv local date 'YYYY-MM-DD'. */
  takenOn: string
  outcome: string
  recordedBy: string
  recordedAt: Date
}

/** Where the case was sent on, recorded with the "refer" action; `name` only for 'other'. */
export interface Referral {
  body: ReferralBody
  name?: string | undefined
  at: Date
}

export interface CaseRecord {
  id: string
  /** Paperwork number, e.g. 2026/0042; assigned by an officer, never shown publicly before. */
  registrationNo?: string | undefined
  channel: Channel
  anonymity: Anonymity
  encMode: EncMode
  state: CaseState
  outcome?: Outcome | undefined
  category?: string | undefined
  tags: string[]
  assigneeId?: string | undefined
  planItemIds: string[]
  /** X25519 public key of the case (base64). Content items are sealed to it. */
  casePublicKey: string
  /** Reporter's receipt-derived public keys (base64); absent for manual intake without a receipt. */
  reporterBoxPublicKey?: string | undefined
  reporterSignPublicKey?: string | undefined
  /** HMAC(pepper, authKey) hex; the unique receipt lookup. */
  receiptLookup?: string | undefined
  /** When the report reached the organisation (clocks start here); may predate createdAt. */
  receivedAt: Date
  createdAt: Date
  updatedAt: Date
  /** Last item sequence number handed out (0 when the case has no items). */
  lastSeq: number
  /** True when the reporter added something the officers have not opened yet. */
  unreadForOfficers: boolean
  /** True when an officer replied and the reporter has not looked yet. */
  unreadForReporter: boolean
  clocks: StoredClock[]
  /** An extension of the investigation waiting for a second person's decision. */
  pendingExtension?: PendingExtension | undefined
  /** Protection measures taken for the whistleblower ([] when none). */
  protectionMeasures: ProtectionMeasure[]
  /** The body the case was referred to, once it was. */
  referral?: Referral | undefined
  /**
   * X25519 public key that officers' internal notes are sealed to (base64). Its secret key is
   * granted to officers only (Grant.sealedNoteKey), never to the reporter, who holds the case key.
   */
  notePublicKey?: string | undefined
  /** Bumped on every update; `update` takes the version it read. */
  version: number
}

export type NewCase = Omit<
  CaseRecord,
  | 'createdAt'
  | 'updatedAt'
  | 'lastSeq'
  | 'version'
  | 'unreadForOfficers'
  | 'unreadForReporter'
  | 'protectionMeasures'
> & { createdAt: Date; protectionMeasures?: ProtectionMeasure[] | undefined }

/** A key set to `undefined` clears that optional field (unassigning…); absent keys are kept. */
export type CasePatch = Partial<
  Pick<
    CaseRecord,
    | 'registrationNo'
    | 'state'
    | 'outcome'
    | 'category'
    | 'tags'
    | 'assigneeId'
    | 'planItemIds'
    | 'clocks'
    | 'unreadForOfficers'
    | 'unreadForReporter'
    | 'pendingExtension'
    | 'protectionMeasures'
    | 'notePublicKey'
    | 'referral'
  >
>

export interface CaseFilter {
  states?: CaseState[]
  channel?: Channel
  category?: string
  assigneeId?: string
  planItemId?: string
  /** Only cases an officer holds a grant for. */
  grantedTo?: string
  receivedFrom?: Date
  receivedBefore?: Date
  /** Only cases with an open (unmet) clock due before this instant: overdue as of then. */
  openClockDueBefore?: Date
  /** The case with exactly this registration number. */
  registrationNo?: string
  /** Cases whose registration number starts with this text ("2026/00" finds 2026/0001…0099). */
  registrationPrefix?: string
  /** Only cases with no stored clock (web reports before their receipt clocks are saved). */
  withoutClocks?: boolean
}

/** What the inbox sorts by; every order breaks ties by receivedAt, createdAt, id, same direction. */
export const CASE_SORTS = ['received', 'deadline', 'registration'] as const
export type CaseSort = (typeof CASE_SORTS)[number]

/**
 * How `list` orders and counts. `deadline` is the earliest open clock's due time, a case
 * without an open clock sorting as if due in the far future; `registration` puts cases without
 * a number before every number (ascending). `countLimit`: count at most that many matches
 * (the inbox shows "1000+" rather than paying for an exact count of 100,000).
 */
export interface CaseListOptions {
  sort?: CaseSort
  direction?: 'asc' | 'desc'
  countLimit?: number
}

/**
 * What the statistics read of a case (domain/stats.ts StatsCase) and nothing more: counts only,
 * so a year of 100,000 cases is read without decoding keys, tags, pending extensions or
 * measures' details. Of a protection measure only its outcome, of a referral only its body.
 */
export interface CaseStatsRecord {
  channel: Channel
  anonymity: Anonymity
  state: CaseState
  outcome?: Outcome | undefined
  category?: string | undefined
  receivedAt: Date
  clocks: StoredClock[]
  planItemIds: string[]
  protectionMeasures: { outcome: string }[]
  referral?: { body: ReferralBody } | undefined
}

/** Legal holds, deletion claims and remnants (types-retention.ts). */
export type RetentionStore = RetentionPort<CaseStatsRecord>

export interface Page<T> {
  items: T[]
  /** The number of matches, or `countLimit` when there are at least that many (see capped). */
  total: number
  page: number
  pageSize: number
  /** True when counting stopped at the caller's countLimit: total is then a lower bound. */
  capped?: boolean
}

export interface CaseStore {
  create(c: NewCase): Promise<CaseRecord>
  get(id: string): Promise<CaseRecord | null>
  getByReceiptLookup(lookup: string): Promise<CaseRecord | null>
  /**
   * Inserts many new cases in one go (imports, seeding at scale). Not atomic as a whole: on a
   * DuplicateError the cases before the taken id may be stored.
   */
  createMany(cases: readonly NewCase[]): Promise<void>
  /** Applies the patch only if the stored version still equals `expectedVersion`; else ConflictError. */
  update(id: string, expectedVersion: number, patch: CasePatch, at: Date): Promise<CaseRecord>
  /** Newest received first (ties: newest created first) unless `options.sort` says otherwise.
   *  `page` starts at 1. */
  list(
    filter: CaseFilter,
    page: number,
    pageSize: number,
    options?: CaseListOptions
  ): Promise<Page<CaseRecord>>
  countByState(filter?: CaseFilter): Promise<Record<CaseState, number>>
  /** Cases received per month of `year` (UTC), keys '01'..'12'. */
  countByMonth(year: number, filter?: CaseFilter): Promise<Record<string, number>>
  /** Every case matching the filter, for statistics (no content is stored here anyway). */
  all(filter: CaseFilter): Promise<CaseRecord[]>
  /**
   * Hands `visit` the statistics' fields (what `all` gives, projected) of every case received in
   * [receivedFrom, receivedBefore), one by one in no particular order, and resolves to how many
   * there were. Nothing else of a case is read, and no case is kept: a year of 100,000 cases is
   * counted without holding it in memory (issue 12).
   */
  eachForStatistics(
    receivedFrom: Date,
    receivedBefore: Date,
    visit: (c: CaseStatsRecord) => void
  ): Promise<number>
  /** The earliest and latest receivedAt of all cases (null when there are none): which years
   *  have statistics. */
  receivedRange(): Promise<{ first: Date; last: Date } | null>
  /**
   * Hands out the next registration sequence number of `year` (1, 2, 3…), atomically: two
   * callers never get the same number. A number taken but never used leaves a gap.
   */
  nextRegistrationNumber(year: number): Promise<number>
  /**
   * Stores a new case with its grants and its first item, whole or not at all: on SQLite in one
   * transaction; on MongoDB (no multi-record transactions) in that order, the case discarded again
   * when a later record fails (a cut connection can still leave it: discardIncomplete, and
   * src/report/new-case.ts tries again). DuplicateError (`entity` 'case' or 'item') when the case
   * id, the receipt or the item id is taken; nothing of this case is stored then.
   */
  createWhole(c: NewCase, grants: readonly Grant[], first: CaseItem): Promise<void>
  /**
   * Removes a case that has no item yet, with its grants: what a submission cut off between the
   * case record and its first item left behind (no multi-record transactions, see above). False,
   * and nothing removed, when the case has an item or does not exist. Safe to run again.
   */
  discardIncomplete(id: string): Promise<boolean>
}

// ---------------------------------------------------------------- sealed items

export interface CaseItem {
  caseId: string
  seq: number
  id: string
  kind: ItemKind
  authorRole: AuthorRole
  authorId?: string | undefined
  encMode: EncMode
  /** Versioned stored item: version byte ‖ algorithm byte ‖ sealed envelope. */
  sealed: Uint8Array
  createdAt: Date
}

export type NewCaseItem = Omit<CaseItem, 'seq'>

export interface ItemStore {
  /**
   * Appends an item with the next sequence number of the case (atomically bumping
   * the case's lastSeq and unread flags) and returns it with its seq.
   */
  append(item: NewCaseItem): Promise<CaseItem>
  /**
   * Inserts at a sequence number chosen by the caller (the envelope is bound to it); DuplicateError
   * if taken. Like append, it raises the case's lastSeq to at least `seq` and sets the unread flags.
   */
  insertAt(item: CaseItem): Promise<CaseItem>
  list(caseId: string, afterSeq?: number): Promise<CaseItem[]>
  get(caseId: string, id: string): Promise<CaseItem | null>
}

// ---------------------------------------------------------------- grants

export interface Grant {
  caseId: string
  granteeKind: GranteeKind
  /** Account id for officers, 'reporter' or the recovery key's fingerprint. */
  granteeId: string
  /** seal(caseSecretKey, granteeBoxPublicKey). */
  sealedKey: Uint8Array
  /** Officers only: seal(noteSecretKey, granteeBoxPublicKey), see CaseRecord.notePublicKey. */
  sealedNoteKey?: Uint8Array | undefined
  grantedBy?: string | undefined
  createdAt: Date
}

export interface GrantStore {
  /** Inserts, or replaces the sealed keys of an existing (case, kind, id) grant. */
  put(g: Grant): Promise<void>
  /** `put` for many grants in one go (imports, seeding at scale). */
  putMany(grants: readonly Grant[]): Promise<void>
  /** Adds the sealed note key to an existing grant; false (and nothing stored) when there is none. */
  setNoteKey(
    caseId: string,
    granteeKind: GranteeKind,
    granteeId: string,
    sealedNoteKey: Uint8Array
  ): Promise<boolean>
  get(caseId: string, granteeKind: GranteeKind, granteeId: string): Promise<Grant | null>
  listForCase(caseId: string): Promise<Grant[]>
  /** One grantee's grants in case id order, after a case id cursor (resumable bulk re-grant). */
  listForGrantee(
    granteeKind: GranteeKind,
    granteeId: string,
    afterCaseId?: string,
    limit?: number
  ): Promise<Grant[]>
  revoke(caseId: string, granteeKind: GranteeKind, granteeId: string): Promise<boolean>
}

// ---------------------------------------------------------------- attachment blobs

export interface BlobInfo {
  id: string
  caseId: string
  /** Number of pieces and total ciphertext size, known once complete. */
  pieces: number
  size: number
  complete: boolean
  /** SHA-256 of the ciphertext (hex), once complete. */
  sha256?: string | undefined
  createdAt: Date
}

export interface BlobStore {
  /** Starts an upload; DuplicateError if the id exists. */
  begin(id: string, caseId: string, at: Date): Promise<void>
  /** Stores piece `index`; repeating the same piece is a no-op (idempotent resume). */
  putPiece(id: string, index: number, data: Uint8Array): Promise<void>
  /** Indexes stored so far, so a client can resume. */
  pieces(id: string): Promise<number[]>
  /** Seals the upload: checks pieces 0..count-1 exist (else throws), records size and hash. */
  complete(id: string, count: number): Promise<BlobInfo>
  info(id: string): Promise<BlobInfo | null>
  /** Ciphertext bytes stored for a case's uploads, complete or not (for the per-report limit). */
  bytesForCase(caseId: string): Promise<number>
  /** The ciphertext, piece by piece in order. */
  read(id: string): AsyncIterable<Uint8Array>
  delete(id: string): Promise<void>
}

// ---------------------------------------------------------------- single-use tokens and counters

export interface TokenStore {
  /** Registers a single-use token (form submission nonce, setup token…); DuplicateError if known. */
  issue(token: string, purpose: string, expiresAt: Date): Promise<void>
  /** True exactly once for a known, unexpired token of that purpose. */
  consume(token: string, purpose: string, now: Date): Promise<boolean>
}

export interface CounterStore {
  /** Adds one to the counter of `key` in the window starting at `windowStart` and returns the new count. */
  hit(key: string, windowStart: Date, expiresAt: Date): Promise<number>
  get(key: string, windowStart: Date): Promise<number>
  reset(key: string): Promise<void>
}

export interface SettingStore {
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  /** Stores `value` unless the key exists; returns whichever value is stored afterwards (race-safe). */
  setIfAbsent(key: string, value: string): Promise<string>
}

// ---------------------------------------------------------------- whole-store export (backups)

/**
 * One piece of a store's export: a record of the named collection (a MongoDB document as BSON),
 * or, for SQLite, a piece of a database file made by SQLite's online backup ('sqlite-file').
 * src/backup/ encrypts and frames these; docs/backup.md describes the format.
 */
export interface DumpPiece {
  collection: string
  data: Uint8Array
}

/** The engine-specific export formats; a backup restores into a store of the same format. */
export const DUMP_FORMATS = ['sqlite-file-v1', 'mongo-bson-v1'] as const
export type DumpFormat = (typeof DUMP_FORMATS)[number]

export interface StoreDump {
  readonly format: DumpFormat
  /**
   * Everything the store holds, streamed (nothing is loaded whole): SQLite's online backup of the
   * file, or every collection of the database (GridFS pieces included) document by document.
   */
  export(): AsyncIterable<DumpPiece>
  /**
   * Replaces everything the store holds with an export of the same format. The caller checks
   * the export first (src/backup verifies every byte before calling); SQLite swaps in one
   * transaction, MongoDB collection by collection (a fault part way: run it again).
   * Resolves to the number of records (documents, or file pieces) taken.
   */
  import(pieces: AsyncIterable<DumpPiece>): Promise<number>
}

// ---------------------------------------------------------------- the whole store

export interface Store {
  readonly engine: StoreEngine
  cases: CaseStore
  items: ItemStore
  grants: GrantStore
  accounts: AccountStore
  sessions: SessionStore
  plan: PlanStore
  audit: AuditStore
  outbox: OutboxStore
  blobs: BlobStore
  tokens: TokenStore
  counters: CounterStore
  settings: SettingStore
  /** Whole-store export and import, for `portal backup` / `portal restore`. */
  dump: StoreDump
  org: OrgProfileStore
  retention: RetentionStore
  /** Cheap round trip to the database; throws when it is unreachable. */
  ping(): Promise<void>
  /** Deletes expired sessions, tokens and counters. Returns how many records went. */
  sweepExpired(now: Date): Promise<number>
  close(): Promise<void>
}
