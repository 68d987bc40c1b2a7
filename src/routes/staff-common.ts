// Helpers shared by the staff sub-apps: rendering with the staff menu and page data, JSON bodies,
// local redirects that keep the language.
import type { Context } from 'hono'
import { jsonBodyLimit as sizedJsonBody, readJsonObject } from '../http/json-body'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from '../config'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { render } from '../http/render'
import type { StaffPageConfig } from '../staff/api'
import { jsonForScript } from './report'

/** What the staff menu partial (views/partials/staff-nav.eta) needs. */
export function staffNav(c: Context<AppEnv>) {
  const staff = c.var.staff
  return staff ? { displayName: staff.account.displayName, roles: staff.roles } : undefined
}

export function staffPage(
  c: Context<AppEnv>,
  config: Config,
  view: { page: string; fragment?: string; title: string },
  data: Record<string, unknown> = {},
  status: ContentfulStatusCode = 200,
  pageConfig?: StaffPageConfig
): Response {
  return render(
    c,
    config,
    view,
    {
      staffNav: staffNav(c),
      ...(pageConfig ? { configJson: jsonForScript(pageConfig) } : {}),
      ...data,
    },
    status
  )
}

/** A message page (invalid link, already set up…). */
export function staffNotice(
  c: Context<AppEnv>,
  config: Config,
  heading: string,
  message: string,
  status: ContentfulStatusCode
): Response {
  return staffPage(
    c,
    config,
    { page: 'pages/staff/notice', title: heading },
    { heading, message },
    status
  )
}

/** Same-site redirect to a local path, keeping ?lang= when the page is not in the default language. */
export function goTo(c: Context<AppEnv>, config: Config, path: string): Response {
  return c.redirect(local(c, config, path), 303)
}

export function local(c: Context<AppEnv>, config: Config, path: string): string {
  return localHref(path, c.var.lang, config.defaultLanguage)
}

/** Small JSON bodies only: what the staff scripts send is a few hundred bytes. */
export const jsonBodyLimit = sizedJsonBody(16 * 1024)

/** The staff scripts' JSON body: an object, or null for anything else. */
export const readJson = readJsonObject

/** Argon2id parameters for a new passphrase, as the staff pages' scripts receive them. */
export function kdfForPages(config: Pick<Config, 'staffKdf'>) {
  return { ...config.staffKdf }
}
