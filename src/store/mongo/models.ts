// Schemas bound to one connection (no global mongoose models). Every model has `autoIndex`
// off: its indexes are built by the numbered steps in ./migrations.ts at open, so index errors
// surface there; the index() lines below must name the same set (test/integration/migrations).
//
// Portability rules (MongoDB 6+ and FerretDB v1): no TTL indexes (expiry is swept), no
// `select: false` (FerretDB rejects projections on findOneAndUpdate), no nested arrays,
// optional values stored as absent fields (never null) so unique+sparse indexes hold on both:
// FerretDB ignores `sparse` but lets any number of documents lack an indexed field.
import { Schema, type Connection, type Model, type mongo } from 'mongoose'
import { createAuditModel } from './models-audit'
import { createOrgProfileModel } from './models-org'
import { Mixed, opts } from './schema-options'

export { createAuditModel, type AuditDoc } from './models-audit'

export interface ClockDoc {
  kind: string
  startedAt: Date
  dueAt: Date
  metAt?: Date
  extendedDays?: number
}

export interface CaseDoc {
  _id: string
  registrationNo?: string
  channel: string
  anonymity: string
  encMode: string
  state: string
  outcome?: string
  category?: string
  tags: string[]
  assigneeId?: string
  planItemIds: string[]
  casePublicKey: string
  reporterBoxPublicKey?: string
  reporterSignPublicKey?: string
  receiptLookup?: string
  receivedAt: Date
  createdAt: Date
  updatedAt: Date
  lastSeq: number
  unreadForOfficers: boolean
  unreadForReporter: boolean
  clocks: ClockDoc[]
  /** Earliest dueAt of the open clocks, kept with every clocks write (the overdue filter). */
  openDueAt?: Date
  /** openDueAt, or the largest Date when no clock is open: the deadline sort (always present). */
  dueSort?: Date
  pendingExtension?: PendingExtensionDoc
  protectionMeasures?: ProtectionMeasureDoc[]
  notePublicKey?: string
  referral?: { body: string; name?: string; at: Date }
  version: number
  /**
   * Set when CaseStore.createWhole inserts the case (wall-clock time), before its grants and first
   * item: a case still marked a minute later with no item was cut off by a crash (whole-case.ts).
   */
  unfinishedSince?: Date
}

export interface PendingExtensionDoc {
  requestedBy: string
  requestedAt: Date
  days: number
  reason: string
}

export interface ProtectionMeasureDoc {
  id: string
  kind: string
  takenOn: string
  outcome: string
  recordedBy: string
  recordedAt: Date
}

export function createCaseModel(conn: Connection): Model<CaseDoc> {
  const clock = new Schema<ClockDoc>(
    { kind: String, startedAt: Date, dueAt: Date, metAt: Date, extendedDays: Number },
    { _id: false }
  )
  const s = new Schema<CaseDoc>(
    {
      _id: String,
      registrationNo: String,
      channel: String,
      anonymity: String,
      encMode: String,
      state: String,
      outcome: String,
      category: String,
      tags: [String],
      assigneeId: String,
      planItemIds: [String],
      casePublicKey: String,
      reporterBoxPublicKey: String,
      reporterSignPublicKey: String,
      receiptLookup: String,
      receivedAt: Date,
      createdAt: Date,
      updatedAt: Date,
      lastSeq: Number,
      unreadForOfficers: Boolean,
      unreadForReporter: Boolean,
      clocks: [clock],
      openDueAt: Date,
      dueSort: Date,
      referral: new Schema({ body: String, name: String, at: Date }, { _id: false }),
      pendingExtension: new Schema<PendingExtensionDoc>(
        { requestedBy: String, requestedAt: Date, days: Number, reason: String },
        { _id: false }
      ),
      protectionMeasures: [
        new Schema<ProtectionMeasureDoc>(
          {
            id: String,
            kind: String,
            takenOn: String,
            outcome: String,
            recordedBy: String,
            recordedAt: Date,
          },
          { _id: false }
        ),
      ],
      notePublicKey: String,
      version: Number,
      unfinishedSince: Date,
    },
    opts
  )
  s.index({ receiptLookup: 1 }, { unique: true, sparse: true })
  s.index({ receivedAt: -1, createdAt: -1 })
  s.index({ state: 1 })
  s.index({ assigneeId: 1 })
  s.index({ openDueAt: 1 })
  // The inbox's filters and sorts (src/officer/cases.ts), each ending in the received order.
  s.index({ state: 1, receivedAt: -1, createdAt: -1 })
  s.index({ channel: 1, receivedAt: -1, createdAt: -1 })
  s.index({ registrationNo: 1, receivedAt: -1, createdAt: -1 })
  s.index({ planItemIds: 1, receivedAt: -1 })
  s.index({ dueSort: 1, receivedAt: -1, createdAt: -1 })
  return conn.model<CaseDoc>('Case', s, 'cases')
}

export interface ItemDoc {
  _id: string
  caseId: string
  seq: number
  kind: string
  authorRole: string
  authorId?: string
  encMode: string
  sealed: Buffer
  createdAt: Date
}

export function createItemModel(conn: Connection): Model<ItemDoc> {
  const s = new Schema<ItemDoc>(
    {
      _id: String,
      caseId: String,
      seq: Number,
      kind: String,
      authorRole: String,
      authorId: String,
      encMode: String,
      sealed: Buffer,
      createdAt: Date,
    },
    opts
  )
  s.index({ caseId: 1, seq: 1 }, { unique: true })
  return conn.model<ItemDoc>('Item', s, 'items')
}

export interface GrantDoc {
  /** JSON of [caseId, granteeKind, granteeId]: the natural key, so `put` is one upsert. */
  _id: string
  caseId: string
  granteeKind: string
  granteeId: string
  sealedKey: Buffer
  sealedNoteKey?: Buffer
  grantedBy?: string
  createdAt: Date
}

export function createGrantModel(conn: Connection): Model<GrantDoc> {
  const s = new Schema<GrantDoc>(
    {
      _id: String,
      caseId: String,
      granteeKind: String,
      granteeId: String,
      sealedKey: Buffer,
      sealedNoteKey: Buffer,
      grantedBy: String,
      createdAt: Date,
    },
    opts
  )
  s.index({ caseId: 1 })
  s.index({ granteeKind: 1, granteeId: 1, caseId: 1 })
  return conn.model<GrantDoc>('Grant', s, 'grants')
}

export interface WrappedKeysDoc {
  wrapped: string
  salt: string
  kdf: { m: number; t: number; p: number }
}

export interface AccountDoc {
  _id: string
  email: string
  displayName: string
  roles: string[]
  status: string
  authHash?: string
  totpSecretSealed?: string
  totpLastStep?: number
  boxPublicKey?: string
  signPublicKey?: string
  keys?: WrappedKeysDoc
  recoveryKeys?: WrappedKeysDoc
  inviteTokenHash?: string
  inviteExpiresAt?: Date
  notifyDigest: boolean
  createdAt: Date
  updatedAt: Date
  version: number
}

export function createAccountModel(conn: Connection): Model<AccountDoc> {
  // Mixed: stored as given, and absent stays absent (a nested schema would default to {}).
  const s = new Schema<AccountDoc>(
    {
      _id: String,
      email: String,
      displayName: String,
      roles: [String],
      status: String,
      authHash: String,
      totpSecretSealed: String,
      totpLastStep: Number,
      boxPublicKey: String,
      signPublicKey: String,
      keys: Mixed,
      recoveryKeys: Mixed,
      inviteTokenHash: String,
      inviteExpiresAt: Date,
      notifyDigest: Boolean,
      createdAt: Date,
      updatedAt: Date,
      version: Number,
    },
    opts
  )
  s.index({ email: 1 }, { unique: true })
  s.index({ inviteTokenHash: 1 })
  return conn.model<AccountDoc>('Account', s, 'accounts')
}

export interface SessionDoc {
  _id: string
  kind: string
  accountId?: string
  caseId?: string
  data?: Buffer
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
}

export function createSessionModel(conn: Connection): Model<SessionDoc> {
  const s = new Schema<SessionDoc>(
    {
      _id: String,
      kind: String,
      accountId: String,
      caseId: String,
      data: Buffer,
      createdAt: Date,
      lastSeenAt: Date,
      expiresAt: Date,
    },
    opts
  )
  s.index({ accountId: 1 })
  s.index({ expiresAt: 1 })
  return conn.model<SessionDoc>('Session', s, 'sessions')
}

export interface PlanDoc {
  _id: string
  year: number
  number: string
  measure: string
  deadlineText: string
  responsible: string
  doneText: string
  covers?: string[]
  position: number
}

export function createPlanModel(conn: Connection): Model<PlanDoc> {
  const s = new Schema<PlanDoc>(
    {
      _id: String,
      year: Number,
      number: String,
      measure: String,
      deadlineText: String,
      responsible: String,
      doneText: String,
      covers: [String],
      position: Number,
    },
    opts
  )
  s.index({ year: 1, position: 1 })
  return conn.model<PlanDoc>('PlanItem', s, 'plan_items')
}

export interface OutboxDoc {
  _id: string
  to: string
  template: string
  params: Record<string, string>
  dedupeKey?: string
  status: string
  attempts: number
  notBefore: Date
  leaseOwner?: string
  leaseUntil?: Date
  lastError?: string
  createdAt: Date
  sentAt?: Date
}

export function createOutboxModel(conn: Connection): Model<OutboxDoc> {
  const s = new Schema<OutboxDoc>(
    {
      _id: String,
      to: String,
      template: String,
      params: Mixed,
      dedupeKey: String,
      status: String,
      attempts: Number,
      notBefore: Date,
      leaseOwner: String,
      leaseUntil: Date,
      lastError: String,
      createdAt: Date,
      sentAt: Date,
    },
    opts
  )
  s.index({ dedupeKey: 1 }, { unique: true, sparse: true })
  s.index({ status: 1, notBefore: 1 })
  return conn.model<OutboxDoc>('OutboxMessage', s, 'outbox')
}

export interface BlobDoc {
  _id: string
  caseId: string
  createdAt: Date
  complete: boolean
  pieces: number
  size: number
  sha256?: string
  /** Byte length of each piece, so `read` hands the ciphertext back piece by piece. */
  pieceSizes: number[]
  /** GridFS file of the ciphertext; set when `complete` starts, so a crashed attempt can be cleaned. */
  fileId?: mongo.ObjectId
  /** Lease of a running `complete` (it streams into GridFS and must not run twice at once). */
  completingUntil?: Date
}

export function createBlobModel(conn: Connection): Model<BlobDoc> {
  const s = new Schema<BlobDoc>(
    {
      _id: String,
      caseId: String,
      createdAt: Date,
      complete: Boolean,
      pieces: Number,
      size: Number,
      sha256: String,
      pieceSizes: [Number],
      fileId: Schema.Types.ObjectId,
      completingUntil: Date,
    },
    opts
  )
  s.index({ caseId: 1 })
  return conn.model<BlobDoc>('Blob', s, 'blobs')
}

export interface PieceDoc {
  /** JSON of [blobId, index]: a repeated piece is a duplicate key, hence a no-op. */
  _id: string
  blobId: string
  index: number
  data: Buffer
  /** Byte length of `data`, so usage can be summed without loading the bytes. */
  size: number
}

export function createPieceModel(conn: Connection): Model<PieceDoc> {
  const s = new Schema<PieceDoc>(
    { _id: String, blobId: String, index: Number, data: Buffer, size: Number },
    opts
  )
  s.index({ blobId: 1, index: 1 })
  return conn.model<PieceDoc>('BlobPiece', s, 'blob_pieces')
}

export interface TokenDoc {
  _id: string
  purpose: string
  expiresAt: Date
  usedAt?: Date
}

export function createTokenModel(conn: Connection): Model<TokenDoc> {
  const s = new Schema<TokenDoc>(
    { _id: String, purpose: String, expiresAt: Date, usedAt: Date },
    opts
  )
  s.index({ expiresAt: 1 })
  return conn.model<TokenDoc>('Token', s, 'tokens')
}

export interface CounterDoc {
  /** JSON of [key, windowStart ms]. */
  _id: string
  key: string
  windowStart: Date
  count: number
  expiresAt: Date
}

export function createCounterModel(conn: Connection): Model<CounterDoc> {
  const s = new Schema<CounterDoc>(
    { _id: String, key: String, windowStart: Date, count: Number, expiresAt: Date },
    opts
  )
  s.index({ key: 1 })
  s.index({ expiresAt: 1 })
  return conn.model<CounterDoc>('Counter', s, 'counters')
}

/** Registration numbers handed out per year; `_id` is the year. */
export interface RegistrationCounterDoc {
  _id: number
  last: number
}

export function createRegistrationCounterModel(conn: Connection): Model<RegistrationCounterDoc> {
  const s = new Schema<RegistrationCounterDoc>({ _id: Number, last: Number }, opts)
  return conn.model<RegistrationCounterDoc>('RegistrationCounter', s, 'registration_counters')
}

export interface SettingDoc {
  _id: string
  value: string
}

export function createSettingModel(conn: Connection): Model<SettingDoc> {
  const s = new Schema<SettingDoc>({ _id: String, value: String }, opts)
  return conn.model<SettingDoc>('Setting', s, 'settings')
}

export function createModels(conn: Connection) {
  return {
    cases: createCaseModel(conn),
    items: createItemModel(conn),
    grants: createGrantModel(conn),
    accounts: createAccountModel(conn),
    sessions: createSessionModel(conn),
    plan: createPlanModel(conn),
    audit: createAuditModel(conn),
    outbox: createOutboxModel(conn),
    blobs: createBlobModel(conn),
    pieces: createPieceModel(conn),
    tokens: createTokenModel(conn),
    counters: createCounterModel(conn),
    registrationCounters: createRegistrationCounterModel(conn),
    settings: createSettingModel(conn),
    org: createOrgProfileModel(conn),
  }
}

export type Models = ReturnType<typeof createModels>
