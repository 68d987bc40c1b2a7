// The portal's every-request middleware, in createApp's order, the first `depth` of them, in
// front of a fixed 4.6 kB page: middleware.ts times each depth with app.request().
import { randomBytes } from 'node:crypto'
import { Eta } from 'eta'
import { Hono, type MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import type { Config } from '../../../src/config'
import type { AppEnv } from '../../../src/http/env'
import { language } from '../../../src/http/i18n'
import { requestLog } from '../../../src/http/logging'
import { securityHeaders } from '../../../src/http/security'
import { staffSession } from '../../../src/http/staff'
import type { Logger } from 'pino'
import type { Store } from '../../../src/store/types'

export const LAYERS = [
  'security headers',
  'request id + log line',
  'eta on context',
  'language',
  'CSRF (Origin check)',
  'staff session lookup',
] as const

const PAGE = `<!doctype html><html><body>${'<p>Повідомлення можна надіслати анонімно.</p>'.repeat(60)}</body></html>`

export function stackApp(depth: number, deps: { config: Config; store: Store; log: Logger }) {
  const { config, store, log } = deps
  const eta = new Eta({ views: '.', cache: true })
  const layers: MiddlewareHandler<AppEnv>[] = [
    securityHeaders({ hsts: false }),
    requestLog(log, () => randomBytes(9).toString('base64url')),
    async (c, next) => {
      c.set('eta', eta)
      await next()
    },
    language(config.defaultLanguage),
    csrf({ origin: new URL(config.publicUrl).origin }),
    staffSession({ config, store, clock: { now: () => new Date() } }),
  ]
  const app = new Hono<AppEnv>()
  for (const layer of layers.slice(0, depth)) app.use(layer)
  app.get('/', (c) => c.html(PAGE))
  return app
}
