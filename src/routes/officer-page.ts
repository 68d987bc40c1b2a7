// The officer frame (views/pages/officer/layout.eta) around a page: the staff and officer menus,
// the page data the workspace script reads, the officer stylesheet. Shared by every officer
// sub-app; a full page, or for htmx (not boosted navigation) only the fragment, from one partial.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from '../config'
import type { AppEnv } from '../http/env'
import { localHref } from '../http/i18n'
import { render } from '../http/render'
import type { OfficerPageConfig } from '../officer/api'
import { fill } from '../officer/format'
import { jsonForScript } from './report'
import { staffNav } from './staff-common'

export type Ctx = Context<AppEnv, string, object>

export const OFFICER_SCRIPT = '/static/js/officer-workspace.entry.js'
export const OFFICER_STYLE = '/static/css/officer.css'

/** The officer section a page belongs to, for the menu's aria-current. */
export type Section = 'inbox' | 'intake' | 'handover' | 'plan' | 'journal'

export type OfficerPage = (
  c: Ctx,
  view: { page: string; fragment?: string; title: string },
  section: Section | undefined,
  pageData: OfficerPageConfig['page'],
  data: Record<string, unknown>,
  status?: ContentfulStatusCode
) => Response

export function officerPage(config: Config): OfficerPage {
  return (c, view, section, pageData, data, status = 200) => {
    const staff = c.var.staff
    // Mounted behind requireRole: a page without a signed-in person is a wiring mistake.
    if (!staff) throw new HTTPException(401)
    const boosted = c.req.header('HX-Boosted') === 'true'
    const officerConfig: OfficerPageConfig = {
      lang: c.var.lang,
      accountId: staff.account.id,
      unlockUrl: localHref(
        `/staff/unlock?next=${encodeURIComponent(c.req.path)}`,
        c.var.lang,
        config.defaultLanguage
      ),
      strings: { ...c.var.t.officer.js },
      page: pageData,
    }
    return render(
      c,
      config,
      { ...view, fragment: boosted ? undefined : view.fragment },
      {
        staffNav: staffNav(c),
        section,
        isOfficer: staff.roles.includes('officer'),
        styles: [OFFICER_STYLE],
        scripts: [OFFICER_SCRIPT],
        officerConfigJson: jsonForScript(officerConfig),
        fill,
        ...data,
      },
      status
    )
  }
}
