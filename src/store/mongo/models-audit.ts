// The audit trail's collection (part of models.ts, which re-exports it): seq is the _id, so a
// second writer at the same seq gets a duplicate-key error and re-chains (src/audit/log.ts).
import { Schema, type Connection, type Model } from 'mongoose'
import { Mixed, opts } from './schema-options'

export interface AuditDoc {
  /** The sequence number: `_id` makes it unique without another index. */
  _id: number
  at: Date
  actorId?: string
  actorRole: string
  action: string
  subjectId?: string
  details: Record<string, string | number | boolean>
  prevHash: string
  hash: string
}

export function createAuditModel(conn: Connection): Model<AuditDoc> {
  const s = new Schema<AuditDoc>(
    {
      _id: Number,
      at: Date,
      actorId: String,
      actorRole: String,
      action: String,
      subjectId: String,
      details: Mixed,
      prevHash: String,
      hash: String,
    },
    opts
  )
  s.index({ subjectId: 1, _id: 1 })
  return conn.model<AuditDoc>('AuditEntry', s, 'audit')
}
