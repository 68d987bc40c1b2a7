// The registration journal (журнал реєстрації повідомлень): one line per report received, in
// the order of receipt, with what the paperwork needs and nothing of the content: number, when
// and how it came, anonymous or not, where it stands, each deadline and when it was met, the
// outcome. No form is mandated; the field set is in docs/domain.md "Registration journal".
import { localDate } from './calendar'
import { clockStatus, type Clock, type ClockStatus } from './deadlines'
import type { Anonymity, CaseState, Channel, Outcome, ReferralBody } from './vocab'

/** What the journal reads of a case; a CaseRecord fits. */
export interface JournalCase {
  id: string
  registrationNo?: string | undefined
  receivedAt: Date
  channel: Channel
  anonymity: Anonymity
  state: CaseState
  outcome?: Outcome | undefined
  assigneeId?: string | undefined
  clocks: readonly Clock[]
  protectionMeasures: readonly unknown[]
  referral?: { body: ReferralBody; name?: string | undefined } | undefined
}

export interface JournalClock {
  kind: string
  dueAt: Date
  metAt?: Date | undefined
  extendedDays?: number | undefined
  status: ClockStatus
}

export interface JournalRow {
  /** Position in the year's journal, from 1, in order of receipt. */
  n: number
  caseId: string
  registrationNo?: string | undefined
  receivedAt: Date
  channel: Channel
  anonymity: Anonymity
  state: CaseState
  outcome?: Outcome | undefined
  assigneeId?: string | undefined
  clocks: JournalClock[]
  protectionMeasures: number
  referral?: { body: ReferralBody; name?: string | undefined } | undefined
}

export interface JournalFilter {
  year: number
  state?: CaseState | undefined
  channel?: Channel | undefined
  /** Only lines with a deadline breached (missed and still open) as of `now`. */
  overdue?: boolean | undefined
}

/**
 * The journal of `filter.year` (Kyiv year of receipt) as of `now`. Numbering runs over the whole
 * year before the other filters apply, so a line keeps its number in any filtered view.
 */
export function journalRows(
  cases: readonly JournalCase[],
  filter: JournalFilter,
  now: Date
): JournalRow[] {
  const year = `${filter.year}-`
  return cases
    .filter((c) => localDate(c.receivedAt).startsWith(year))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id))
    .map((c, i) => toRow(c, i + 1, now))
    .filter(
      (r) =>
        (!filter.state || r.state === filter.state) &&
        (!filter.channel || r.channel === filter.channel) &&
        (!filter.overdue || r.clocks.some((k) => k.status === 'breached'))
    )
}

function toRow(c: JournalCase, n: number, now: Date): JournalRow {
  return {
    n,
    caseId: c.id,
    registrationNo: c.registrationNo,
    receivedAt: c.receivedAt,
    channel: c.channel,
    anonymity: c.anonymity,
    state: c.state,
    outcome: c.outcome,
    assigneeId: c.assigneeId,
    clocks: [...c.clocks]
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      .map((k) => ({
        kind: k.kind,
        dueAt: k.dueAt,
        metAt: k.metAt,
        extendedDays: k.extendedDays,
        status: clockStatus(k, now),
      })),
    protectionMeasures: c.protectionMeasures.length,
    referral: c.referral,
  }
}

/** Years a journal can be shown for: from the first report received to `now`, newest first. */
export function journalYears(firstReceivedAt: Date | undefined, now: Date): number[] {
  const last = Number(localDate(now).slice(0, 4))
  const first = firstReceivedAt ? Number(localDate(firstReceivedAt).slice(0, 4)) : last
  return Array.from({ length: Math.max(1, last - first + 1) }, (_, i) => last - i)
}
