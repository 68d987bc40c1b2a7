// The organisation's public pages: contact and privacy notice (the admin's texts, rendered
// safely by src/branding/markup.ts) and the logo. Linked from every page's footer.
import { Hono } from 'hono'
import type { Config } from '../config'
import type { Branding, OrgPage } from '../branding/service'
import type { AppEnv } from '../http/env'
import { render } from '../http/render'

/**
 * An SVG logo opened on its own is a document: it may run nothing, load nothing and is
 * sandboxed (src/http/security.ts keeps a route's sandboxed CSP). In an <img> nothing runs anyway.
 */
export const LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

export function orgRoutes(config: Config, branding: Branding) {
  const app = new Hono<AppEnv>()

  for (const which of ['contact', 'privacy'] as const satisfies readonly OrgPage[]) {
    app.get(`/${which}`, async (c) => {
      const t = c.var.t.org
      const shown = await branding.page(which, c.var.lang)
      return render(
        c,
        config,
        {
          page: 'pages/public/org-page',
          title: which === 'contact' ? t.contactTitle : t.privacyTitle,
        },
        {
          heading: which === 'contact' ? t.contactTitle : t.privacyTitle,
          html: shown?.html,
          textLang: shown?.lang,
          otherLanguage: shown !== undefined && shown.lang !== c.var.lang,
        }
      )
    })
  }

  app.get('/org/logo', async (c) => {
    const logo = await branding.logo()
    if (!logo) return c.notFound()
    c.header('Content-Type', logo.type)
    c.header('Content-Security-Policy', LOGO_CSP)
    c.header('Content-Disposition', 'inline; filename="logo"')
    // The address carries the logo's hash (branding.view): a new logo is a new address.
    if (c.req.query('v') === logo.sha256.slice(0, 16)) {
      c.header('Cache-Control', 'public, max-age=31536000, immutable')
    }
    return c.body(Buffer.from(logo.data))
  })

  return app
}
