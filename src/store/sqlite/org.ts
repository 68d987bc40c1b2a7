// The organisation profile: one row (id 1) holding the texts as JSON maps and the logo's bytes.
import type { LogoType, OrgProfileStore, PerLanguage } from '../types'
import { date, ms, orNull, orUndefined, promised, type Sql } from './db'

interface Row {
  names: string
  contact: string
  privacy: string
  logo_type: string | null
  logo_sha256: string | null
  logo_size: number | null
  updated_at: number
  updated_by: string | null
}

const texts = (json: string): PerLanguage => {
  const value = JSON.parse(json) as unknown
  if (!value || typeof value !== 'object') return {}
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')
  )
}

export function createOrgProfileStore(sql: Sql): OrgProfileStore {
  const get = sql<Row>(`SELECT names, contact, privacy, logo_type, logo_sha256,
    length(logo) AS logo_size, updated_at, updated_by FROM org_profile WHERE id = 1`)
  const putTexts =
    sql(`INSERT INTO org_profile (id, names, contact, privacy, updated_at, updated_by)
    VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET names = excluded.names,
    contact = excluded.contact, privacy = excluded.privacy, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by`)
  const putLogo =
    sql(`INSERT INTO org_profile (id, logo_type, logo, logo_sha256, updated_at, updated_by)
    VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET logo_type = excluded.logo_type,
    logo = excluded.logo, logo_sha256 = excluded.logo_sha256, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by`)
  const getLogo = sql<{ logo_type: string; logo: Buffer; logo_sha256: string }>(
    'SELECT logo_type, logo, logo_sha256 FROM org_profile WHERE id = 1 AND logo IS NOT NULL'
  )

  return promised<OrgProfileStore>({
    get() {
      const r = get.get()
      if (!r) return null
      return {
        names: texts(r.names),
        contact: texts(r.contact),
        privacy: texts(r.privacy),
        logo:
          r.logo_type && r.logo_sha256 && r.logo_size !== null
            ? { type: r.logo_type as LogoType, sha256: r.logo_sha256, size: r.logo_size }
            : undefined,
        updatedAt: date(r.updated_at),
        updatedBy: orUndefined(r.updated_by),
      }
    },
    putTexts(t, at, by) {
      putTexts.run(
        JSON.stringify(t.names),
        JSON.stringify(t.contact),
        JSON.stringify(t.privacy),
        ms(at),
        orNull(by)
      )
    },
    putLogo(logo, at, by) {
      putLogo.run(
        logo?.type ?? null,
        logo ? Buffer.from(logo.data) : null,
        logo?.sha256 ?? null,
        ms(at),
        orNull(by)
      )
    },
    getLogo() {
      const r = getLogo.get()
      return r
        ? { type: r.logo_type as LogoType, data: new Uint8Array(r.logo), sha256: r.logo_sha256 }
        : null
    },
  })
}
