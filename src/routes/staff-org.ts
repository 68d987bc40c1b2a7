// /staff/admin/organisation: the admin writes the organisation's name per language, its contact
// and privacy pages, and uploads or removes its logo (issue 11, point 10). Forms without
// JavaScript, post/redirect/get; a refused form comes back with what was typed and why.
import type { Context } from 'hono'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { LANGUAGES, type Config, type Language } from '../config'
import { LOGO_MAX_BYTES } from '../branding/logo'
import { NAME_MAX, PAGE_MAX, type Branding, type TooLong } from '../branding/service'
import type { AppEnv } from '../http/env'
import { requireRole, staffOf } from '../http/staff'
import { valid } from '../http/validate'
import type { OrgProfileTexts } from '../store/types'
import { goTo, staffPage } from './staff-common'

/** Registered below the /staff mount (src/app.ts); links and redirects need the full PATH. */
const ROUTE = '/admin/organisation'
const PATH = `/staff${ROUTE}`
const FIELDS = ['names', 'contact', 'privacy'] as const

// Generous bounds for the parser; the service says which text is too long, keeping the rest.
const text = (max: number) =>
  z
    .string()
    .max(max * 4)
    .optional()
const textsForm = z.object(
  Object.fromEntries(
    FIELDS.flatMap((f) =>
      LANGUAGES.map((l) => [`${f}_${l}`, text(f === 'names' ? NAME_MAX : PAGE_MAX)])
    )
  )
)
const logoForm = z.object({ logo: z.instanceof(File).optional().or(z.string().max(0)) })

type Ctx = Context<AppEnv>
interface Shown {
  texts?: OrgProfileTexts
  tooLong?: TooLong[]
  logoError?: string
}

export function staffOrgRoutes(config: Config, branding: Branding) {
  const app = new Hono<AppEnv>()
  app.use(ROUTE, requireRole('admin'))
  app.use(`${ROUTE}/*`, requireRole('admin'))

  const show = async (c: Ctx, shown: Shown = {}, status: 200 | 413 | 422 = 200) => {
    const t = c.var.t.org.edit
    const q = c.req.query()
    const message = shown.tooLong
      ? { kind: 'error', text: t.notSaved }
      : shown.logoError
        ? { kind: 'error', text: shown.logoError }
        : q.saved
          ? { kind: 'ok', text: t.saved }
          : q.logo === 'saved'
            ? { kind: 'ok', text: t.logoSaved }
            : q.logo === 'removed'
              ? { kind: 'ok', text: t.logoRemoved }
              : undefined
    const errors: Record<string, string> = {}
    for (const e of shown.tooLong ?? []) {
      errors[`${e.field}_${e.lang}`] = t.tooLong
        .replace('{max}', String(e.max))
        .replace('{count}', String(e.count))
    }
    return staffPage(
      c,
      config,
      { page: 'pages/staff/organisation', title: t.title },
      {
        fields: FIELDS,
        languages: LANGUAGES,
        texts: shown.texts ?? (await branding.texts()),
        errors,
        message,
        logoHref: c.var.brand?.logoHref,
        limits: { names: NAME_MAX, contact: PAGE_MAX, privacy: PAGE_MAX },
      },
      status
    )
  }

  app.get(ROUTE, (c) => show(c))

  app.post(
    ROUTE,
    bodyLimit({ maxSize: 4 * 1024 * 1024, onError: (c) => c.text('Too large', 413) }),
    valid('form', textsForm, (c) => show(c, { tooLong: [] }, 422)),
    async (c) => {
      const form = c.req.valid('form') as Record<string, string | undefined>
      const per = (f: (typeof FIELDS)[number]) =>
        Object.fromEntries(LANGUAGES.map((l: Language) => [l, form[`${f}_${l}`] ?? '']))
      const texts = { names: per('names'), contact: per('contact'), privacy: per('privacy') }
      const saved = await branding.saveTexts(texts, staffOf(c).account)
      if (!saved.ok) return show(c, { texts, tooLong: saved.tooLong }, 422)
      return goTo(c, config, `${PATH}?saved=1`)
    }
  )

  const logoError = (
    c: Ctx,
    code: keyof AppEnv['Variables']['t']['org']['edit']['logoErrors'],
    file = ''
  ) => c.var.t.org.edit.logoErrors[code].replace('{file}', file)

  app.post(
    `${ROUTE}/logo`,
    // Past the service's own limit, so a file a little too large is named in the answer.
    bodyLimit({
      maxSize: LOGO_MAX_BYTES * 10,
      onError: (c: Ctx) => show(c, { logoError: logoError(c, 'too-large') }, 413),
    }),
    valid('form', logoForm, (c) => show(c, { logoError: logoError(c, 'empty') }, 422)),
    async (c) => {
      const { logo } = c.req.valid('form')
      if (!(logo instanceof File) || logo.size === 0) {
        return show(c, { logoError: logoError(c, 'empty') }, 422)
      }
      const data = new Uint8Array(await logo.arrayBuffer())
      const saved = await branding.saveLogo(data, staffOf(c).account)
      if (!saved.ok) return show(c, { logoError: logoError(c, saved.error.code, logo.name) }, 422)
      return goTo(c, config, `${PATH}?logo=saved`)
    }
  )

  app.post(`${ROUTE}/logo/remove`, async (c) => {
    const removed = await branding.removeLogo(staffOf(c).account)
    if (!removed.ok) return show(c, { logoError: logoError(c, 'no-logo') }, 422)
    return goTo(c, config, `${PATH}?logo=removed`)
  })

  return app
}
