import { CASE_STATES, type CaseState } from '../../domain/vocab'
import {
  ConflictError,
  type CaseFilter,
  type CaseItem,
  type CaseListOptions,
  type CasePatch,
  type CaseRecord,
  type CaseStatsRecord,
  type CaseStore,
  type Grant,
  type NewCase,
  type Page,
  type PendingExtension,
  type ProtectionMeasure,
  type Referral,
  type StoredClock,
} from '../types'
import { dueSort, orderBy, whereClause } from './case-query'
import { grantWriter } from './grants'
import { itemWriter } from './items'
import {
  bool,
  date,
  guardDuplicate,
  int,
  json,
  ms,
  orNull,
  orUndefined,
  parseJson,
  patchAssignments,
  type PatchColumn,
  promised,
  type Db,
  type Sql,
} from './db'

interface CaseRow {
  id: string
  registration_no: string | null
  channel: CaseRecord['channel']
  anonymity: CaseRecord['anonymity']
  enc_mode: CaseRecord['encMode']
  state: CaseState
  outcome: NonNullable<CaseRecord['outcome']> | null
  category: string | null
  tags: string
  assignee_id: string | null
  plan_item_ids: string
  case_public_key: string
  reporter_box_public_key: string | null
  reporter_sign_public_key: string | null
  receipt_lookup: string | null
  received_at: number
  created_at: number
  updated_at: number
  last_seq: number
  unread_for_officers: number
  unread_for_reporter: number
  clocks: string
  pending_extension: string | null
  referral: string | null
  protection_measures: string
  note_public_key: string | null
  due_sort: number
  version: number
}

/** Clocks are JSON with dates as epoch milliseconds. */
interface ClockJson {
  kind: string
  startedAt: number
  dueAt: number
  metAt?: number
  extendedDays?: number
}

function encodeClocks(clocks: StoredClock[]): string {
  return json(
    clocks.map((c): ClockJson => ({
      kind: c.kind,
      startedAt: ms(c.startedAt),
      dueAt: ms(c.dueAt),
      ...(c.metAt ? { metAt: ms(c.metAt) } : {}),
      ...(c.extendedDays !== undefined ? { extendedDays: c.extendedDays } : {}),
    }))
  )
}

/** Dates inside the JSON columns below are epoch milliseconds, like the clocks. */
interface PendingExtensionJson {
  requestedBy: string
  requestedAt: number
  days: number
  reason: string
}

interface ProtectionMeasureJson extends Omit<ProtectionMeasure, 'recordedAt'> {
  recordedAt: number
}

const encodePendingExtension = (p: PendingExtension): string =>
  json({ ...p, requestedAt: ms(p.requestedAt) } satisfies PendingExtensionJson)

function decodePendingExtension(text: string | null): PendingExtension | undefined {
  if (text === null) return undefined
  const p = parseJson<PendingExtensionJson>(text)
  return {
    requestedBy: p.requestedBy,
    requestedAt: date(p.requestedAt),
    days: p.days,
    reason: p.reason,
  }
}

interface ReferralJson {
  body: Referral['body']
  name?: string
  at: number
}

const encodeReferral = (r: Referral): string =>
  json({ body: r.body, ...(r.name ? { name: r.name } : {}), at: ms(r.at) } satisfies ReferralJson)

function decodeReferral(text: string | null): Referral | undefined {
  if (text === null) return undefined
  const r = parseJson<ReferralJson>(text)
  return { body: r.body, ...(r.name ? { name: r.name } : {}), at: date(r.at) }
}

const encodeMeasures = (measures: ProtectionMeasure[]): string =>
  json(measures.map((m): ProtectionMeasureJson => ({ ...m, recordedAt: ms(m.recordedAt) })))

const decodeMeasures = (text: string): ProtectionMeasure[] =>
  parseJson<ProtectionMeasureJson[]>(text).map((m) => ({ ...m, recordedAt: date(m.recordedAt) }))

function decodeClocks(text: string): StoredClock[] {
  return parseJson<ClockJson[]>(text).map((c) => ({
    kind: c.kind,
    startedAt: date(c.startedAt),
    dueAt: date(c.dueAt),
    metAt: c.metAt === undefined ? undefined : date(c.metAt),
    extendedDays: c.extendedDays,
  }))
}

export function caseFromRow(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    registrationNo: orUndefined(r.registration_no),
    channel: r.channel,
    anonymity: r.anonymity,
    encMode: r.enc_mode,
    state: r.state,
    outcome: orUndefined(r.outcome),
    category: orUndefined(r.category),
    tags: parseJson<string[]>(r.tags),
    assigneeId: orUndefined(r.assignee_id),
    planItemIds: parseJson<string[]>(r.plan_item_ids),
    casePublicKey: r.case_public_key,
    reporterBoxPublicKey: orUndefined(r.reporter_box_public_key),
    reporterSignPublicKey: orUndefined(r.reporter_sign_public_key),
    receiptLookup: orUndefined(r.receipt_lookup),
    receivedAt: date(r.received_at),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    lastSeq: r.last_seq,
    unreadForOfficers: bool(r.unread_for_officers),
    unreadForReporter: bool(r.unread_for_reporter),
    clocks: decodeClocks(r.clocks),
    pendingExtension: decodePendingExtension(r.pending_extension),
    protectionMeasures: decodeMeasures(r.protection_measures),
    referral: decodeReferral(r.referral),
    notePublicKey: orUndefined(r.note_public_key),
    version: r.version,
  }
}

const patchColumns: Record<keyof Required<CasePatch>, PatchColumn> = {
  registrationNo: { column: 'registration_no', optional: true },
  state: { column: 'state', optional: false },
  outcome: { column: 'outcome', optional: true },
  category: { column: 'category', optional: true },
  tags: { column: 'tags', optional: false, encode: json },
  assigneeId: { column: 'assignee_id', optional: true },
  planItemIds: { column: 'plan_item_ids', optional: false, encode: json },
  clocks: { column: 'clocks', optional: false, encode: encodeClocks },
  unreadForOfficers: { column: 'unread_for_officers', optional: false, encode: int },
  unreadForReporter: { column: 'unread_for_reporter', optional: false, encode: int },
  pendingExtension: { column: 'pending_extension', optional: true, encode: encodePendingExtension },
  protectionMeasures: { column: 'protection_measures', optional: false, encode: encodeMeasures },
  notePublicKey: { column: 'note_public_key', optional: true },
  referral: { column: 'referral', optional: true, encode: encodeReferral },
}

function rowOf(c: NewCase): CaseRow {
  return {
    id: c.id,
    registration_no: orNull(c.registrationNo),
    channel: c.channel,
    anonymity: c.anonymity,
    enc_mode: c.encMode,
    state: c.state,
    outcome: orNull(c.outcome),
    category: orNull(c.category),
    tags: json(c.tags),
    assignee_id: orNull(c.assigneeId),
    plan_item_ids: json(c.planItemIds),
    case_public_key: c.casePublicKey,
    reporter_box_public_key: orNull(c.reporterBoxPublicKey),
    reporter_sign_public_key: orNull(c.reporterSignPublicKey),
    receipt_lookup: orNull(c.receiptLookup),
    received_at: ms(c.receivedAt),
    created_at: ms(c.createdAt),
    updated_at: ms(c.createdAt),
    last_seq: 0,
    unread_for_officers: 0,
    unread_for_reporter: 0,
    clocks: encodeClocks(c.clocks),
    pending_extension: c.pendingExtension ? encodePendingExtension(c.pendingExtension) : null,
    protection_measures: encodeMeasures(c.protectionMeasures ?? []),
    note_public_key: orNull(c.notePublicKey),
    referral: c.referral ? encodeReferral(c.referral) : null,
    due_sort: dueSort(c.clocks),
    version: 1,
  }
}

/** The statistics' columns (CaseStatsRecord), as an array per row. */
type StatsRow = [
  channel: CaseRow['channel'],
  anonymity: CaseRow['anonymity'],
  state: CaseState,
  outcome: CaseRow['outcome'],
  category: string | null,
  receivedAt: number,
  clocks: string,
  planItemIds: string,
  referralBody: Referral['body'] | null,
  /** JSON list of the measures' outcomes; null when there are none (most cases). */
  protectionOutcomes: string | null,
]

// Only what the statistics count: the referral's body and the measures' outcomes are taken out of
// their JSON by SQLite, the rest of the row is never read. Rows as arrays (raw) skip building an
// object with named keys per row.
const STATS_SELECT = `SELECT channel, anonymity, state, outcome, category, received_at, clocks,
    plan_item_ids, json_extract(referral, '$.body'),
    CASE WHEN protection_measures = '[]' THEN NULL ELSE (
      SELECT json_group_array(json_extract(value, '$.outcome')) FROM json_each(cases.protection_measures)
    ) END
  FROM cases WHERE received_at >= ? AND received_at < ?`

function statsFromRow(r: StatsRow): CaseStatsRecord {
  return {
    channel: r[0],
    anonymity: r[1],
    state: r[2],
    outcome: orUndefined(r[3]),
    category: orUndefined(r[4]),
    receivedAt: date(r[5]),
    clocks: decodeClocks(r[6]),
    planItemIds: r[7] === '[]' ? [] : parseJson<string[]>(r[7]),
    protectionMeasures:
      r[9] === null ? [] : parseJson<string[]>(r[9]).map((outcome) => ({ outcome })),
    referral: r[8] === null ? undefined : { body: r[8] },
  }
}

/** Inserts a new case (and its plan item links) synchronously: create and createWhole. */
export function caseWriter(db: Db, sql: Sql): (c: NewCase) => CaseRecord {
  const insertCase = caseInsert(db, sql)
  return (c) => {
    const row = rowOf(c)
    guardDuplicate('case', () => insertCase(row, c.planItemIds))
    return caseFromRow(row)
  }
}

function caseInsert(db: Db, sql: Sql) {
  const insert = sql(`INSERT INTO cases (
      id, registration_no, channel, anonymity, enc_mode, state, outcome, category, tags,
      assignee_id, plan_item_ids, case_public_key, reporter_box_public_key,
      reporter_sign_public_key, receipt_lookup, received_at, created_at, updated_at, last_seq,
      unread_for_officers, unread_for_reporter, clocks, pending_extension, protection_measures,
      note_public_key, referral, due_sort, version
    ) VALUES (
      @id, @registration_no, @channel, @anonymity, @enc_mode, @state, @outcome, @category, @tags,
      @assignee_id, @plan_item_ids, @case_public_key, @reporter_box_public_key,
      @reporter_sign_public_key, @receipt_lookup, @received_at, @created_at, @updated_at,
      @last_seq, @unread_for_officers, @unread_for_reporter, @clocks, @pending_extension,
      @protection_measures, @note_public_key, @referral, @due_sort, @version
    )`)
  const relink = planLinks(sql)
  return db.transaction((row: CaseRow, planItemIds: readonly string[]) => {
    insert.run(row)
    relink(row.id, planItemIds)
  })
}

/** The plan item filter's side table (migration 5), rewritten with the case's plan_item_ids. */
function planLinks(sql: Sql) {
  const unlinkPlan = sql('DELETE FROM case_plan_items WHERE case_id = ?')
  const linkPlan = sql(
    'INSERT OR IGNORE INTO case_plan_items (plan_item_id, case_id) VALUES (?, ?)'
  )
  return (caseId: string, planItemIds: readonly string[]) => {
    unlinkPlan.run(caseId)
    for (const p of planItemIds) linkPlan.run(p, caseId)
  }
}

export function createCaseStore(db: Db, sql: Sql): CaseStore {
  const insertCase = caseInsert(db, sql)
  const relink = planLinks(sql)
  const writeCase = caseWriter(db, sql)
  const putGrant = grantWriter(sql)
  const { insertItem } = itemWriter(db, sql)
  // One transaction (a savepoint inside the turn's group commit): all of a new case, or nothing.
  const insertWhole = db.transaction((c: NewCase, grants: readonly Grant[], first: CaseItem) => {
    writeCase(c)
    for (const g of grants) putGrant(g)
    insertItem(first)
  })
  const insertMany = db.transaction((cases: readonly NewCase[]) => {
    for (const c of cases) insertCase(rowOf(c), c.planItemIds)
  })
  const nextRegistration = sql<{ last: number }>(`INSERT INTO registration_counters (year, last)
    VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`)
  const byId = sql<CaseRow>('SELECT * FROM cases WHERE id = ?')
  const byLookup = sql<CaseRow>('SELECT * FROM cases WHERE receipt_lookup = ?')
  const statsRows = sql<StatsRow>(STATS_SELECT).raw(true)
  // Grants first, then the case: stopped in between, the case is still there to discard again.
  const noItems = 'NOT EXISTS (SELECT 1 FROM case_items WHERE case_id = @id)'
  const dropGrants = sql(`DELETE FROM grants WHERE case_id = @id AND ${noItems}`)
  const dropCase = sql(`DELETE FROM cases WHERE id = @id AND last_seq = 0 AND ${noItems}`)

  function select(
    filter: CaseFilter,
    options: CaseListOptions = {},
    tail = '',
    extra: unknown[] = []
  ): CaseRow[] {
    const where = whereClause(filter)
    return sql<CaseRow>(`SELECT * FROM cases WHERE ${where.sql} ${orderBy(options)} ${tail}`).all(
      ...where.params,
      ...extra
    )
  }

  const updateCase = db.transaction(
    (id: string, expectedVersion: number, patch: CasePatch, at: Date): CaseRow | undefined => {
      const { sets, params } = patchAssignments(patch, patchColumns)
      if (patch.clocks) {
        sets.push('due_sort = ?')
        params.push(dueSort(patch.clocks))
      }
      const row = sql<CaseRow>(
        `UPDATE cases SET ${[...sets, 'updated_at = ?', 'version = version + 1'].join(', ')}
         WHERE id = ? AND version = ? RETURNING *`
      ).get(...params, ms(at), id, expectedVersion)
      if (row && patch.planItemIds) relink(id, patch.planItemIds)
      return row
    }
  )

  return promised<CaseStore>({
    create: writeCase,

    createWhole(c, grants, first) {
      insertWhole.immediate(c, grants, first)
    },

    createMany(cases) {
      guardDuplicate('case', () => insertMany(cases))
    },

    get(id) {
      const row = byId.get(id)
      return row ? caseFromRow(row) : null
    },

    getByReceiptLookup(lookup) {
      const row = byLookup.get(lookup)
      return row ? caseFromRow(row) : null
    },

    update(id, expectedVersion, patch, at) {
      const row = guardDuplicate('case', () => updateCase(id, expectedVersion, patch, at))
      if (!row) throw new ConflictError('case')
      return caseFromRow(row)
    },

    list(filter, page, pageSize, options = {}) {
      const where = whereClause(filter)
      const limit = options.countLimit
      // Counting stops at the limit: a LIMIT inside the count reads no further matches.
      const counted =
        (limit === undefined
          ? sql<{ n: number }>(`SELECT count(*) AS n FROM cases WHERE ${where.sql}`).get(
              ...where.params
            )
          : sql<{ n: number }>(
              `SELECT count(*) AS n FROM (SELECT 1 FROM cases WHERE ${where.sql} LIMIT ?)`
            ).get(...where.params, limit + 1)
        )?.n ?? 0
      const capped = limit !== undefined && counted > limit
      const total = capped ? limit : counted
      const offset = (Math.max(1, page) - 1) * pageSize
      const rows = select(filter, options, 'LIMIT ? OFFSET ?', [pageSize, offset])
      return {
        items: rows.map(caseFromRow),
        total,
        page,
        pageSize,
        ...(capped ? { capped } : {}),
      } satisfies Page<CaseRecord>
    },

    countByState(filter = {}) {
      const where = whereClause(filter)
      const counts = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>
      const rows = sql<{ state: CaseState; n: number }>(
        `SELECT state, count(*) AS n FROM cases WHERE ${where.sql} GROUP BY state`
      ).all(...where.params)
      for (const r of rows) counts[r.state] = r.n
      return counts
    },

    countByMonth(year, filter = {}) {
      const where = whereClause(filter)
      const counts: Record<string, number> = {}
      for (let m = 1; m <= 12; m++) counts[String(m).padStart(2, '0')] = 0
      const rows = sql<{ month: string; n: number }>(
        `SELECT strftime('%m', received_at / 1000, 'unixepoch') AS month, count(*) AS n
         FROM cases WHERE ${where.sql} AND received_at >= ? AND received_at < ?
         GROUP BY month`
      ).all(...where.params, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1))
      for (const r of rows) counts[r.month] = r.n
      return counts
    },

    all(filter) {
      return select(filter).map(caseFromRow)
    },

    eachForStatistics(receivedFrom, receivedBefore, visit) {
      // Row by row: each decoded row is garbage as soon as it is counted.
      let n = 0
      for (const row of statsRows.iterate(ms(receivedFrom), ms(receivedBefore))) {
        visit(statsFromRow(row))
        n++
      }
      return n
    },

    receivedRange() {
      const r = sql<{ first: number | null; last: number | null }>(
        'SELECT min(received_at) AS first, max(received_at) AS last FROM cases'
      ).get()
      return r?.first == null || r.last == null
        ? null
        : { first: new Date(r.first), last: new Date(r.last) }
    },

    nextRegistrationNumber(year) {
      const row = nextRegistration.get(year)
      if (!row) throw new Error('registration counter returned nothing')
      return row.last
    },

    discardIncomplete(id) {
      dropGrants.run({ id })
      return dropCase.run({ id }).changes === 1
    },
  })
}
