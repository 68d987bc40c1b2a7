import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import type { Metrics } from '../metrics'

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * GET /metrics for Prometheus, with `Authorization: Bearer $METRICS_TOKEN`. Without METRICS_TOKEN
 * the route does not exist (404), so nothing about the deployment is published by default; staff
 * sessions do not open it either: it is for the monitoring system, not for people.
 */
export function metricsRoutes(deps: Pick<AppDeps, 'config' | 'store' | 'clock'>, metrics: Metrics) {
  const { config, store, clock } = deps
  const app = new Hono<AppEnv>()
  const expected = config.metricsToken === undefined ? undefined : digest(config.metricsToken)

  app.get('/metrics', async (c) => {
    if (!expected) return c.notFound()
    const given = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1]
    // Equal-length digests: the comparison takes the same time whatever was sent.
    if (!given || !timingSafeEqual(digest(given), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"')
      return c.text('Unauthorized\n', 401)
    }
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
    return c.body(await metrics.render(store, clock.now()))
  })

  return app
}
