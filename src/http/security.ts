import type { MiddlewareHandler } from 'hono'
import { isOnionRequest, isReporterPage, onionOrigin } from './onion'

// No inline script or style anywhere: htmx is configured through a <meta> tag and its
// indicator styles live in app.css, so the CSP needs neither nonces nor 'unsafe-inline'.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "manifest-src 'self'",
].join('; ')

const BASE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  // Nothing the portal serves may be kept by a browser, proxy or shared computer.
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  // same-origin keeps the Origin header on our own form posts (CSRF check) and sends
  // nothing to other sites; no-referrer would make some browsers send "Origin: null".
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy':
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()',
  'X-Robots-Tag': 'noindex, nofollow',
}

const HEADER_LIST = Object.entries(BASE_HEADERS)

/**
 * Sets the baseline headers on every response, errors and 404s included. With an onion service
 * (ONION_HOSTNAME), the clear-web site's reporter pages name it in Onion-Location (Tor Browser
 * offers the switch), and the onion site gets no HSTS: it is served over plain http, which Tor
 * already encrypts, and a browser would refuse it after an HSTS header.
 */
export function securityHeaders(opts: {
  hsts: boolean
  onionHostname?: string | undefined
}): MiddlewareHandler {
  const onion = onionOrigin(opts)
  return async (c, next) => {
    await next()
    // Content-hashed static chunks (src/app.ts) are the only thing a browser may keep.
    const keep = c.res.headers.get('Cache-Control')?.includes('immutable') === true
    for (const [name, value] of HEADER_LIST) {
      if (keep && (name === 'Cache-Control' || name === 'Pragma')) continue
      c.res.headers.set(name, value)
    }
    const viaOnion = isOnionRequest(c, opts)
    if (opts.hsts && !viaOnion) {
      c.res.headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains')
    }
    if (
      onion &&
      !viaOnion &&
      isReporterPage(c.req.path) &&
      c.res.headers.get('Content-Type')?.startsWith('text/html') === true
    ) {
      const url = new URL(c.req.url)
      c.res.headers.set('Onion-Location', `${onion}${url.pathname}${url.search}`)
    }
    c.res.headers.delete('X-Powered-By')
  }
}
