// /staff/admin/setup: the admin's checklist (where an admin lands after signing in) and its
// "send test mail" button (post/redirect/get; works without JavaScript).
import { Hono } from 'hono'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { requireRole, staffOf } from '../http/staff'
import type { Certificates } from '../staff/certificates'
import { createSetupChecklist } from '../staff/setup-checklist'
import { goTo, staffPage } from './staff-common'

export function staffSetupRoutes(deps: AppDeps, certificates: Certificates) {
  const { config } = deps
  const checklist = createSetupChecklist(deps, certificates)
  const app = new Hono<AppEnv>()
  app.use('/staff/admin/setup', requireRole('admin'))
  app.use('/staff/admin/setup/*', requireRole('admin'))

  app.get('/staff/admin/setup', async (c) => {
    const t = c.var.t.setup
    const mail = c.req.query('mail')
    const message =
      mail === 'sent'
        ? { kind: 'ok', text: t.testMail.sent.replace('{email}', staffOf(c).account.email) }
        : mail === 'no-smtp'
          ? { kind: 'error', text: t.testMail.noSmtp }
          : mail === 'failed'
            ? {
                kind: 'error',
                text: t.testMail.failed.replace('{reason}', c.req.query('reason') ?? ''),
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
  })

  app.post('/staff/admin/setup/test-mail', async (c) => {
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
