import { Hono } from 'hono'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import { render } from '../http/render'

const PING_TIMEOUT_MS = 2000

export function publicRoutes({ config, store }: AppDeps) {
  const app = new Hono<AppEnv>()

  app.get('/', (c) => render(c, config, { page: 'pages/public/landing', title: c.var.t.siteTitle }))

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
