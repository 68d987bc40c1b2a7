// Everything the app does I/O with, passed in to createApp so tests can swap any of it.
import type { Logger } from 'pino'
import type { Config } from './config'
import type { WorkingCalendar } from './domain/calendar'
import type { Metrics } from './metrics'
import type { Secrets } from './secrets'
import type { Store } from './store/types'

export interface Clock {
  now(): Date
  /** Waits `ms` (setTimeout when absent); a test clock moves its time on instead. */
  sleep?: (ms: number) => Promise<void>
}

export interface Random {
  bytes(n: number): Uint8Array
}

export interface OutgoingMail {
  to: string
  subject: string
  text: string
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>
}

export interface AppDeps {
  config: Config
  /** The config's secrets, completed (generated under DATA_DIR in development). */
  secrets: Secrets
  store: Store
  mailer: Mailer
  clock: Clock
  random: Random
  log: Logger
  /** Working days for the legal clocks; the shipped Ukrainian calendar when absent. */
  calendar?: WorkingCalendar
  /** Shared by the app and the jobs of one process (GET /metrics); createApp makes one if absent. */
  metrics?: Metrics
}

export const systemClock: Clock = { now: () => new Date() }
