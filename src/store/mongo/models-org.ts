// The organisation profile's collection (part of models.ts): one document, _id 'org'. The logo's
// bytes sit in the document (a few hundred KB at most, see src/branding/logo.ts).
import { Schema, type Connection, type Model } from 'mongoose'
import { Mixed, opts } from './schema-options'

export interface OrgProfileDoc {
  _id: string
  names: Record<string, string>
  contact: Record<string, string>
  privacy: Record<string, string>
  logoType?: string | null
  logo?: Buffer | null
  logoSha256?: string | null
  logoSize?: number | null
  updatedAt: Date
  updatedBy?: string | null
}

export function createOrgProfileModel(conn: Connection): Model<OrgProfileDoc> {
  const s = new Schema<OrgProfileDoc>(
    {
      _id: String,
      names: Mixed,
      contact: Mixed,
      privacy: Mixed,
      logoType: String,
      logo: Buffer,
      logoSha256: String,
      logoSize: Number,
      updatedAt: Date,
      updatedBy: String,
    },
    opts
  )
  return conn.model<OrgProfileDoc>('OrgProfile', s, 'org_profile')
}
