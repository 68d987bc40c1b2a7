// /staff/admin/setup: the admin's checklist (where an admin lands after signing in) and its
// "send test mail" button (post/redirect/get; works without JavaScript).
import { z } from 'zod'
import { Hono } from 'hono'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { formText, valid } from '../http/validate'
import { requireRole, staffOf } from '../http/staff'
import type { Certificates } from '../staff/certificates'
import { createSetupChecklist } from '../staff/setup-checklist'
import { goTo, staffPage } from './staff-common'

/** After the test mail: how it went, and why it failed (read leniently: never fails). */
const setupQuery = z.object({
  mail: z.enum(['sent', 'no-smtp', 'failed']).optional().catch(undefined),
  reason: formText(300),
})

export function staffSetupRoutes(deps: AppDeps, certificates: Certificates) {
  const { config } = deps
  const checklist = createSetupChecklist(deps, certificates)
  const app = new Hono<AppEnv>()
  app.use('/admin/setup', requireRole('admin'))
  app.use('/admin/setup/*', requireRole('admin'))

  app.get(
    '/admin/setup',
    valid('query', setupQuery, (c) => c.redirect('/staff/admin/setup', 303)),
    async (c) => {
      const t = c.var.t.setup
      const { mail, reason } = c.req.valid('query')
      const message =
        mail === 'sent'
          ? { kind: 'ok', text: t.testMail.sent.replace('{email}', staffOf(c).account.email) }
          : mail === 'no-smtp'
            ? { kind: 'error', text: t.testMail.noSmtp }
            : mail === 'failed'
              ? {
                  kind: 'error',
                  text: t.testMail.failed.replace('{reason}', reason),
                }
              : undefined
      return staffPage(
        c,
        config,
        { page: 'pages/staff/setup-checklist', title: t.title },
        {
          items: await checklist.state(),
          smtpConfigured: !!config.smtpUrl,
          message,
        }
      )
    }
  )

  app.post('/admin/setup/test-mail', async (c) => {
    const t = c.var.t.setup.testMail
    const me = staffOf(c).account
    const r = await checklist.sendTestMail(me.email, { subject: t.subject, text: t.body })
    if (r.ok) return goTo(c, config, '/staff/admin/setup?mail=sent')
    if (r.reason === 'no-smtp') return goTo(c, config, '/staff/admin/setup?mail=no-smtp')
    const reason = encodeURIComponent(r.reason.slice(0, 200))
    return goTo(c, config, `/staff/admin/setup?mail=failed&reason=${reason}`)
  })

  return app
}
