// What the officer's case service takes and gives: the inbox query and its rows, a case's
// detail, and the inputs of actions, case fields and protection measures. Kept apart from the
// service (cases.ts) so each file stays readable.
import type { ClockStatus, DueSummary } from '../domain/deadlines'
import {
  CASE_STATES,
  CATEGORIES,
  isOneOf,
  type CaseState,
  type LifecycleAction,
  type Outcome,
} from '../domain/vocab'
import type { Account, CaseRecord, PlanItem } from '../store/types'

export interface InboxQuery {
  state?: CaseState
  category?: string
  overdue: boolean
  assigneeId?: string
  planItemId?: string
  page: number
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

/** Parses the inbox's GET parameters; anything unknown is ignored rather than an error. */
export function parseInboxQuery(q: Record<string, string | undefined>, me: string): InboxQuery {
  const page = Number(q.page)
  return {
    state: isOneOf(CASE_STATES, q.state) ? q.state : undefined,
    category: isOneOf(CATEGORIES, q.category) ? q.category : undefined,
    overdue: q.overdue === '1',
    assigneeId:
      q.assignee === 'me' ? me : q.assignee && q.assignee.length <= 100 ? q.assignee : undefined,
    planItemId: q.plan && q.plan.length <= 100 ? q.plan : undefined,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  }
}
