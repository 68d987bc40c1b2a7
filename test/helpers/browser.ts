// Debian Chromium driven by playwright-core (no browser download). Every context it opens is
// watched: a CSP violation, a console error or an uncaught page error is recorded, and the
// shared hook (test/setup/page-checks.ts) fails the test that caused it.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { Hono } from 'hono'
import { recordPageProblem as record } from './page-problems'

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

const allowed = new WeakMap<BrowserContext, RegExp[]>()

/** Messages a test provokes on purpose (a refused request it checks) are not problems. */
export function allowConsole(context: BrowserContext, ...patterns: RegExp[]): void {
  allowed.set(context, [...(allowed.get(context) ?? []), ...patterns])
}

function watch(context: BrowserContext): BrowserContext {
  context.on('console', (m) => {
    const text = m.text()
    const url = m.location().url
    const csp = /Content Security Policy|Refused to/i.test(text)
    if (!csp && m.type() !== 'error') return
    if ((allowed.get(context) ?? []).some((re) => re.test(text))) return
    // A page without an icon link (the JSON ones) makes Chromium ask for /favicon.ico.
    if (url.endsWith('/favicon.ico')) return
    // A request the page makes and the server refuses on purpose (a 4xx answer the script shows
    // as a message) is logged by Chromium too; a missing script, style or image is not excused.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) {
      if (!/\/static\//.test(url)) return
    }
    record(`${csp ? 'CSP' : 'console error'}: ${text} (${url || m.page()?.url() || '?'})`)
  })
  context.on('weberror', (e) => record(`page error: ${e.error().message} (${e.page()?.url()})`))
  return context
}

// One Chromium per test worker, shared by the files it runs one after another (isolate: false in
// vitest.config.ts): a launch costs a second or more of CPU, and every file launched its own
// (issue 12, point 8). Each file gets its own view of it, whose close() closes the contexts that
// file opened, so no file sees another's cookies or pages. Playwright ends the browser with the
// worker process.
const launched = new Map<string, Promise<Browser>>()

function sharedChromium(executablePath: string): Promise<Browser> {
  let browser = launched.get(executablePath)
  if (!browser) {
    browser = chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true })
    launched.set(executablePath, browser)
    // A failed launch is not kept: the next file tries again.
    browser.catch(() => launched.delete(executablePath))
  }
  return browser
}

export async function launchChromium(
  executablePath: string,
  opts: { javaScriptEnabled?: boolean } = {}
): Promise<Browser> {
  let browser = await sharedChromium(executablePath)
  if (!browser.isConnected()) {
    launched.delete(executablePath)
    browser = await sharedChromium(executablePath)
  }
  const js = opts.javaScriptEnabled === false ? { javaScriptEnabled: false } : {}
  const opened = new Set<BrowserContext>()
  const track = (context: BrowserContext): BrowserContext => {
    opened.add(context)
    context.once('close', () => opened.delete(context))
    return watch(context)
  }
  const real = browser
  const own: Partial<Browser> = {
    newContext: async (options) => track(await real.newContext({ ...js, ...options })),
    newPage: async (options) => {
      const page = await real.newPage({ ...js, ...options })
      track(page.context())
      return page
    },
    contexts: () => [...opened],
    close: async () => {
      await Promise.all([...opened].map((c) => c.close().catch(() => undefined)))
    },
  }
  return new Proxy(real, {
    get(target, prop): unknown {
      if (Object.hasOwn(own, prop)) return own[prop as keyof Browser]
      const value: unknown = Reflect.get(target, prop)
      return typeof value === 'function' ? (value.bind(target) as unknown) : value
    },
  })
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

/**
 * Resolves once the page has had no request in flight for QUIET_MS (its scripts have fetched and
 * decrypted what they show). Playwright's 'networkidle' waits 500 ms of quiet, on every one of
 * the 64 page states of the page sweep with JavaScript on: half a minute of waiting (issue 12,
 * point 8). The pages'
 * scripts fetch as soon as they run, with no timer in between; a page still busy after
 * QUIET_MS + IDLE_LIMIT_MS falls back to Playwright's wait.
 */
const QUIET_MS = 150
const IDLE_LIMIT_MS = 5_000
export function whenQuiet(page: Page): () => Promise<void> {
  let inFlight = 0
  let last = performance.now()
  const start = () => {
    inFlight++
    last = performance.now()
  }
  const end = () => {
    inFlight = Math.max(0, inFlight - 1)
    last = performance.now()
  }
  page.on('request', start)
  page.on('requestfinished', end)
  page.on('requestfailed', end)
  return async () => {
    const began = performance.now()
    while (inFlight > 0 || performance.now() - last < QUIET_MS) {
      if (performance.now() - began > QUIET_MS + IDLE_LIMIT_MS) {
        await page.waitForLoadState('networkidle')
        return
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }
}
