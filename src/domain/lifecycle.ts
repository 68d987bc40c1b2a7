// The case lifecycle as a transition table, and the clock changes each transition makes.
//
// Two actions beyond the design diagram, because without them clocks could never be met or a
// request never refused:
// - `inform-reporter` records that the reporter was told something (the acknowledgement after a
//   report went straight to the head's overseer, the preliminary result, feedback); it keeps the
//   state and meets those reporter-facing clocks.
// - `reject-extension` refuses (or, by the requester, withdraws) a pending extension request.
// There is no `reopen`: a closed case stays closed, and new facts or retaliation come in as a new
// case linked to it, so the figures already reported for a year never change under the council.

import type { WorkingCalendar } from './calendar'
import {
  extendClock,
  meetClocks,
  openClock,
  putClock,
  restartClocks,
  startClock,
  stopClocks,
  type Clock,
  type DeadlineRules,
} from './deadlines'
import { fail, ok, type Result } from './result'
import type { CaseState, Channel, ClockKind, LifecycleAction, Outcome } from './vocab'

export interface ClockEffects {
  /** Open clocks of these kinds are met at the action's time. */
  meet?: readonly ClockKind[]
  /** Open clocks of these kinds no longer apply (see deadlines.stopClocks). */
  stop?: readonly ClockKind[]
  /** Clocks started at the action's time. */
  start?: readonly ClockKind[]
  /** Clocks started as of the case's receipt (the forward-head term runs from receipt). */
  startFromReceipt?: readonly ClockKind[]
  /** Open clocks restarted at the action's time. */
  restart?: readonly ClockKind[]
}

export interface Transition {
  action: LifecycleAction
  from: readonly CaseState[]
  /** null: the state stays as it is. */
  to: CaseState | null
  /** Outcomes the action may close with; absent when it does not close the case. */
  outcomes?: readonly Outcome[]
  /** Used when the caller gives no outcome; absent when the officer must choose. */
  defaultOutcome?: Outcome
  clocks: ClockEffects
}

const REPORTER_FACING: readonly ClockKind[] = [
  'acknowledge',
  'inform-preliminary-result',
  'feedback',
]

/** Every legal move; anything not listed is an illegal transition. */
export const TRANSITIONS: readonly Transition[] = [
  {
    action: 'acknowledge',
    from: ['received'],
    to: 'preliminary-review',
    // EU art. 9(1)(f): the 3-month feedback term runs from the acknowledgement once there is one.
    clocks: { meet: ['acknowledge'], restart: ['feedback'] },
  },
  {
    action: 'open-investigation',
    from: ['preliminary-review'],
    to: 'investigation',
    clocks: { meet: ['preliminary-review'], start: ['investigation', 'inform-preliminary-result'] },
  },
  {
    action: 'refer',
    from: ['preliminary-review'],
    to: 'referred',
    clocks: { meet: ['preliminary-review'], start: ['refer', 'inform-preliminary-result'] },
  },
  {
    action: 'concerns-head',
    from: ['received'],
    to: 'referred',
    // Sent on without a preliminary review; the 3 days count from receipt, not from the decision.
    clocks: { stop: ['preliminary-review'], startFromReceipt: ['forward-head'] },
  },
  {
    action: 'not-competent',
    from: ['preliminary-review'],
    to: 'closed',
    outcomes: ['not-competent'],
    defaultOutcome: 'not-competent',
    clocks: { meet: ['preliminary-review'], start: ['inform-preliminary-result'] },
  },
  {
    action: 'no-verifiable-facts',
    from: ['preliminary-review'],
    to: 'closed',
    outcomes: ['left-without-consideration'],
    defaultOutcome: 'left-without-consideration',
    clocks: { meet: ['preliminary-review'], start: ['inform-preliminary-result'] },
  },
  {
    action: 'close',
    from: ['investigation'],
    to: 'closed',
    outcomes: ['confirmed', 'not-confirmed'],
    clocks: { meet: ['investigation'] },
  },
  {
    action: 'close',
    from: ['referred'],
    to: 'closed',
    outcomes: ['referred'],
    defaultOutcome: 'referred',
    // Closing a referred case records that it was sent on.
    clocks: { meet: ['refer', 'forward-head'] },
  },
  {
    action: 'mark-spam',
    from: ['received', 'preliminary-review'],
    to: 'closed',
    outcomes: ['spam'],
    defaultOutcome: 'spam',
    clocks: { stop: ['acknowledge', 'preliminary-review', 'feedback'] },
  },
  {
    action: 'inform-reporter',
    from: ['preliminary-review', 'investigation', 'referred', 'closed'],
    to: null,
    clocks: { meet: REPORTER_FACING },
  },
  { action: 'request-extension', from: ['investigation'], to: null, clocks: {} },
  { action: 'approve-extension', from: ['investigation'], to: null, clocks: {} },
  { action: 'reject-extension', from: ['investigation'], to: null, clocks: {} },
]

export function findTransition(state: CaseState, action: LifecycleAction): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action && t.from.includes(state))
}

// ---------------------------------------------------------------- inputs and outputs

/** An extension of the investigation someone asked for and nobody has decided yet. */
export interface ExtensionRequest {
  requestedBy: string
  requestedAt: Date
  days: number
  reason: string
}

/** What the lifecycle reads of a case; a CaseRecord (plus its pending extension) fits. */
export interface CaseSnapshot {
  id: string
  state: CaseState
  outcome?: Outcome | undefined
  channel: Channel
  receivedAt: Date
  clocks: readonly Clock[]
  pendingExtension?: ExtensionRequest | undefined
}

export interface ActionParams {
  actorId: string
  at: Date
  reason: string
  outcome?: Outcome | undefined
  /** request-extension: days asked for; approve-extension: days granted (≤ asked; default all). */
  extensionDays?: number | undefined
}

export interface LifecycleRules {
  deadlines: DeadlineRules
  calendar: WorkingCalendar
  /** Reasons land in the audit trail, which management reads: short, and never case content. */
  maxReasonLength?: number
}

export const DEFAULT_MAX_REASON_LENGTH = 500
const MAX_ACTOR_ID_LENGTH = 200

/** Who did what, when and why: one audit-trail entry per applied action. */
export interface LifecycleEvent {
  action: LifecycleAction
  from: CaseState
  to: CaseState
  actorId: string
  at: Date
  reason: string
  outcome?: Outcome | undefined
  extensionDays?: number | undefined
}

export interface ActionResult {
  state: CaseState
  outcome: Outcome | undefined
  clocks: Clock[]
  pendingExtension: ExtensionRequest | undefined
  event: LifecycleEvent
}

export type LifecycleErrorCode =
  | 'illegal-transition'
  | 'invalid-actor'
  | 'invalid-time'
  | 'reason-required'
  | 'reason-too-long'
  | 'reason-invalid'
  | 'outcome-required'
  | 'invalid-outcome'
  | 'invalid-extension'
  | 'extension-pending'
  | 'no-extension-pending'
  | 'extension-limit'
  | 'same-person'
  | 'deadline-passed'

type Failure = { ok: false; error: { code: LifecycleErrorCode; message: string } }

// Control characters other than tab and newlines would garble the audit trail and exports.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

function checkCommon(
  c: CaseSnapshot,
  p: ActionParams,
  maxReasonLength: number
): Failure | { ok: true; reason: string } {
  const actorId = typeof p.actorId === 'string' ? p.actorId.trim() : ''
  if (actorId === '' || actorId.length > MAX_ACTOR_ID_LENGTH || actorId !== p.actorId) {
    return fail('invalid-actor', 'the action needs the id of the person taking it')
  }
  if (!(p.at instanceof Date) || Number.isNaN(p.at.getTime())) {
    return fail('invalid-time', 'the action needs a valid time')
  }
  if (p.at.getTime() < c.receivedAt.getTime()) {
    return fail('invalid-time', 'an action cannot predate the receipt of the report')
  }
  const reason = typeof p.reason === 'string' ? p.reason.trim() : ''
  if (reason === '') return fail('reason-required', 'every action needs a reason')
  if (reason.length > maxReasonLength) {
    return fail('reason-too-long', `the reason is longer than ${maxReasonLength} characters`)
  }
  if (CONTROL_CHARS.test(reason)) return fail('reason-invalid', 'the reason has control characters')
  return { ok: true, reason }
}

function chooseOutcome(
  t: Transition,
  given: Outcome | undefined
): Failure | { ok: true; outcome: Outcome | undefined } {
  if (!t.outcomes) {
    if (given !== undefined) {
      return fail('invalid-outcome', `${t.action} does not close the case, so it takes no outcome`)
    }
    return { ok: true, outcome: undefined }
  }
  const outcome = given ?? t.defaultOutcome
  if (outcome === undefined) {
    return fail('outcome-required', `${t.action} needs an outcome: ${t.outcomes.join(' or ')}`)
  }
  if (!t.outcomes.includes(outcome)) {
    return fail(
      'invalid-outcome',
      `${t.action} closes with ${t.outcomes.join(' or ')}, not ${outcome}`
    )
  }
  return { ok: true, outcome }
}

function isWholeDays(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1
}

/** Extension bookkeeping; returns the new clocks and pending request. */
function applyExtension(
  c: CaseSnapshot,
  t: Transition,
  p: ActionParams,
  reason: string,
  clocks: Clock[],
  rules: LifecycleRules
): Failure | { ok: true; clocks: Clock[]; pending: ExtensionRequest | undefined; days?: number } {
  const investigation = openClock(clocks, 'investigation')
  const pending = c.pendingExtension
  if (t.action === 'request-extension') {
    if (pending) {
      return fail('extension-pending', 'an extension request is already waiting for a decision')
    }
    if (!investigation) {
      return fail('invalid-extension', 'the investigation has no running clock to extend')
    }
    if (!isWholeDays(p.extensionDays)) {
      return fail('invalid-extension', 'ask for a whole number of days, at least 1')
    }
    const left =
      rules.deadlines.investigationExtension.maxTotalDays - (investigation.extendedDays ?? 0)
    if (p.extensionDays > left) {
      return fail('extension-limit', `at most ${Math.max(left, 0)} more days can be added`)
    }
    if (p.at.getTime() > investigation.dueAt.getTime()) {
      return fail(
        'deadline-passed',
        'the investigation term has run out; an extension cannot cure that'
      )
    }
    const request = { requestedBy: p.actorId, requestedAt: p.at, days: p.extensionDays, reason }
    return { ok: true, clocks, pending: request, days: p.extensionDays }
  }
  if (!pending) return fail('no-extension-pending', 'there is no extension request to decide')
  if (t.action === 'reject-extension') {
    if (p.extensionDays !== undefined) {
      return fail('invalid-extension', 'a refusal grants no days')
    }
    return { ok: true, clocks, pending: undefined }
  }
  // approve-extension: a second person decides (the head, per the UA procedure), never the requester.
  if (p.actorId === pending.requestedBy) {
    return fail(
      'same-person',
      'an extension must be approved by someone other than who asked for it'
    )
  }
  const days = p.extensionDays ?? pending.days
  if (!isWholeDays(days) || days > pending.days) {
    return fail('invalid-extension', `grant a whole number of days from 1 to ${pending.days}`)
  }
  if (!investigation) {
    return fail('invalid-extension', 'the investigation has no running clock to extend')
  }
  if (p.at.getTime() > investigation.dueAt.getTime()) {
    return fail(
      'deadline-passed',
      'the investigation term has run out; an extension cannot cure that'
    )
  }
  const extended = extendClock(investigation, days, rules.deadlines, rules.calendar)
  return { ok: true, clocks: putClock(clocks, extended), pending: undefined, days }
}

function applyClockEffects(
  c: CaseSnapshot,
  effects: ClockEffects,
  at: Date,
  rules: LifecycleRules
): Clock[] {
  const { deadlines, calendar } = rules
  let clocks = [...c.clocks]
  if (effects.meet) clocks = meetClocks(clocks, effects.meet, at)
  if (effects.stop) clocks = stopClocks(clocks, effects.stop, at)
  if (effects.restart) clocks = restartClocks(clocks, effects.restart, at, deadlines, calendar)
  const exempt = deadlines.channelExemptions[c.channel] ?? []
  const starts: [ClockKind, Date][] = [
    ...(effects.start ?? []).map((k): [ClockKind, Date] => [k, at]),
    ...(effects.startFromReceipt ?? []).map((k): [ClockKind, Date] => [k, c.receivedAt]),
  ]
  for (const [kind, startedAt] of starts) {
    if (exempt.includes(kind)) continue
    const clock = startClock(kind, startedAt, deadlines, calendar)
    if (clock) clocks = putClock(clocks, clock)
  }
  return clocks
}

/**
 * Applies an officer's action to a case: the new state and outcome, the updated clocks, the
 * pending extension request and the event to record. Refuses illegal moves and bad parameters.
 */
export function applyAction(
  c: CaseSnapshot,
  action: LifecycleAction,
  params: ActionParams,
  rules: LifecycleRules
): Result<ActionResult, LifecycleErrorCode> {
  const t = findTransition(c.state, action)
  if (!t) return fail('illegal-transition', `${action} is not possible in state ${c.state}`)
  const common = checkCommon(c, params, rules.maxReasonLength ?? DEFAULT_MAX_REASON_LENGTH)
  if (!common.ok) return common
  const chosen = chooseOutcome(t, params.outcome)
  if (!chosen.ok) return chosen

  const isExtensionAction = t.action.endsWith('-extension')
  if (!isExtensionAction && params.extensionDays !== undefined) {
    return fail('invalid-extension', `${action} takes no extension days`)
  }

  let clocks = applyClockEffects(c, t.clocks, params.at, rules)
  // Leaving the investigation drops an undecided request along with it.
  let pendingExtension = t.to === null ? c.pendingExtension : undefined
  let extensionDays: number | undefined
  if (isExtensionAction) {
    const extension = applyExtension(c, t, params, common.reason, clocks, rules)
    if (!extension.ok) return extension
    clocks = extension.clocks
    pendingExtension = extension.pending
    extensionDays = extension.days
  }

  const to = t.to ?? c.state
  const outcome = t.outcomes ? chosen.outcome : c.outcome
  const event: LifecycleEvent = {
    action,
    from: c.state,
    to,
    actorId: params.actorId,
    at: params.at,
    reason: common.reason,
    ...(chosen.outcome !== undefined && { outcome: chosen.outcome }),
    ...(extensionDays !== undefined && { extensionDays }),
  }
  return ok({ state: to, outcome, clocks, pendingExtension, event })
}

export interface AvailabilityContext {
  pendingExtension?: ExtensionRequest | undefined
  /** The person looking: hides approving one's own extension request. */
  actorId?: string | undefined
  now?: Date | undefined
}

/**
 * Actions to offer in the UI for a case in `state` with these clocks. A subset of what applyAction
 * accepts: it also hides actions that would do nothing useful (informing a reporter when no
 * reporter-facing clock is open) or that the context shows will be refused.
 */
export function availableActions(
  state: CaseState,
  clocks: readonly Clock[],
  context: AvailabilityContext = {}
): LifecycleAction[] {
  const actions: LifecycleAction[] = []
  const { pendingExtension, actorId, now } = context
  const investigation = openClock(clocks, 'investigation')
  const investigationOverdue =
    investigation !== undefined &&
    now !== undefined &&
    now.getTime() > investigation.dueAt.getTime()
  for (const t of TRANSITIONS) {
    if (!t.from.includes(state) || actions.includes(t.action)) continue
    switch (t.action) {
      case 'inform-reporter':
        if (!REPORTER_FACING.some((k) => openClock(clocks, k))) continue
        break
      case 'request-extension':
        if (pendingExtension || !investigation || investigationOverdue) continue
        break
      case 'approve-extension':
        if (!pendingExtension || !investigation || investigationOverdue) continue
        if (actorId !== undefined && actorId === pendingExtension.requestedBy) continue
        break
      case 'reject-extension':
        if (!pendingExtension) continue
        break
      default:
        break
    }
    actions.push(t.action)
  }
  return actions
}
