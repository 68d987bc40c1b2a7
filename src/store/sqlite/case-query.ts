// The case list's WHERE and ORDER BY: each inbox filter and sort has an index to walk
// (migration 5, "inbox indexes"): state, channel and registration number lead composite indexes
// ending in the received order; overdue and the deadline sort read the due_sort column; plan
// items are a side table keyed by plan item. EXPLAIN QUERY PLAN of each: test/bench/inbox.ts.
import type { CaseFilter, CaseListOptions } from '../types'
import { ms } from './db'

/** due_sort of a case without an open clock: the largest Date, so it sorts last ascending. */
export const NO_DUE = 8_640_000_000_000_000

/** The earliest due time among open (unmet) clocks, or NO_DUE. */
export function dueSort(clocks: readonly { dueAt: Date; metAt?: Date | undefined }[]): number {
  let earliest = NO_DUE
  for (const c of clocks) if (c.metAt === undefined) earliest = Math.min(earliest, ms(c.dueAt))
  return earliest
}

/** WHERE clause (always present, `1` when empty) and its positional parameters. */
export function whereClause(f: CaseFilter): { sql: string; params: unknown[] } {
  const parts: string[] = []
  const params: unknown[] = []
  const add = (clause: string, ...values: unknown[]) => {
    parts.push(clause)
    params.push(...values)
  }
  if (f.states) {
    // An empty list matches nothing, like Mongo's $in: [].
    add(f.states.length ? `state IN (${f.states.map(() => '?').join(', ')})` : '0', ...f.states)
  }
  if (f.channel !== undefined) add('channel = ?', f.channel)
  if (f.category !== undefined) add('category = ?', f.category)
  if (f.assigneeId !== undefined) add('assignee_id = ?', f.assigneeId)
  if (f.registrationNo !== undefined) add('registration_no = ?', f.registrationNo)
  if (f.registrationPrefix !== undefined) {
    // A range rather than LIKE, so the index on registration_no serves it (LIKE is case-blind).
    add('registration_no >= ? AND registration_no < ?', ...prefixRange(f.registrationPrefix))
  }
  if (f.planItemId !== undefined) {
    add('cases.id IN (SELECT case_id FROM case_plan_items WHERE plan_item_id = ?)', f.planItemId)
  }
  if (f.grantedTo !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM grants g
        WHERE g.grantee_kind = 'officer' AND g.grantee_id = ? AND g.case_id = cases.id)`,
      f.grantedTo
    )
  }
  if (f.receivedFrom) add('received_at >= ?', ms(f.receivedFrom))
  if (f.receivedBefore) add('received_at < ?', ms(f.receivedBefore))
  // The unary + keeps SQLite from driving the query off cases_due: overdue cases are many, so
  // walking the page's order and stopping after a page (and the count's cap) is cheaper than
  // sorting every overdue case. The deadline sort still walks cases_due through its ORDER BY.
  if (f.openClockDueBefore) add('+due_sort < ?', ms(f.openClockDueBefore))
  // Written exactly as the partial index cases_clockless's WHERE, so SQLite may use it.
  if (f.withoutClocks) add(`clocks = '[]'`)
  return { sql: parts.length ? parts.join(' AND ') : '1', params }
}

/** [from, to) of the strings starting with `prefix` (binary collation, as both engines compare). */
export function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix}\u{10FFFF}`]
}

const SORT_COLUMN = { received: null, deadline: 'due_sort', registration: 'registration_no' }

export function orderBy(options: CaseListOptions = {}): string {
  const dir = options.direction === 'asc' ? 'ASC' : 'DESC'
  const lead = SORT_COLUMN[options.sort ?? 'received']
  const keys = [...(lead ? [lead] : []), 'received_at', 'created_at', 'id']
  return `ORDER BY ${keys.map((k) => `${k} ${dir}`).join(', ')}`
}

export const inboxIndexes = `
  ALTER TABLE cases ADD COLUMN due_sort INTEGER NOT NULL DEFAULT ${NO_DUE};
  UPDATE cases SET due_sort = coalesce((
    SELECT min(json_extract(value, '$.dueAt')) FROM json_each(cases.clocks)
    WHERE json_extract(value, '$.metAt') IS NULL), ${NO_DUE});
  CREATE INDEX cases_due ON cases (due_sort, received_at, created_at);
  CREATE INDEX cases_registration_no ON cases (registration_no, received_at, created_at);
  CREATE INDEX cases_state_received ON cases (state, received_at, created_at);
  CREATE INDEX cases_channel_received ON cases (channel, received_at, created_at);
  CREATE INDEX cases_clockless ON cases (state) WHERE clocks = '[]';
  CREATE TABLE case_plan_items (
    plan_item_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    PRIMARY KEY (plan_item_id, case_id)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO case_plan_items (plan_item_id, case_id)
    SELECT value, cases.id FROM cases, json_each(cases.plan_item_ids);
`
