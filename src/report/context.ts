// What every part of the reporter's service shares: its dependencies, the receipt guard, and the
// officer key directory. Built once by createReporterService (src/report/service.ts).
import { receiptLookup } from '../../crypto/receipt'
import type { Config } from '../config'
import type { Clock, Random } from '../deps'
import type { LifecycleRules } from '../domain/lifecycle'
import type { Secrets } from '../secrets'
import type { Store } from '../store/types'
import type { Logger } from 'pino'
import type { OfficerDirectory } from './directory'
import type { ReceiptGuard } from './receipt-guard'

export interface ReporterDeps {
  config: Config
  secrets: Secrets
  store: Store
  clock: Clock
  random: Random
  log: Logger
}

export interface ReporterContext extends ReporterDeps {
  guard: ReceiptGuard
  directory: OfficerDirectory
  /** The deadline rules the legal clocks start with when a report arrives (docs/domain.md). */
  rules: LifecycleRules
  /** The peppered lookup a case is found by, from the receipt's auth key. */
  lookupOf: (authKey: Uint8Array) => string
}

export function lookupWith(secrets: Secrets) {
  return (authKey: Uint8Array) => receiptLookup(secrets.RECEIPT_PEPPER, authKey)
}
