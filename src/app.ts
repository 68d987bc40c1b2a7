// createApp(deps): middleware order, static files, route mounting, error pages.
// No I/O at import time; everything that talks to the outside world comes in `deps`.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, resolve } from 'node:path'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import { serveStatic } from '@hono/node-server/serve-static'
import { Eta } from 'eta'
import { Hono } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps } from './deps'
import type { AppEnv } from './http/env'
import { language } from './http/i18n'
import { requestLog } from './http/logging'
import { render } from './http/render'
import { securityHeaders } from './http/security'
import { allowedOrigins } from './http/onion'
import { requestMetrics } from './http/metrics'
import { createMetrics } from './metrics'
import { metricsRoutes } from './routes/metrics'
import { createReporterService } from './report/service'
import { createAuditViewer } from './audit/viewer'
import { createJournal } from './officer/journal'
import { createAuditLog } from './audit'
import { createRetentionService } from './retention/service'
import { createPlanManager } from './plan/manage'
import { createOfficerCases } from './officer/cases'
import { officerLifecycleRules } from './officer/rules'
import { createOfficerSealed } from './officer/sealed'
import { createOfficerDirectory } from './report/directory'
import { createNoJsBudget } from './report/nojs-budget'
import { createWorkCheck } from './report/work'
import { workRoutes } from './routes/work'
import { createAnnualReportService } from './reports/annual/service'
import { createStatisticsService } from './reports/statistics'
import { managementRoutes } from './routes/management'
import { officerRoutes } from './routes/officer'
import { officerJournalRoutes } from './routes/officer-journal'
import { officerPlanAdminRoutes } from './routes/officer-plan-admin'
import { officerPlanImportRoutes } from './routes/officer-plan-import'
import { publicRoutes } from './routes/public'
import { orgRoutes } from './routes/org'
import { staffOrgRoutes } from './routes/staff-org'
import { createBranding } from './branding/service'
import { reportRoutes } from './routes/report'
import { reporterApi } from './routes/reporter-api'
import { staffRoutes } from './routes/staff'
import { staffAuditRoutes } from './routes/staff-audit'
import { statusRoutes } from './routes/status'
import { staffSession } from './http/staff'
import { StorageFullError, StoreBusyError } from './store/types'
import { createCertificates } from './staff/certificates'

/** views/ and static/ sit next to src/ (and next to dist/ once built). */
const ROOT = resolve(import.meta.dirname, '..')
const HTMX_PATH = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js')
/** `npm run dev` runs src/ through tsx; `npm start` runs the bundle in dist/. */
const FROM_SOURCE = basename(import.meta.dirname) === 'src'

/**
 * htmx as read and compressed once per process: Brotli at quality 11 costs 60–70 ms of CPU, which
 * every createApp paid (the tests build an app per file or per test).
 */
function packHtmx() {
  const htmx = readFileSync(HTMX_PATH)
  return {
    htmx,
    htmxPacked: {
      br: brotliCompressSync(htmx, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(htmx, { level: 9 }),
    },
  }
}
let htmxOnce: ReturnType<typeof packHtmx> | undefined
const htmxFiles = () => (htmxOnce ??= packHtmx())

export function createApp(deps: AppDeps) {
  const { config, log, random } = deps
  const eta = new Eta({
    views: join(ROOT, 'views'),
    // Compiled once per process (issue 12: reading and compiling on each render was 14–21% of
    // a page's CPU); only `npm run dev` re-reads them, so that edits to views/ show at once.
    cache: !(FROM_SOURCE && config.env === 'development'),
    autoEscape: true,
  })
  const { htmx, htmxPacked } = htmxFiles()
  const newId = () => Buffer.from(random.bytes(9)).toString('base64url')

  const app = new Hono<AppEnv>()
  const metrics = deps.metrics ?? createMetrics()

  app.use(requestMetrics(metrics))
  app.use(
    securityHeaders({
      hsts: config.publicUrl.startsWith('https:'),
      onionHostname: config.onionHostname,
    })
  )
  app.use(requestLog(log, newId))
  app.use(async (c, next) => {
    c.set('eta', eta)
    await next()
  })
  app.use(language(config.defaultLanguage))
  // Form posts must come from our own pages (Origin / Sec-Fetch-Site check).
  app.use(csrf({ origin: allowedOrigins(config) }))

  app.get('/static/vendor/htmx.min.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    c.header('Vary', 'Accept-Encoding')
    const accepts = c.req.header('Accept-Encoding') ?? ''
    if (/\bbr\b/.test(accepts)) {
      c.header('Content-Encoding', 'br')
      return c.body(htmxPacked.br)
    }
    if (/\bgzip\b/.test(accepts)) {
      c.header('Content-Encoding', 'gzip')
      return c.body(htmxPacked.gzip)
    }
    return c.body(htmx)
  })
  app.use(
    '/static/*',
    serveStatic({
      root: join(ROOT, 'static'),
      rewriteRequestPath: (p) => p.replace(/^\/static/, ''),
      // .br/.gz written by tools/scripts/build.mjs.
      precompressed: true,
      onFound: (path, c) => {
        // Chunk names carry a hash of their content: a new build makes new names, so a browser
        // may keep them (securityHeaders leaves an immutable Cache-Control in place).
        if (path.includes('/js/chunks/')) {
          c.header('Cache-Control', 'public, max-age=31536000, immutable')
        }
      },
    })
  )

  // Sets c.var.staff wherever a staff cookie comes along (/staff, /officer, /management).
  app.use(staffSession(deps))
  // The organisation's name and logo for the page's header (JSON answers need neither).
  const branding = createBranding(deps)
  app.use(async (c, next) => {
    if (!c.req.path.startsWith('/api/')) c.set('brand', await branding.view(c.var.lang))
    await next()
  })
  // Services, each built once here and handed to the routes that use it.
  const rules = officerLifecycleRules(deps.calendar)
  const certificates = createCertificates(deps)
  const directory = createOfficerDirectory(deps, certificates)
  const reporter = createReporterService(deps, rules, directory)
  const officerCases = createOfficerCases(deps, rules)
  const officerSealed = createOfficerSealed({
    deps,
    cases: officerCases,
    officerKeys: () => directory.officers(),
    certificates,
    rules,
  })
  const statistics = createStatisticsService(deps)
  const annualReports = createAnnualReportService({ ...deps, statistics })
  const auditViewer = createAuditViewer(deps)
  const journal = createJournal(deps)
  const audit = createAuditLog(deps)
  const plans = createPlanManager({ store: deps.store, audit, clock: deps.clock })
  // Proof of work on submitting, receipt sign-in and staff sign-in (src/http/work.ts).
  const guards = {
    work: createWorkCheck({ ...deps, tokens: deps.store.tokens }, config.powBits),
    nojs: createNoJsBudget(deps.store.counters, deps.clock, config.powNoJsPerMinute),
  }
  // Root pages with no common prefix (/, /healthz, /metrics, /contact, /org/logo, /api/work).
  app.route('/', publicRoutes(deps, certificates))
  app.route('/', metricsRoutes(deps, metrics))
  app.route('/', orgRoutes(config, branding))
  app.route('/', workRoutes(guards.work))
  app.route('/report', reportRoutes(deps, reporter, guards))
  app.route('/status', statusRoutes(deps, reporter, guards))
  app.route('/api', reporterApi(deps, reporter, guards.work))
  app.route('/staff/admin/audit', staffAuditRoutes(auditViewer, config))
  app.route('/staff', staffRoutes(deps, certificates, guards.work))
  app.route('/staff', staffOrgRoutes(config, branding))
  // Before the officer routes, whose guard lets only officers into /officer/*.
  app.route('/officer', officerPlanAdminRoutes(plans, config))
  app.route('/officer', officerPlanImportRoutes(plans, config))
  app.route(
    '/officer',
    officerRoutes(deps, {
      cases: officerCases,
      sealed: officerSealed,
      directory,
      certificates,
      retention: createRetentionService({ ...deps, audit }),
    })
  )
  app.route('/officer/journal', officerJournalRoutes(journal, config))
  app.route('/management', managementRoutes(deps, statistics, annualReports))

  app.notFound((c) =>
    render(
      c,
      config,
      { page: 'pages/errors/error', title: c.var.t.errors.notFoundTitle },
      {
        heading: c.var.t.errors.notFoundTitle,
        message: c.var.t.errors.notFound,
      },
      404
    )
  )

  app.onError(async (err, c) => {
    const t = c.var.t
    if (err instanceof HTTPException && err.status < 500) {
      const heading = err.status === 403 ? t.errors.forbiddenTitle : t.errors.serverErrorTitle
      return render(
        c,
        config,
        { page: 'pages/errors/error', title: heading },
        {
          heading,
          message: err.status === 403 ? t.errors.forbidden : err.message,
        },
        err.status
      )
    }
    // Only the route pattern and the error: never the URL, body or headers.
    log.error({ reqId: c.var.requestId, route: c.req.routePath, err }, 'unhandled error')
    // A full disk or a record held too long by other writers is, for the person sending, the same
    // as a database away: nothing was saved, try again later.
    const busy = err instanceof StoreBusyError
    if (busy || err instanceof StorageFullError || !(await storeReachable(deps.store))) {
      c.header('Retry-After', busy ? '5' : '30')
      if (c.req.path.startsWith('/api/'))
        return c.json({ error: 'unavailable', message: 'Database unavailable' }, 503)
      return render(
        c,
        config,
        { page: 'pages/errors/error', title: t.errors.unavailableTitle },
        {
          heading: t.errors.unavailableTitle,
          message: t.errors.unavailable,
        },
        503
      )
    }
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: 'server-error', message: 'Unexpected error' }, 500)
    return render(
      c,
      config,
      { page: 'pages/errors/error', title: t.errors.serverErrorTitle },
      {
        heading: t.errors.serverErrorTitle,
        message: t.errors.serverError,
      },
      500
    )
  })

  return app
}

async function storeReachable(store: AppDeps['store']): Promise<boolean> {
  try {
    await Promise.race([store.ping(), new Promise((_, reject) => setTimeout(reject, 1000).unref())])
    return true
  } catch {
    return false
  }
}
