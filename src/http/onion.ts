// The reporter side as a Tor onion service beside the clear-web site (issue 13, point 7;
// docs/deployment.md "Onion service"). Tor hands requests for the onion name to the app with that
// name as Host; everything else is the clear-web site of PUBLIC_URL.
import type { Context } from 'hono'
import type { Config } from '../config'

type OnionConfig = Pick<Config, 'onionHostname'>

/** The Host header's name, lower case, without a port. */
function hostName(c: Context): string {
  const host = (c.req.header('host') ?? '').toLowerCase()
  return host.replace(/:\d+$/, '')
}

/** This request came through the onion service (its Host is ONION_HOSTNAME). */
export function isOnionRequest(c: Context, config: OnionConfig): boolean {
  return config.onionHostname !== undefined && hostName(c) === config.onionHostname
}

/** The onion site's origin: plain http, Tor encrypts and authenticates the connection itself. */
export function onionOrigin(config: OnionConfig): string | undefined {
  return config.onionHostname && `http://${config.onionHostname}`
}

/**
 * The base of absolute links in a page: the onion origin for a request through the onion service,
 * else PUBLIC_URL, so that an onion page never sends the reader to the clear web.
 */
export function siteUrl(c: Context, config: Pick<Config, 'publicUrl' | 'onionHostname'>): string {
  return (isOnionRequest(c, config) && onionOrigin(config)) || config.publicUrl
}

/** Origins whose form posts are ours (the CSRF check): PUBLIC_URL and, if set, the onion site. */
export function allowedOrigins(config: Pick<Config, 'publicUrl' | 'onionHostname'>): string[] {
  const onion = onionOrigin(config)
  return [new URL(config.publicUrl).origin, ...(onion ? [onion] : [])]
}

/** Pages for reporters, which the onion site serves; staff, management and machine routes are not. */
export function isReporterPage(path: string): boolean {
  return !/^\/(staff|officer|management|api|static|healthz|metrics)(\/|$)/.test(path)
}
