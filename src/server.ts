// The only file that reads process.env and opens sockets:
// loadConfig → ensureSecrets → openStore → createApp → serve; graceful shutdown.
import { mkdirSync, readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { createApp } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { configWarnings } from './config-check'
import { systemClock } from './deps'
import { buildCalendar, parseCalendarData, type WorkingCalendar } from './domain/calendar'
import { uaCalendar } from './officer/rules'
import { DEMO_ORG_NAME, isDemoDataDir } from './demo'
import { createLogger } from './log'
import { pooledRandom } from './lib/random'
import { createMetrics } from './metrics'
import { startJobs } from './jobs/scheduler'
import { createSmtpMailer, unconfiguredMailer } from './mail/transport'
import { ensureSecrets } from './secrets'
import { deliverSetupLink, forgetSetupLink } from './setup-link'
import { ensureSetupToken } from './staff/accounts'
import { openStore } from './store'
import type { Store } from './store/types'

/** How long an idle connection stays open: longer than a proxy's pool keeps it. */
const KEEP_ALIVE_MS = 125_000

/** Start-up failures print one readable paragraph and exit non-zero, without a stack trace. */
function fail(message: string): never {
  process.stderr.write(`portal: cannot start. ${message}\n`)
  process.exit(1)
}

async function main() {
  let config: Config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
  // A folder made by `portal demo` is shown as a demonstration on every page.
  if (isDemoDataDir(config.dataDir)) {
    config = {
      ...config,
      demo: true,
      orgName: process.env.ORG_NAME ? config.orgName : DEMO_ORG_NAME,
    }
  }
  const log = createLogger(config)
  // Valid but unsafe combinations (src/config-check.ts): said at every start, not refused.
  for (const warning of configWarnings(config, process.env)) log.warn(warning)

  let secrets
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    secrets = ensureSecrets(config)
  } catch (err) {
    fail(`DATA_DIR "${config.dataDir}" is not usable: ${(err as Error).message}.`)
  }

  let calendar: WorkingCalendar
  try {
    calendar = loadCalendar(config)
  } catch (err) {
    fail(`HOLIDAYS_FILE "${config.holidaysFile}" is not usable: ${(err as Error).message}.`)
  }

  let store: Store
  try {
    store = await openStore(config)
  } catch (err) {
    const where = config.mongoUri
      ? 'the MongoDB server in MONGODB_URI'
      : `the database file in DATA_DIR "${config.dataDir}"`
    fail(
      `Could not open ${where}: ${(err as Error).message}. Check that it is reachable and writable.`
    )
  }

  const mailer = config.smtpUrl
    ? createSmtpMailer(config.smtpUrl, config.mailFrom)
    : unconfiguredMailer
  const deps = {
    config,
    secrets,
    store,
    mailer,
    clock: systemClock,
    random: pooledRandom(),
    log,
    calendar,
    metrics: createMetrics(),
  }
  const app = createApp(deps)
  // Outbox delivery, reminders and the digest: safe on several instances at once.
  const jobs = startJobs(deps)

  // First run: until an admin exists, a one-time link to create one (src/setup-link.ts).
  const setupToken = await ensureSetupToken({ store, clock: systemClock, random: deps.random })
  if (setupToken) {
    const place = deliverSetupLink(`${config.publicUrl}/staff/setup?token=${setupToken}`, {
      isTTY: process.stdout.isTTY === true,
      dataDir: config.dataDir,
      print: (link) => process.stdout.write(`\nSetup: open ${link} to create the first admin.\n\n`),
    })
    if (!place.printed) {
      log.warn(
        { file: place.file },
        'first run: the link to create the first admin is in this file'
      )
    }
  } else {
    forgetSetupLink(config.dataDir)
  }

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    log.info(
      { port: info.port, host: config.host, store: store.engine },
      `portal listening on ${config.publicUrl}`
    )
  })
  // An idle connection must be closed by the proxy in front (Caddy keeps its own for 2 minutes),
  // not here first: a proxy, or a browser, that sends into a connection this side has just closed
  // gets a reset, and for a report that is an error about a report never read. Node's default is
  // 5 s (docs/deployment.md, "Reverse proxy without IP logs").
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = KEEP_ALIVE_MS
  server.on('error', (err: NodeJS.ErrnoException) => {
    void store.close()
    fail(err.code === 'EADDRINUSE' ? `PORT ${config.port} is already in use.` : err.message)
  })

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    server.close(() => {
      jobs
        .stop()
        .then(() => store.close())
        .then(
          () => process.exit(0),
          () => process.exit(1)
        )
    })
    // Keep-alive connections would hold close() open.
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

/** The working-day calendar: a council's own file, or the shipped Ukrainian one. */
function loadCalendar(config: Config): WorkingCalendar {
  const options = { observeHolidays: config.observeHolidays }
  if (!config.holidaysFile) return uaCalendar(options)
  const parsed = parseCalendarData(JSON.parse(readFileSync(config.holidaysFile, 'utf8')))
  if (!parsed.ok) throw new Error(parsed.error.message)
  return buildCalendar(parsed.value, options)
}

main().catch((err: unknown) => {
  process.stderr.write(`portal: unexpected start-up failure: ${(err as Error).message}\n`)
  process.exit(1)
})
