import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'

/**
 * One line per request: method, the matched route *pattern*, status, duration and a
 * random request id. No URL, query string, IP, header or body is ever logged.
 */
export function requestLog(log: Logger, newId: () => string): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    const requestId = newId()
    c.set('requestId', requestId)
    await next()
    log.info(
      {
        reqId: requestId,
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request'
    )
  }
}
