import { pino, type Logger } from 'pino'
import type { Config } from './config'

/**
 * The app's logger. What is never logged, anywhere: IP addresses, request or response
 * bodies, query strings, cookies, receipts, keys. Request lines carry the route pattern
 * (e.g. /status/:id), never the concrete URL.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  destination?: pino.DestinationStream
): Logger {
  return pino(
    {
      level: config.logLevel,
      base: undefined,
      // Belt and braces: should anyone log a request-like object, these paths are dropped.
      redact: {
        paths: [
          'req.headers',
          'req.body',
          'body',
          'headers',
          'cookie',
          'ip',
          'remoteAddress',
          'query',
          'url',
        ],
        remove: true,
      },
    },
    destination
  )
}
