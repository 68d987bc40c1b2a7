// What the officer's case service takes and gives: the inbox query and its rows, a case's
// detail, and the inputs of actions, case fields and protection measures. Kept apart from the
// service (cases.ts) so each file stays readable.
import type { ClockStatus, DueSummary } from '../domain/deadlines'
import { addCalendarDays, startOfLocalDay, type IsoDate } from '../domain/calendar'
import {
  type Category,
  type CaseState,
  type Channel,
  type LifecycleAction,
  type Outcome,
} from '../domain/vocab'
import type { Account, CaseFilter, CaseRecord, CaseSort, PlanItem } from '../store/types'

/** The inbox's filters and order, as the route validated them (src/routes/officer-inbox.ts). */
export interface InboxQuery {
  /** A whole registration number (2026/0042) finds that case; a beginning (2026/00) a range. */
  registration?: string
  state?: CaseState
  category?: Category
  channel?: Channel
  overdue: boolean
  /** An officer's id; the route turns "me" into the signed-in officer's. */
  assigneeId?: string
  planItemId?: string
  /** Kyiv local dates, both inclusive. */
  receivedFrom?: IsoDate
  receivedTo?: IsoDate
  sort: CaseSort
  direction: 'asc' | 'desc'
  page: number
}

/** Page size, and how far the inbox counts and pages: past that, narrow the filters. */
export const INBOX_PAGE_SIZE = 20
export const INBOX_COUNT_LIMIT = 1000
export const INBOX_MAX_PAGE = INBOX_COUNT_LIMIT / INBOX_PAGE_SIZE

/** A complete registration number: year, slash, at least four digits (cases.ts register()). */
const WHOLE_REGISTRATION = /^\d{4}\/\d{4,}$/

/** The store filter of an inbox query, scoped to the officer's grants. */
export function inboxFilter(q: InboxQuery, officerId: string, now: Date): CaseFilter {
  const reg = q.registration
  return {
    grantedTo: officerId,
    ...(reg && WHOLE_REGISTRATION.test(reg) ? { registrationNo: reg } : {}),
    ...(reg && !WHOLE_REGISTRATION.test(reg) ? { registrationPrefix: reg } : {}),
    ...(q.state ? { states: [q.state] } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
    ...(q.planItemId ? { planItemId: q.planItemId } : {}),
    ...(q.overdue ? { openClockDueBefore: now } : {}),
    ...(q.receivedFrom ? { receivedFrom: startOfLocalDay(q.receivedFrom) } : {}),
    ...(q.receivedTo ? { receivedBefore: startOfLocalDay(addCalendarDays(q.receivedTo, 1)) } : {}),
  }
}

export interface InboxRow {
  case: CaseRecord
  due: DueSummary | null
}

export interface ClockRow {
  kind: string
  startedAt: Date
  dueAt: Date
  metAt?: Date | undefined
  extendedDays?: number | undefined
  status: ClockStatus
}

export interface CaseDetail {
  case: CaseRecord
  clocks: ClockRow[]
  due: DueSummary | null
  actions: LifecycleAction[]
  /** Outcomes the officer chooses from when closing, in this state (empty: none to choose). */
  closeOutcomes: readonly Outcome[]
  /** Officers holding a grant: who the case may be assigned to. */
  officers: Account[]
  planItems: PlanItem[]
}

export interface ActionInput {
  action: string
  reason: string
  outcome?: string
  extensionDays?: string
  /** With "refer": where to (REFERRAL_BODIES), and the body's name when it is 'other'. */
  referralBody?: string
  referralName?: string
  version: number
}

export interface FieldsInput {
  category?: string
  tags?: string
  assigneeId?: string
  planItemIds?: string[]
  version: number
}

export interface MeasureInput {
  kind: string
  takenOn: string
  outcome: string
  version: number
}
