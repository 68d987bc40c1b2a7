import type { MiddlewareHandler } from 'hono'
import type { Metrics } from '../metrics'

/** Counts each answered request by method, matched route pattern and status (never the URL). */
export function requestMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    await next()
    metrics.request(c.req.method, c.req.routePath, c.res.status)
  }
}
