// Retention: how long a case is kept, per outcome (closed cases) and per state (open ones), and
// which cases are due for deletion at a given instant. Pure: the clock is a parameter.
//
// The term is counted the way Ukrainian records practice counts it (docs/retention.md): in whole
// years from 1 January of the year after the case file was last worked on. "Last worked on" is the
// case's last change (updatedAt): a closed case still being written to is not finished, so its
// term starts later, never earlier.
import { addCalendarDays, KYIV_TIME_ZONE, localDate, startOfLocalDay } from './calendar'
import { fail, ok, type Result } from './result'
import { CASE_STATES, OUTCOMES, type CaseState, type Outcome } from './vocab'

export const OPEN_CASE_STATES = CASE_STATES.filter(
  (s): s is Exclude<CaseState, 'closed'> => s !== 'closed'
)
export type OpenCaseState = (typeof OPEN_CASE_STATES)[number]

/**
 * What a term is set for: a closed case's outcome, or an open case's state as `open-<state>`
 * (the prefix because 'referred' is both an outcome and a state).
 */
export type RetentionKey = Outcome | `open-${OpenCaseState}`
export const RETENTION_KEYS: readonly RetentionKey[] = [
  ...OUTCOMES,
  ...OPEN_CASE_STATES.map((s) => `open-${s}` as const),
]

/** Years per key; null: never deleted by the retention job. */
export type RetentionTerms = Readonly<Record<RetentionKey, number | null>>

export interface RetentionRules {
  terms: RetentionTerms
  /** Officers are mailed (and the case page warns) this many days before the deletion date. */
  warnDays: number
}

export const MAX_RETENTION_YEARS = 100

/**
 * Defaults (docs/retention.md gives the reasoning): 5 years for every report that was handled,
 * the term Ukrainian records practice gives citizens' statements and the documents on them; spam
 * 1 year; open cases are never deleted by the job (the officer closes them first).
 */
export const DEFAULT_RETENTION_TERMS: RetentionTerms = {
  confirmed: 5,
  'not-confirmed': 5,
  'left-without-consideration': 5,
  'not-competent': 5,
  referred: 5,
  spam: 1,
  'open-received': null,
  'open-preliminary-review': null,
  'open-investigation': null,
  'open-referred': null,
}

export const DEFAULT_RETENTION_RULES: RetentionRules = {
  terms: DEFAULT_RETENTION_TERMS,
  warnDays: 30,
}

/** What the rule reads of a case. */
export interface RetentionCase {
  state: CaseState
  outcome?: Outcome | undefined
  updatedAt: Date
}

/** The key whose term applies; undefined for a closed case without an outcome (kept). */
export function retentionKey(
  c: Pick<RetentionCase, 'state' | 'outcome'>
): RetentionKey | undefined {
  if (c.state !== 'closed') return `open-${c.state}`
  return c.outcome
}

const kyivYear = (at: Date): number => Number(localDate(at, KYIV_TIME_ZONE).slice(0, 4))

/** Kyiv midnight starting 1 January of `year`. */
const newYear = (year: number): Date =>
  startOfLocalDay(`${String(year).padStart(4, '0')}-01-01`, KYIV_TIME_ZONE)

/** The instant the case becomes due for deletion; null when it is kept indefinitely. */
export function deletionDate(c: RetentionCase, rules: RetentionRules): Date | null {
  const key = retentionKey(c)
  if (key === undefined) return null
  const years = rules.terms[key]
  if (years === null || years === undefined) return null
  return newYear(kyivYear(c.updatedAt) + 1 + years)
}

export type RetentionStatus =
  | { kind: 'kept' }
  | { kind: 'held'; deleteOn: Date | null }
  | { kind: 'scheduled'; deleteOn: Date; warn: boolean }
  | { kind: 'due'; deleteOn: Date }

/** Where a case stands at `now`: kept, held (never deleted while held), scheduled, or due. */
export function retentionStatus(
  c: RetentionCase,
  held: boolean,
  rules: RetentionRules,
  now: Date
): RetentionStatus {
  const deleteOn = deletionDate(c, rules)
  if (held) return { kind: 'held', deleteOn }
  if (deleteOn === null) return { kind: 'kept' }
  if (now.getTime() >= deleteOn.getTime()) return { kind: 'due', deleteOn }
  return { kind: 'scheduled', deleteOn, warn: now.getTime() >= warnFrom(deleteOn, rules).getTime() }
}

/** From when officers are warned: `warnDays` Kyiv days before the deletion date. */
export function warnFrom(deleteOn: Date, rules: RetentionRules): Date {
  return startOfLocalDay(addCalendarDays(localDate(deleteOn), -rules.warnDays))
}

/** The Kyiv date (YYYY-MM-DD) a case is deleted on, as shown to officers and in mail. */
export const deletionDay = (deleteOn: Date): string => localDate(deleteOn, KYIV_TIME_ZONE)

/**
 * Only cases last changed before this instant can be due (or warned about) at `now`: what the
 * store is asked for, so a daily run does not read every case. null: no term is set at all.
 */
export function candidatesBefore(rules: RetentionRules, now: Date): Date | null {
  const years = Object.values(rules.terms).filter((y): y is number => typeof y === 'number')
  if (years.length === 0) return null
  // Warned within warnDays of the date: look that far ahead (plus a day for the time zone).
  const ahead = new Date(now.getTime() + (rules.warnDays + 1) * 86_400_000)
  return newYear(kyivYear(ahead) - Math.min(...years))
}

/**
 * Parses RETENTION_YEARS: comma-separated `key=years` or `key=never`, keys from RETENTION_KEYS
 * (e.g. "spam=1,confirmed=10,open-received=3"). Keys not named keep their default.
 */
export function parseRetentionTerms(
  text: string,
  base: RetentionTerms = DEFAULT_RETENTION_TERMS
): Result<RetentionTerms, 'invalid-retention'> {
  const terms: Record<string, number | null> = { ...base }
  const problems: string[] = []
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue
    const m = /^([a-z-]+)\s*=\s*(\d{1,3}|never)$/.exec(part)
    const key = m?.[1]
    if (!m || key === undefined || !(RETENTION_KEYS as readonly string[]).includes(key)) {
      problems.push(`"${part}"`)
      continue
    }
    const years = m[2] === 'never' ? null : Number(m[2])
    if (years !== null && years > MAX_RETENTION_YEARS) {
      problems.push(`"${part}" (at most ${MAX_RETENTION_YEARS} years)`)
      continue
    }
    terms[key] = years
  }
  if (problems.length > 0) {
    return fail(
      'invalid-retention',
      `expected key=years or key=never with keys ${RETENTION_KEYS.join(', ')}; not understood: ${problems.join(', ')}`
    )
  }
  return ok(terms as RetentionTerms)
}
