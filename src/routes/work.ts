// GET /api/work?purpose=submit|receipt|staff-login: a fresh proof-of-work challenge (stateless,
// nothing is written), or bits 0 when that purpose needs no work. Answered to anyone: a
// challenge is worth nothing until the work is done.
import { Hono } from 'hono'
import { z } from 'zod'
import { WORK_PURPOSES } from '../../crypto/pow'
import type { AppEnv } from '../http/env'
import { valid } from '../http/validate'
import type { WorkCheck } from '../report/work'

export function workRoutes(work: WorkCheck) {
  const app = new Hono<AppEnv>()
  app.get(
    '/api/work',
    valid('query', z.object({ purpose: z.enum(WORK_PURPOSES) }), (c) =>
      c.json({ error: 'bad-request', message: 'Unknown purpose' }, 400)
    ),
    (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json(work.issue(c.req.valid('query').purpose))
    }
  )
  return app
}
