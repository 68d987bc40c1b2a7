import { describe, expect, expectTypeOf, it } from 'vitest'
import { WEEKENDS_ONLY } from '../../../src/domain/calendar'
import {
  clockStatus,
  DEFAULT_DEADLINE_RULES,
  startClocks,
  type Clock,
} from '../../../src/domain/deadlines'
import {
  applyAction,
  availableActions,
  type ActionParams,
  type ActionResult,
  type CaseSnapshot,
  type LifecycleRules,
} from '../../../src/domain/lifecycle'
import {
  CASE_STATES,
  LIFECYCLE_ACTIONS,
  type CaseState,
  type LifecycleAction,
  type Outcome,
} from '../../../src/domain/vocab'
import type { CaseRecord, StoredClock } from '../../../src/store/types'

const rules: LifecycleRules = { deadlines: DEFAULT_DEADLINE_RULES, calendar: WEEKENDS_ONLY }
const HOUR = 3_600_000
const DAY = 24 * HOUR
const receivedAt = new Date('2025-01-06T09:00:00+02:00') // Monday
const at = (days: number) => new Date(receivedAt.getTime() + days * DAY)

function received(): CaseSnapshot {
  return {
    id: 'case-1',
    state: 'received',
    channel: 'web',
    receivedAt,
    clocks: startClocks(receivedAt, 'web', DEFAULT_DEADLINE_RULES, WEEKENDS_ONLY),
  }
}

function params(overrides: Partial<ActionParams> = {}): ActionParams {
  return { actorId: 'officer-a', at: at(1), reason: 'Checked the report', ...overrides }
}

function step(
  c: CaseSnapshot,
  action: LifecycleAction,
  p: Partial<ActionParams> = {}
): CaseSnapshot {
  const result = applyAction(c, action, params(p), rules)
  if (!result.ok) throw new Error(`${action}: ${result.error.code}`)
  const { state, outcome, clocks, pendingExtension } = result.value
  return { ...c, state, outcome, clocks, pendingExtension }
}

function apply(c: CaseSnapshot, action: LifecycleAction, p: Partial<ActionParams> = {}) {
  return applyAction(c, action, params(p), rules)
}

function value(r: ReturnType<typeof applyAction>): ActionResult {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`)
  return r.value
}

function errorCode(r: ReturnType<typeof applyAction>): string | undefined {
  return r.ok ? undefined : r.error.code
}

const clock = (c: { clocks: readonly Clock[] }, kind: string) =>
  c.clocks.find((k) => k.kind === kind)

/** A realistic case in each state, reached through the lifecycle itself. */
function caseIn(state: CaseState): CaseSnapshot {
  const c = received()
  switch (state) {
    case 'received':
      return c
    case 'preliminary-review':
      return step(c, 'acknowledge')
    case 'investigation':
      return step(step(c, 'acknowledge'), 'open-investigation', { at: at(2) })
    case 'referred':
      return step(step(c, 'acknowledge'), 'refer', { at: at(2) })
    case 'closed':
      return step(step(c, 'acknowledge'), 'no-verifiable-facts', { at: at(2) })
  }
}

/** Parameters that make each action valid where the table allows it. */
function validFor(
  state: CaseState,
  action: LifecycleAction
): { c: CaseSnapshot; p: Partial<ActionParams> } {
  const c = caseIn(state)
  const p: Partial<ActionParams> = { at: at(3) }
  if (action === 'close' && state === 'investigation') p.outcome = 'confirmed'
  if (action === 'request-extension') p.extensionDays = 5
  if (action === 'approve-extension' || action === 'reject-extension') {
    c.pendingExtension = {
      requestedBy: 'officer-b',
      requestedAt: at(3),
      days: 5,
      reason: 'Waiting for records',
    }
  }
  return { c, p }
}

const EXPECTED: Record<CaseState, Partial<Record<LifecycleAction, CaseState>>> = {
  received: {
    acknowledge: 'preliminary-review',
    'concerns-head': 'referred',
    'mark-spam': 'closed',
  },
  'preliminary-review': {
    'open-investigation': 'investigation',
    refer: 'referred',
    'not-competent': 'closed',
    'no-verifiable-facts': 'closed',
    'mark-spam': 'closed',
    'inform-reporter': 'preliminary-review',
  },
  investigation: {
    close: 'closed',
    'inform-reporter': 'investigation',
    'request-extension': 'investigation',
    'approve-extension': 'investigation',
    'reject-extension': 'investigation',
  },
  referred: { close: 'closed', 'inform-reporter': 'referred' },
  closed: { 'inform-reporter': 'closed' },
}

describe('transition table: every state × every action', () => {
  const combos = CASE_STATES.flatMap((s) => LIFECYCLE_ACTIONS.map((a) => [s, a] as const))

  it.each(combos)('%s + %s', (state, action) => {
    const { c, p } = validFor(state, action)
    const result = apply(c, action, p)
    const expected = EXPECTED[state][action]
    if (expected === undefined) {
      expect(errorCode(result)).toBe('illegal-transition')
    } else {
      const v = value(result)
      expect(v.state).toBe(expected)
      expect(v.event).toMatchObject({ action, from: state, to: expected, actorId: 'officer-a' })
    }
  })

  it('covers every combination (5 states × 12 actions)', () => {
    expect(combos).toHaveLength(60)
    const allowed = Object.values(EXPECTED).flatMap((m) => Object.keys(m))
    expect(allowed).toHaveLength(17)
  })
})

describe('who, when, why', () => {
  it('records the event and trims the reason', () => {
    const v = value(apply(received(), 'acknowledge', { reason: '  Receipt confirmed \n' }))
    expect(v.event).toEqual({
      action: 'acknowledge',
      from: 'received',
      to: 'preliminary-review',
      actorId: 'officer-a',
      at: at(1),
      reason: 'Receipt confirmed',
    })
  })

  it.each([
    ['empty', '', 'reason-required'],
    ['blank', ' \n\t ', 'reason-required'],
    ['501 characters', 'x'.repeat(501), 'reason-too-long'],
    ['a control character', 'ok\u0000', 'reason-invalid'],
  ])('refuses a reason that is %s', (_what, reason, code) => {
    expect(errorCode(apply(received(), 'acknowledge', { reason }))).toBe(code)
  })

  it('accepts a reason of exactly the limit, and honours a configured limit', () => {
    expect(apply(received(), 'acknowledge', { reason: 'x'.repeat(500) }).ok).toBe(true)
    const short = applyAction(received(), 'acknowledge', params({ reason: 'x'.repeat(21) }), {
      ...rules,
      maxReasonLength: 20,
    })
    expect(errorCode(short)).toBe('reason-too-long')
  })

  it('refuses a missing actor or a padded one', () => {
    expect(errorCode(apply(received(), 'acknowledge', { actorId: '' }))).toBe('invalid-actor')
    expect(errorCode(apply(received(), 'acknowledge', { actorId: ' a ' }))).toBe('invalid-actor')
  })

  it('refuses an invalid time or one before the report was received', () => {
    expect(errorCode(apply(received(), 'acknowledge', { at: new Date(Number.NaN) }))).toBe(
      'invalid-time'
    )
    expect(
      errorCode(apply(received(), 'acknowledge', { at: new Date(receivedAt.getTime() - 1) }))
    ).toBe('invalid-time')
  })

  it('reports an illegal transition before checking the parameters', () => {
    expect(errorCode(apply(received(), 'close', { reason: '' }))).toBe('illegal-transition')
  })

  it('does not change the snapshot it was given', () => {
    const c = received()
    const before = structuredClone(c)
    apply(c, 'mark-spam')
    expect(c).toEqual(before)
  })
})

describe('outcomes', () => {
  it.each(['confirmed', 'not-confirmed'] as const)('closes an investigation as %s', (outcome) => {
    const v = value(apply(caseIn('investigation'), 'close', { outcome, at: at(10) }))
    expect(v).toMatchObject({ state: 'closed', outcome, event: { outcome } })
  })

  it('needs an outcome to close an investigation', () => {
    expect(errorCode(apply(caseIn('investigation'), 'close'))).toBe('outcome-required')
  })

  it.each(['spam', 'referred', 'not-competent', 'left-without-consideration', 'bogus'])(
    'refuses to close an investigation as %s',
    (outcome) => {
      expect(
        errorCode(apply(caseIn('investigation'), 'close', { outcome: outcome as Outcome }))
      ).toBe('invalid-outcome')
    }
  )

  it.each([
    ['referred', 'close', 'referred'],
    ['preliminary-review', 'not-competent', 'not-competent'],
    ['preliminary-review', 'no-verifiable-facts', 'left-without-consideration'],
    ['received', 'mark-spam', 'spam'],
    ['preliminary-review', 'mark-spam', 'spam'],
  ] as const)(
    '%s + %s closes with %s by default, and with nothing else',
    (state, action, outcome) => {
      expect(value(apply(caseIn(state), action)).outcome).toBe(outcome)
      expect(value(apply(caseIn(state), action, { outcome })).outcome).toBe(outcome)
      expect(errorCode(apply(caseIn(state), action, { outcome: 'confirmed' }))).toBe(
        'invalid-outcome'
      )
    }
  )

  it('refuses an outcome on an action that does not close the case', () => {
    expect(errorCode(apply(received(), 'acknowledge', { outcome: 'spam' }))).toBe('invalid-outcome')
    expect(errorCode(apply(caseIn('closed'), 'inform-reporter', { outcome: 'spam' }))).toBe(
      'invalid-outcome'
    )
  })

  it('keeps the outcome when informing the reporter after closing', () => {
    expect(value(apply(caseIn('closed'), 'inform-reporter', { at: at(3) })).outcome).toBe(
      'left-without-consideration'
    )
  })
})

describe('investigation extensions', () => {
  const opened = () => caseIn('investigation') // investigation opened at day 2, due day 32
  const request = (c: CaseSnapshot, days = 10, by = 'officer-a') =>
    step(c, 'request-extension', {
      actorId: by,
      extensionDays: days,
      at: at(20),
      reason: 'Awaiting bank records',
    })

  it('records a request without moving the due time', () => {
    const c = opened()
    const v = value(
      apply(c, 'request-extension', { extensionDays: 10, at: at(20), reason: 'Awaiting records' })
    )
    expect(v.pendingExtension).toEqual({
      requestedBy: 'officer-a',
      requestedAt: at(20),
      days: 10,
      reason: 'Awaiting records',
    })
    expect(v.clocks).toEqual(c.clocks)
    expect(v.event.extensionDays).toBe(10)
  })

  it('needs a second person to approve', () => {
    const c = request(opened())
    expect(errorCode(apply(c, 'approve-extension', { actorId: 'officer-a', at: at(21) }))).toBe(
      'same-person'
    )
    const v = value(apply(c, 'approve-extension', { actorId: 'head', at: at(21) }))
    const before = clock(c, 'investigation')!
    const after = clock(v, 'investigation')!
    expect(after.extendedDays).toBe(10)
    expect(after.dueAt.getTime() - before.dueAt.getTime()).toBe(10 * DAY)
    expect(v.pendingExtension).toBeUndefined()
    expect(v.event).toMatchObject({
      action: 'approve-extension',
      actorId: 'head',
      extensionDays: 10,
    })
  })

  it('lets the approver grant fewer days than asked, never more', () => {
    const c = request(opened())
    expect(
      clock(
        value(apply(c, 'approve-extension', { actorId: 'head', extensionDays: 4 })),
        'investigation'
      )?.extendedDays
    ).toBe(4)
    expect(errorCode(apply(c, 'approve-extension', { actorId: 'head', extensionDays: 11 }))).toBe(
      'invalid-extension'
    )
  })

  it('refuses a second request while one is pending, and decisions without a request', () => {
    const c = request(opened())
    expect(errorCode(apply(c, 'request-extension', { extensionDays: 5 }))).toBe('extension-pending')
    expect(errorCode(apply(opened(), 'approve-extension', { actorId: 'head' }))).toBe(
      'no-extension-pending'
    )
    expect(errorCode(apply(opened(), 'reject-extension', { actorId: 'head' }))).toBe(
      'no-extension-pending'
    )
  })

  it.each([undefined, 0, -3, 2.5, Number.NaN])('refuses a request for %s days', (extensionDays) => {
    expect(errorCode(apply(opened(), 'request-extension', { extensionDays }))).toBe(
      'invalid-extension'
    )
  })

  it('caps the total of all extensions (15 days by default)', () => {
    expect(errorCode(apply(opened(), 'request-extension', { extensionDays: 16 }))).toBe(
      'extension-limit'
    )
    const once = step(request(opened(), 10), 'approve-extension', { actorId: 'head', at: at(21) })
    expect(errorCode(apply(once, 'request-extension', { extensionDays: 6, at: at(22) }))).toBe(
      'extension-limit'
    )
    expect(apply(once, 'request-extension', { extensionDays: 5, at: at(22) }).ok).toBe(true)
  })

  it('refuses to request or approve once the term has run out', () => {
    const due = clock(opened(), 'investigation')!.dueAt.getTime()
    expect(
      errorCode(apply(opened(), 'request-extension', { extensionDays: 5, at: new Date(due + 1) }))
    ).toBe('deadline-passed')
    expect(apply(opened(), 'request-extension', { extensionDays: 5, at: new Date(due) }).ok).toBe(
      true
    )
    const c = request(opened())
    expect(
      errorCode(apply(c, 'approve-extension', { actorId: 'head', at: new Date(due + 1) }))
    ).toBe('deadline-passed')
  })

  it('lets a refusal (or a withdrawal by the requester) clear the request', () => {
    const c = request(opened())
    expect(
      value(apply(c, 'reject-extension', { actorId: 'head' })).pendingExtension
    ).toBeUndefined()
    expect(
      value(apply(c, 'reject-extension', { actorId: 'officer-a' })).pendingExtension
    ).toBeUndefined()
    expect(errorCode(apply(c, 'reject-extension', { actorId: 'head', extensionDays: 3 }))).toBe(
      'invalid-extension'
    )
  })

  it('refuses extension days on other actions', () => {
    expect(errorCode(apply(received(), 'acknowledge', { extensionDays: 5 }))).toBe(
      'invalid-extension'
    )
  })

  it('keeps a pending request through inform-reporter and drops it on closing', () => {
    const c = request(opened())
    expect(value(apply(c, 'inform-reporter', { at: at(21) })).pendingExtension).toBeDefined()
    expect(
      value(apply(c, 'close', { outcome: 'not-confirmed', at: at(21) })).pendingExtension
    ).toBeUndefined()
  })
})

describe('clocks through the lifecycle', () => {
  it('acknowledge meets the acknowledgement and restarts feedback from it', () => {
    const v = value(apply(received(), 'acknowledge', { at: at(2) }))
    expect(clock(v, 'acknowledge')?.metAt).toEqual(at(2))
    const feedback = clock(v, 'feedback')!
    expect(feedback.startedAt).toEqual(at(2))
    expect(feedback.dueAt.toISOString()).toBe('2025-04-08T20:59:59.999Z') // 8 Jan + 3 months
    expect(v.clocks).toHaveLength(3)
  })

  it('a late acknowledgement is met late', () => {
    const v = value(apply(received(), 'acknowledge', { at: at(9) }))
    expect(clockStatus(clock(v, 'acknowledge')!, at(9))).toBe('met-late')
  })

  it('opening an investigation meets the review and starts investigation and inform-result clocks', () => {
    const v = value(apply(caseIn('preliminary-review'), 'open-investigation', { at: at(4) }))
    expect(clock(v, 'preliminary-review')?.metAt).toEqual(at(4))
    expect(clock(v, 'investigation')).toMatchObject({ startedAt: at(4) })
    expect(clock(v, 'investigation')?.dueAt.toISOString()).toBe('2025-02-09T21:59:59.999Z')
    expect(clock(v, 'inform-preliminary-result')?.dueAt.toISOString()).toBe(
      '2025-01-13T21:59:59.999Z'
    )
  })

  it('refer starts a 24-hour clock that closing the referred case meets', () => {
    const decided = new Date('2025-01-08T16:20:00+02:00')
    const referred = step(caseIn('preliminary-review'), 'refer', { at: decided })
    expect(clock(referred, 'refer')?.dueAt).toEqual(new Date(decided.getTime() + 24 * HOUR))
    const sent = new Date(decided.getTime() + 3 * HOUR)
    const v = value(apply(referred, 'close', { at: sent }))
    expect(clockStatus(clock(v, 'refer')!, sent)).toBe('met')
  })

  it('concerns-head drops the preliminary review and starts forward-head from receipt', () => {
    const v = value(apply(received(), 'concerns-head', { at: at(1) }))
    expect(clock(v, 'preliminary-review')).toBeUndefined()
    const forward = clock(v, 'forward-head')!
    expect(forward.startedAt).toEqual(receivedAt)
    expect(forward.dueAt.toISOString()).toBe('2025-01-09T21:59:59.999Z')
    expect(clock(v, 'acknowledge')?.metAt).toBeUndefined()
  })

  it('a review already breached stays on record when it stops applying', () => {
    const v = value(apply(received(), 'concerns-head', { at: at(20) }))
    expect(clockStatus(clock(v, 'preliminary-review')!, at(20))).toBe('met-late')
  })

  it('spam drops the acknowledgement, review and feedback clocks', () => {
    expect(value(apply(received(), 'mark-spam', { at: at(1) })).clocks).toEqual([])
  })

  it('not-competent meets the review, then informing the reporter meets the 3-day notice and feedback', () => {
    const closed = step(caseIn('preliminary-review'), 'not-competent', { at: at(3) })
    expect(clockStatus(clock(closed, 'inform-preliminary-result')!, at(3))).toBe('due')
    expect(availableActions('closed', closed.clocks)).toEqual(['inform-reporter'])
    const v = value(apply(closed, 'inform-reporter', { at: at(4) }))
    expect(clockStatus(clock(v, 'inform-preliminary-result')!, at(4))).toBe('met')
    expect(clockStatus(clock(v, 'feedback')!, at(4))).toBe('met')
    expect(availableActions('closed', v.clocks)).toEqual([])
  })

  it('respects channel exemptions for clocks started later', () => {
    const exempt: LifecycleRules = {
      ...rules,
      deadlines: { ...DEFAULT_DEADLINE_RULES, channelExemptions: { mailbox: ['forward-head'] } },
    }
    const c = { ...received(), channel: 'mailbox' as const }
    const v = applyAction(c, 'concerns-head', params(), exempt)
    expect(v.ok && v.value.clocks.some((k) => k.kind === 'forward-head')).toBe(false)
  })
})

describe('availableActions', () => {
  it('offers what the table allows in each state', () => {
    expect(availableActions('received', received().clocks)).toEqual([
      'acknowledge',
      'concerns-head',
      'mark-spam',
    ])
    expect(availableActions('preliminary-review', caseIn('preliminary-review').clocks)).toEqual([
      'open-investigation',
      'refer',
      'not-competent',
      'no-verifiable-facts',
      'mark-spam',
      'inform-reporter',
    ])
    expect(availableActions('referred', caseIn('referred').clocks)).toEqual([
      'close',
      'inform-reporter',
    ])
    expect(availableActions('closed', step(received(), 'mark-spam').clocks)).toEqual([])
  })

  it('offers extension decisions only when a request is pending, and not to its requester', () => {
    const c = caseIn('investigation')
    const pendingExtension = { requestedBy: 'officer-a', requestedAt: at(5), days: 5, reason: 'r' }
    expect(availableActions('investigation', c.clocks)).toEqual([
      'close',
      'inform-reporter',
      'request-extension',
    ])
    expect(
      availableActions('investigation', c.clocks, { pendingExtension, actorId: 'officer-a' })
    ).toEqual(['close', 'inform-reporter', 'reject-extension'])
    expect(
      availableActions('investigation', c.clocks, { pendingExtension, actorId: 'head' })
    ).toEqual(['close', 'inform-reporter', 'approve-extension', 'reject-extension'])
  })

  it('stops offering an extension once the investigation is overdue', () => {
    const c = caseIn('investigation')
    const late = new Date(clock(c, 'investigation')!.dueAt.getTime() + 1)
    expect(availableActions('investigation', c.clocks, { now: late })).not.toContain(
      'request-extension'
    )
  })

  it('offers only actions applyAction accepts', () => {
    for (const state of CASE_STATES) {
      const { c } = validFor(state, 'inform-reporter')
      for (const action of availableActions(state, c.clocks)) {
        expect(EXPECTED[state][action]).toBeDefined()
      }
    }
  })
})

describe('fits the store records', () => {
  it('reads a CaseRecord and produces StoredClocks', () => {
    expectTypeOf<CaseRecord>().toExtend<CaseSnapshot>()
    expectTypeOf<Clock>().toExtend<StoredClock>()
    expectTypeOf<StoredClock>().toExtend<Clock>()
  })
})
