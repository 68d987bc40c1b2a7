// The deadline rules and the working-day calendar the officer workspace applies: the domain's
// defaults with the Ukrainian holiday data shipped in src/domain/holidays-ua.json.
import { buildCalendar, parseCalendarData, type WorkingCalendar } from '../domain/calendar'
import { startClocks, type Clock } from '../domain/deadlines'
import { DEFAULT_DEADLINE_RULES } from '../domain/deadlines'
import type { LifecycleRules } from '../domain/lifecycle'
import holidaysUa from '../domain/holidays-ua.json'
import type { CaseRecord } from '../store/types'

/**
 * Reasons go into the audit trail, whose text facts are capped at 256 characters; a tighter cap
 * here lets the domain refuse a long reason with its own message instead of the audit failing.
 */
export const MAX_REASON_LENGTH = 250

/** The shipped Ukrainian calendar (src/domain/holidays-ua.json). */
export function uaCalendar(options: { observeHolidays?: boolean } = {}): WorkingCalendar {
  const parsed = parseCalendarData(holidaysUa)
  if (!parsed.ok) throw new Error(`holidays-ua.json: ${parsed.error.message}`)
  return buildCalendar(parsed.value, options)
}

export function officerLifecycleRules(calendar: WorkingCalendar = uaCalendar()): LifecycleRules {
  return { deadlines: DEFAULT_DEADLINE_RULES, calendar, maxReasonLength: MAX_REASON_LENGTH }
}

/**
 * Clocks of a case as the officer should see them. Reports start their clocks on arrival; cases
 * stored by earlier versions without clocks get them computed from receivedAt and channel here,
 * saved with the case's next change.
 */
export function caseClocks(
  c: Pick<CaseRecord, 'clocks' | 'state' | 'receivedAt' | 'channel'>,
  rules: LifecycleRules
): Clock[] {
  if (c.clocks.length > 0 || c.state !== 'received') return c.clocks
  return startClocks(c.receivedAt, c.channel, rules.deadlines, rules.calendar)
}
