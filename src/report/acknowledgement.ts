// The reporter's acknowledgement: when the report arrived and by when the law's clocks say an
// acknowledgement and a response are due (src/domain/deadlines.ts: 7 days to acknowledge,
// 10 working days of preliminary review, feedback within 3 months). Read from a stored case's
// clocks, so /status shows exactly what the officer's deadlines are; before a case is at hand
// (the no-JS "done" page), the same clocks are started afresh from the day it was received.
import { startClocks, type Clock } from '../domain/deadlines'
import type { LifecycleRules } from '../domain/lifecycle'
import { isIsoDate, KYIV_TIME_ZONE, localDate, startOfLocalDay } from '../domain/calendar'
import type { Channel } from '../domain/vocab'
import type { CaseRecord } from '../store/types'
import type { Acknowledgement, ExpectedKind } from './api'

export const EXPECTED_KINDS: readonly ExpectedKind[] = [
  'acknowledge',
  'preliminary-review',
  'feedback',
] as const

/** The acknowledgement of a stored case, from its clocks as the officer sees them. */
export function caseAcknowledgement(
  c: Pick<CaseRecord, 'clocks' | 'state' | 'receivedAt' | 'channel' | 'registrationNo'>,
  rules: LifecycleRules
): Acknowledgement {
  // As src/officer/rules.ts caseClocks: a case stored before clocks existed gets them computed.
  const clocks =
    c.clocks.length > 0 || c.state !== 'received'
      ? c.clocks
      : startClocks(c.receivedAt, c.channel, rules.deadlines, rules.calendar)
  return acknowledgementOf({ ...c, clocks })
}

/** The acknowledgement from a set of clocks (an open one of each kind, else the last met). */
export function acknowledgementOf(c: {
  receivedAt: Date
  registrationNo?: string | undefined
  clocks: readonly Clock[]
}): Acknowledgement {
  const expected: Acknowledgement['expected'] = []
  for (const kind of EXPECTED_KINDS) {
    // A restarted clock (feedback after an acknowledgement) replaces the open one: the open one
    // is the promise that stands; otherwise the last met one says when it was kept.
    const ofKind = c.clocks.filter((k) => k.kind === kind)
    const clock = ofKind.find((k) => k.metAt === undefined) ?? ofKind[ofKind.length - 1]
    if (!clock) continue
    expected.push({
      kind,
      dueAt: clock.dueAt.toISOString(),
      ...(clock.metAt ? { metAt: clock.metAt.toISOString() } : {}),
    })
  }
  return {
    receivedAt: c.receivedAt.toISOString(),
    ...(c.registrationNo ? { registrationNo: c.registrationNo } : {}),
    expected,
  }
}

/** The acknowledgement of a report received at `receivedAt` that is not at hand: fresh clocks. */
export function expectedAcknowledgement(
  receivedAt: Date,
  channel: Channel,
  rules: LifecycleRules
): Acknowledgement {
  return acknowledgementOf({
    receivedAt,
    clocks: startClocks(receivedAt, channel, rules.deadlines, rules.calendar),
  })
}

/** The Kyiv day a report was received, as carried in the "done" page's address. */
export function receivedDay(at: Date): string {
  return localDate(at, KYIV_TIME_ZONE)
}

/**
 * Back from the address: noon of that Kyiv day (day clocks only look at the day), or undefined
 * for anything else or a day that is not between a week ago and today.
 */
export function fromReceivedDay(value: string | undefined, now: Date): Date | undefined {
  if (!isIsoDate(value)) return undefined
  const start = startOfLocalDay(value, KYIV_TIME_ZONE)
  const noon = new Date(start.getTime() + 12 * 3600 * 1000)
  const age = now.getTime() - start.getTime()
  if (age < 0 || age > 8 * 24 * 3600 * 1000) return undefined
  return noon
}
