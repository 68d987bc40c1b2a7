// The organisation's public face (issue 11, point 10): the name per language in the header and
// title, the logo, and the contact and privacy-notice pages linked from every page's footer. The
// admin edits them (routes/staff-branding.ts); every page reads them, so the profile is kept in
// memory and re-read in the background after a few seconds (another instance may have saved).
import { LANGUAGES, type Config, type Language } from '../config'
import type { AppDeps } from '../deps'
import { fail, ok, type Result } from '../domain/result'
import type { Account, OrgProfile, OrgProfileTexts, PerLanguage } from '../store/types'
import { staffAudit } from '../staff/accounts'
import { checkLogo, type LogoProblem } from './logo'
import { renderMarkup } from './markup'

export const ORG_PAGES = ['contact', 'privacy'] as const
export type OrgPage = (typeof ORG_PAGES)[number]

export const NAME_MAX = 200
export const PAGE_MAX = 20_000
/** How long a read profile is served before it is read again (in the background). */
const FRESH_MS = 5_000

export interface TooLong {
  field: keyof OrgProfileTexts
  lang: Language
  max: number
  count: number
}
export type TextsResult = { ok: true } | { ok: false; tooLong: TooLong[] }

/** What a page's layout shows of the organisation. */
export interface BrandView {
  name: string
  /** The logo's address (it changes with the logo), when there is one. */
  logoHref?: string | undefined
}

export function createBranding(deps: Pick<AppDeps, 'store' | 'clock' | 'config' | 'log'>) {
  const { store, config, log } = deps
  const audit = staffAudit(deps)
  let cached: { profile: OrgProfile | null; readAt: number } | undefined
  let reading: Promise<OrgProfile | null> | undefined
  // Bumped by every save here, so that a read begun before it cannot put the old profile back.
  let generation = 0
  const forget = () => {
    cached = undefined
    reading = undefined
    generation++
  }

  const read = (): Promise<OrgProfile | null> => {
    const started = generation
    reading ??= store.org
      .get()
      .then((profile) => {
        if (started === generation) cached = { profile, readAt: performance.now() }
        return profile
      })
      .finally(() => {
        if (started === generation) reading = undefined
      })
    return reading
  }

  /** The stored profile; a stale one at once (re-read behind), the database's when none yet. */
  async function profile(): Promise<OrgProfile | null> {
    if (!cached) return read()
    if (performance.now() - cached.readAt > FRESH_MS) {
      read().catch((err: unknown) => log.warn({ err }, 'organisation profile not re-read'))
    }
    return cached.profile
  }

  /** For the layout: never fails a page; with the database away, ORG_NAME and no logo. */
  async function view(lang: Language): Promise<BrandView> {
    let p: OrgProfile | null
    try {
      p = await profile()
    } catch {
      return { name: config.orgName }
    }
    return {
      name: orgNameIn(p, lang, config),
      logoHref: p?.logo ? `/org/logo?v=${p.logo.sha256.slice(0, 16)}` : undefined,
    }
  }

  /** A public page as HTML, in the asked language or else another one; undefined if unwritten. */
  async function page(
    which: OrgPage,
    lang: Language
  ): Promise<{ html: string; lang: Language } | undefined> {
    const p = await profile()
    const texts = p?.[which] ?? {}
    const shown = [lang, config.defaultLanguage, ...LANGUAGES].find((l) => texts[l]?.trim())
    return shown ? { html: renderMarkup(texts[shown]!), lang: shown } : undefined
  }

  /** The texts as stored, for the admin's form (empty strings where unwritten). */
  async function texts(): Promise<OrgProfileTexts> {
    const p = await store.org.get()
    return { names: p?.names ?? {}, contact: p?.contact ?? {}, privacy: p?.privacy ?? {} }
  }

  async function detailsSet(): Promise<boolean> {
    return detailsComplete(await store.org.get(), config)
  }

  /** Stores the texts, or says which are too long (and stores nothing). */
  async function saveTexts(input: OrgProfileTexts, by: Account): Promise<TextsResult> {
    const tooLong: TooLong[] = []
    const clean = (field: keyof OrgProfileTexts, max: number): PerLanguage => {
      const out: PerLanguage = {}
      for (const l of LANGUAGES) {
        let v = (input[field][l] ?? '').trim()
        // A name is one line; a page keeps its line breaks (they mean paragraphs).
        if (field === 'names') v = v.replace(/\s+/g, ' ')
        if (v.length > max) tooLong.push({ field, lang: l, max, count: v.length })
        if (v) out[l] = v
      }
      return out
    }
    const texts = {
      names: clean('names', NAME_MAX),
      contact: clean('contact', PAGE_MAX),
      privacy: clean('privacy', PAGE_MAX),
    }
    if (tooLong.length > 0) return { ok: false, tooLong }
    await store.org.putTexts(texts, deps.clock.now(), by.id)
    forget()
    await audit(by, 'org-profile', undefined, {
      languages: Object.keys(texts.names).join(','),
    })
    return { ok: true }
  }

  async function saveLogo(data: Uint8Array, by: Account): Promise<Result<void, LogoProblem>> {
    const checked = checkLogo(data)
    if (!checked.ok) return checked
    await store.org.putLogo(checked.value, deps.clock.now(), by.id)
    forget()
    await audit(by, 'org-logo', undefined, {
      type: checked.value.type,
      sha256: checked.value.sha256,
    })
    return ok(undefined)
  }

  async function removeLogo(by: Account): Promise<Result<void, 'no-logo'>> {
    const p = await store.org.get()
    if (!p?.logo) return fail('no-logo', 'there is no logo')
    await store.org.putLogo(null, deps.clock.now(), by.id)
    forget()
    await audit(by, 'org-logo-removed')
    return ok(undefined)
  }

  return {
    view,
    page,
    texts,
    detailsSet,
    saveTexts,
    saveLogo,
    removeLogo,
    logo: () => store.org.getLogo(),
  }
}
export type Branding = ReturnType<typeof createBranding>

/** The checklist's "organisation details": a name in every language and both pages written in
 *  the default language (the other language falls back to it). */
export function detailsComplete(
  p: OrgProfile | null,
  config: Pick<Config, 'defaultLanguage'>
): boolean {
  if (!p) return false
  const has = (m: PerLanguage, l: Language) => !!m[l]?.trim()
  return (
    LANGUAGES.every((l) => has(p.names, l)) &&
    has(p.contact, config.defaultLanguage) &&
    has(p.privacy, config.defaultLanguage)
  )
}

/** The organisation's name in a language as every page and document shows it: ORG_NAME if unset. */
export function orgNameIn(
  profile: OrgProfile | null,
  lang: Language,
  config: Pick<Config, 'defaultLanguage' | 'orgName'>
): string {
  return pick(profile?.names, lang, config) ?? config.orgName
}

function pick(m: PerLanguage | undefined, lang: Language, config: Pick<Config, 'defaultLanguage'>) {
  const v = m?.[lang]?.trim() || m?.[config.defaultLanguage]?.trim()
  return v || undefined
}
