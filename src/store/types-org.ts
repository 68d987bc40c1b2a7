// The organisation's public face (issue 11, point 10): its name per language, the contact and
// privacy-notice pages the admin writes, and an optional logo. A record of the storage port
// (src/store/types.ts re-exports it); one per installation.

/** Texts keyed by language code ('uk', 'en'); a missing or empty one falls back (see branding/). */
export type PerLanguage = Partial<Record<string, string>>

/** The image types a logo may be; checked from the bytes, never from the upload's name. */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const
export type LogoType = (typeof LOGO_TYPES)[number]

export interface OrgLogo {
  type: LogoType
  data: Uint8Array
  /** SHA-256 of the bytes (hex): the logo's URL carries it, so a new logo is a new address. */
  sha256: string
}

export interface OrgProfile {
  names: PerLanguage
  contact: PerLanguage
  privacy: PerLanguage
  /** What is known of the stored logo without its bytes (those come from `getLogo`). */
  logo?: { type: LogoType; sha256: string; size: number } | undefined
  updatedAt: Date
  updatedBy?: string | undefined
}

export interface OrgProfileTexts {
  names: PerLanguage
  contact: PerLanguage
  privacy: PerLanguage
}

export interface OrgProfileStore {
  /** Null until an admin first saved something. */
  get(): Promise<OrgProfile | null>
  /** Replaces the three texts; the logo stays as it is. */
  putTexts(texts: OrgProfileTexts, at: Date, by?: string): Promise<void>
  /** Stores a new logo, or removes it (null); the texts stay as they are. */
  putLogo(logo: OrgLogo | null, at: Date, by?: string): Promise<void>
  getLogo(): Promise<OrgLogo | null>
}
