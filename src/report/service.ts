// The reporter's side of a case: submitting (sealed in the browser, or sealed here in memory
// on the no-JavaScript path), coming back with the receipt, reading and adding to the thread.
// The server never keeps a plaintext or a key it could use: on the no-JS path the case key
// lives only inside a session blob encrypted under a key that only the reporter's cookie holds.
//
// This file only composes the parts:
//   directory.ts  the officer key directory, deployment salt and page config
//   intake.ts     submitting, both paths          writer.ts   items and files sealed here
//   sessions.ts   sessions and receipt login      thread.ts   reading and adding to the thread
//   requests.ts   the encrypted path's request shapes
import type { LifecycleRules } from '../domain/lifecycle'
import type { Channel } from '../domain/vocab'
import type { CaseRecord } from '../store/types'
import { caseAcknowledgement, expectedAcknowledgement } from './acknowledgement'
import { lookupWith, type ReporterContext, type ReporterDeps } from './context'
import type { OfficerDirectory } from './directory'
import { createOfficerDirectory } from './directory'
import { createFormTokens } from './form-token'
import { createReporterIntake } from './intake'
import { createReceiptGuard } from './receipt-guard'
import { createReporterLogin, createReporterSessions } from './sessions'
import { createReporterThread } from './thread'
import { createReporterWriter } from './writer'

export type { ReporterDeps } from './context'
export type { OfficerKey } from './directory'
export { officerAuthors, toItemView, type OpenedThreadItem } from './items'
export type { Failure, Outcome } from './outcome'
export { API_SESSION_TTL_MS, COOKIE_SESSION_TTL_MS, SESSION_IDLE_MS } from './sessions'
export { FORM_TOKEN_TTL_MS, serverMac } from './form-token'
export { MAX_PIECE_BYTES } from '../lib/upload-limits'

export function createReporterService(
  deps: ReporterDeps,
  rules: LifecycleRules,
  directory: OfficerDirectory = createOfficerDirectory(deps)
) {
  const { secrets, store, clock, random } = deps
  const ctx: ReporterContext = {
    ...deps,
    guard: createReceiptGuard(store.counters, clock),
    directory,
    rules,
    lookupOf: lookupWith(secrets),
  }
  // Form tokens: stateless and single-use (src/report/form-token.ts).
  const formTokens = createFormTokens({ secrets, clock, random, tokens: store.tokens })
  const writer = createReporterWriter(deps)
  const sessions = createReporterSessions(ctx)
  const thread = createReporterThread(ctx, writer)
  const login = createReporterLogin(ctx, sessions, thread.caseView)
  const intake = createReporterIntake(ctx, formTokens, sessions, writer)
  const { certificates } = directory

  return {
    officers: directory.officers,
    orgFingerprints: certificates.fingerprints,
    anchoredOrgFingerprints: certificates.anchoredFingerprints,
    pageConfig: (lang: 'uk' | 'en', withFormToken: boolean) =>
      directory.pageConfig(lang, withFormToken ? formTokens.issue : undefined),
    issueFormToken: formTokens.issue,
    deploymentSalt: directory.deploymentSalt,
    ...intake,
    ...login,
    sessionForToken: sessions.sessionForToken,
    unlockCookie: sessions.unlockCookie,
    rememberHead: sessions.rememberHead,
    logout: sessions.logout,
    ...thread,
    /** The acknowledgement of a report received at `receivedAt`, from freshly started clocks. */
    expectedAcknowledgement: (receivedAt: Date, channel: Channel) =>
      expectedAcknowledgement(receivedAt, channel, rules),
    /** The acknowledgement of a stored case (/status): its clocks as the officer sees them. */
    caseAcknowledgement: (c: CaseRecord) => caseAcknowledgement(c, rules),
  }
}

export type ReporterService = ReturnType<typeof createReporterService>
