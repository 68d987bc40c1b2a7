// Debian Chromium driven by playwright-core (no browser download).
import { chromium, type Browser } from 'playwright-core'
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { Hono } from 'hono'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-pings',
]

export async function launchChromium(
  executablePath: string,
  opts: { javaScriptEnabled?: boolean } = {}
): Promise<Browser> {
  void opts
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true })
}

/** Serves a Hono app on a free loopback port. */
export async function serveOnLoopback(
  app: Pick<Hono, 'fetch'>
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((ok) => {
    const server = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: 0 },
      (info: AddressInfo) => {
        ok({
          url: `http://127.0.0.1:${info.port}`,
          close: () => new Promise<void>((done) => server.close(() => done())),
        })
      }
    )
  })
}
