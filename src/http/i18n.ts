import type { MiddlewareHandler } from 'hono'
import type { Language } from '../config'
import { dictionaries, isLanguage } from '../i18n'
import type { AppEnv } from './env'

/**
 * Picks the language from ?lang= and nothing else on public pages: reporters get no
 * cookie, and the language must not depend on a fingerprintable Accept-Language.
 */
export function language(defaultLanguage: Language): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const asked = c.req.query('lang')
    const lang = isLanguage(asked) ? asked : defaultLanguage
    c.set('lang', lang)
    c.set('t', dictionaries[lang])
    await next()
    c.res.headers.set('Content-Language', lang)
  }
}

/** Adds ?lang= to a local path when the language is not the default one. */
export function localHref(path: string, lang: Language, defaultLanguage: Language): string {
  if (lang === defaultLanguage) return path
  const sep = path.includes('?') ? '&' : '?'
  return `${path}${sep}lang=${lang}`
}
