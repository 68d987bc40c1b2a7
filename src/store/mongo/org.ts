// The organisation profile in MongoDB (OrgProfileStore of src/store/types.ts): one document.
import type { LogoType, OrgProfileStore, PerLanguage } from '../types'
import type { Ctx } from './context'
import { toBuffer, toBytes } from './map'
import type { OrgProfileDoc } from './models-org'
import { upsertRetry } from './people'

const ID = 'org'

const texts = (value: unknown): PerLanguage =>
  value && typeof value === 'object'
    ? Object.fromEntries(
        Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')
      )
    : {}

export function createOrgProfileStore(ctx: Ctx): OrgProfileStore {
  const { org } = ctx.m
  // A text update sets no defaults over an existing logo, and the other way round; the first
  // write of either makes the document with empty texts.
  const empty = { names: {}, contact: {}, privacy: {} }
  return {
    async get() {
      const d = await org
        .findOne({ _id: { $eq: ID } })
        .select({ logo: 0 })
        .lean<OrgProfileDoc>()
      if (!d) return null
      return {
        names: texts(d.names),
        contact: texts(d.contact),
        privacy: texts(d.privacy),
        logo:
          d.logoType && d.logoSha256 && typeof d.logoSize === 'number'
            ? { type: d.logoType as LogoType, sha256: d.logoSha256, size: d.logoSize }
            : undefined,
        updatedAt: d.updatedAt,
        updatedBy: d.updatedBy ?? undefined,
      }
    },
    async putTexts(t, at, by) {
      await upsertRetry(() =>
        org.updateOne(
          { _id: ID },
          {
            $set: {
              names: { ...t.names },
              contact: { ...t.contact },
              privacy: { ...t.privacy },
              updatedAt: at,
              updatedBy: by ?? null,
            },
          },
          { upsert: true }
        )
      )
    },
    async putLogo(logo, at, by) {
      await upsertRetry(() =>
        org.updateOne(
          { _id: ID },
          {
            $set: {
              logoType: logo?.type ?? null,
              logo: logo ? toBuffer(logo.data) : null,
              logoSha256: logo?.sha256 ?? null,
              logoSize: logo?.data.byteLength ?? null,
              updatedAt: at,
              updatedBy: by ?? null,
            },
            $setOnInsert: empty,
          },
          { upsert: true }
        )
      )
    },
    async getLogo() {
      const d = await org
        .findOne({ _id: { $eq: ID } })
        .select({ logoType: 1, logo: 1, logoSha256: 1 })
        .lean<OrgProfileDoc>()
      if (!d?.logo || !d.logoType || !d.logoSha256) return null
      return { type: d.logoType as LogoType, data: toBytes(d.logo), sha256: d.logoSha256 }
    },
  }
}
