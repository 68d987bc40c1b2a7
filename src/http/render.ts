import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DEFAULT_QUICK_EXIT_URL, LANGUAGES, type Config } from '../config'
import type { AppEnv } from './env'
import { localHref } from './i18n'

export function isHtmx(c: Context): boolean {
  return (
    c.req.header('HX-Request') === 'true' && c.req.header('HX-History-Restore-Request') !== 'true'
  )
}

/** The organisation's name in this request's language: the admin's (src/branding), else ORG_NAME. */
export function orgNameOf(c: Context<AppEnv>, config: Pick<Config, 'orgName'>): string {
  return c.var.brand?.name ?? config.orgName
}

/**
 * Renders a full page, or for htmx requests only its fragment, from the same partial
 * (contact-app style). `Vary: HX-Request` keeps caches from mixing the two.
 */
export function render(
  c: Context<AppEnv>,
  config: Pick<Config, 'defaultLanguage' | 'orgName' | 'demo'> &
    Partial<Pick<Config, 'quickExitUrl'>>,
  view: { page: string; fragment?: string; title: string },
  data: Record<string, unknown> = {},
  status: ContentfulStatusCode = 200
): Response {
  const lang = c.var.lang
  const path = c.req.path
  const common = {
    ...data,
    t: c.var.t,
    lang,
    title: view.title,
    orgName: orgNameOf(c, config),
    brand: c.var.brand ?? { name: config.orgName },
    demo: config.demo === true,
    quickExitUrl: config.quickExitUrl ?? DEFAULT_QUICK_EXIT_URL,
    path,
    href: (p: string) => localHref(p, lang, config.defaultLanguage),
    otherLanguages: LANGUAGES.filter((l) => l !== lang).map((l) => ({
      lang: l,
      href: localHref(path, l, config.defaultLanguage),
    })),
  }
  c.header('Vary', 'HX-Request')
  const template = view.fragment && isHtmx(c) ? view.fragment : view.page
  return c.html(c.var.eta.render(template, common), status)
}
