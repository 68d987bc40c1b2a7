import { Hono } from 'hono'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { render } from '../http/render'
import type { Certificates } from '../staff/certificates'

const PING_TIMEOUT_MS = 2000

export function publicRoutes(deps: AppDeps, certificates: Certificates) {
  const { config, store } = deps
  const app = new Hono<AppEnv>()

  app.get('/', (c) => render(c, config, { page: 'pages/public/landing', title: c.var.t.siteTitle }))

  // The organisation key that certifies officers, published so anyone can compare fingerprints.
  app.get('/about/keys', async (c) => {
    const publicKey = await certificates.orgPublicKey()
    return render(
      c,
      config,
      { page: 'pages/public/keys', title: c.var.t.orgKey.title },
      { publicKey, org: await certificates.fingerprints() }
    )
  })

  app.get('/healthz', async (c) => {
    try {
      await withTimeout(store.ping(), PING_TIMEOUT_MS)
      return c.json({ status: 'ok', store: store.engine })
    } catch {
      return c.json({ status: 'unavailable', store: store.engine }, 503)
    }
  })

  return app
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}
