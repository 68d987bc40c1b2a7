// Legal holds, deletion claims and remnants on the embedded engine. One process owns the file,
// and each method below is one transaction, so the conditional writes need nothing more.
import type {
  LegalHold,
  PurgeClaim,
  PurgeInProgress,
  RetentionCandidate,
  RetentionStore,
} from '../types'
import { decodeRemnant, encodeRemnant } from '../remnants'
import { date, guardDuplicate, ms, orUndefined, promised, type Db, type Sql } from './db'
import { DuplicateError } from '../types'

/** Migration 6 (migrations.ts). */
export const retentionSchema = `
  CREATE TABLE case_retention (
    case_id TEXT PRIMARY KEY,
    hold_reason TEXT,
    hold_by TEXT,
    hold_at INTEGER,
    purge_key TEXT,
    purge_owner TEXT,
    purge_at INTEGER
  );
  CREATE TABLE case_remnants (
    id TEXT PRIMARY KEY,
    received_at INTEGER NOT NULL,
    stats TEXT NOT NULL
  );
  CREATE INDEX case_remnants_received ON case_remnants (received_at);
  CREATE INDEX cases_updated ON cases (updated_at);
`

interface RetentionRow {
  case_id: string
  hold_reason: string | null
  hold_by: string | null
  hold_at: number | null
  purge_key: string | null
  purge_owner: string | null
  purge_at: number | null
}

function holdOf(r: RetentionRow | undefined): LegalHold | null {
  if (!r || r.hold_at === null) return null
  return {
    caseId: r.case_id,
    reason: r.hold_reason ?? '',
    setBy: r.hold_by ?? '',
    setAt: date(r.hold_at),
  }
}

export function createRetentionStore(db: Db, sql: Sql): RetentionStore {
  const row = sql<RetentionRow>('SELECT * FROM case_retention WHERE case_id = ?')
  const ensure = sql('INSERT OR IGNORE INTO case_retention (case_id) VALUES (?)')

  const setHold = db.transaction((h: LegalHold): 'set' | 'purging' => {
    if (row.get(h.caseId)?.purge_key) return 'purging'
    ensure.run(h.caseId)
    sql(
      'UPDATE case_retention SET hold_reason = ?, hold_by = ?, hold_at = ? WHERE case_id = ?'
    ).run(h.reason, h.setBy, ms(h.setAt), h.caseId)
    return 'set'
  })

  const claim = db.transaction(
    (caseId: string, owner: string, newKey: string, now: Date, staleBefore: Date): PurgeClaim => {
      const r = row.get(caseId)
      if (r?.hold_at != null) return { status: 'held' }
      if (r?.purge_key && r.purge_owner !== owner && (r.purge_at ?? 0) >= ms(staleBefore)) {
        return { status: 'busy' }
      }
      const key = r?.purge_key ?? newKey
      ensure.run(caseId)
      sql(
        'UPDATE case_retention SET purge_key = ?, purge_owner = ?, purge_at = ? WHERE case_id = ?'
      ).run(key, owner, ms(now), caseId)
      return { status: 'claimed', key, takenOver: r?.purge_key != null }
    }
  )

  const deleteData = db.transaction((caseId: string) => {
    const items = sql('DELETE FROM case_items WHERE case_id = ?').run(caseId).changes
    const grants = sql('DELETE FROM grants WHERE case_id = ?').run(caseId).changes
    const gone = sql('DELETE FROM cases WHERE id = ?').run(caseId).changes === 1
    return { items, grants, case: gone }
  })

  const remnantRows = sql<{ stats: string }>(
    'SELECT stats FROM case_remnants WHERE received_at >= ? AND received_at < ?'
  )

  return promised<RetentionStore>({
    getHold(caseId) {
      return holdOf(row.get(caseId))
    },
    setHold(h) {
      return setHold.immediate(h)
    },
    clearHold(caseId) {
      return (
        sql(
          `UPDATE case_retention SET hold_reason = NULL, hold_by = NULL, hold_at = NULL
           WHERE case_id = ? AND hold_at IS NOT NULL`
        ).run(caseId).changes === 1
      )
    },
    listHolds() {
      return sql<RetentionRow>(
        'SELECT * FROM case_retention WHERE hold_at IS NOT NULL ORDER BY case_id'
      )
        .all()
        .map((r) => holdOf(r))
        .filter((h): h is LegalHold => h !== null)
    },
    candidates(updatedBefore, afterId, limit) {
      return sql<{
        id: string
        state: RetentionCandidate['state']
        outcome: NonNullable<RetentionCandidate['outcome']> | null
        updated_at: number
        held: number
      }>(
        `SELECT c.id, c.state, c.outcome, c.updated_at, (r.hold_at IS NOT NULL) AS held
         FROM cases c LEFT JOIN case_retention r ON r.case_id = c.id
         WHERE c.updated_at < ? AND c.id > ? ORDER BY c.id LIMIT ?`
      )
        .all(ms(updatedBefore), afterId ?? '', limit)
        .map((r) => ({
          id: r.id,
          state: r.state,
          outcome: orUndefined(r.outcome),
          updatedAt: date(r.updated_at),
          held: r.held === 1,
        }))
    },
    claimPurge(caseId, owner, newKey, now, staleBefore) {
      return claim.immediate(caseId, owner, newKey, now, staleBefore)
    },
    releasePurge(caseId, owner) {
      sql(
        `UPDATE case_retention SET purge_key = NULL, purge_owner = NULL, purge_at = NULL
         WHERE case_id = ? AND purge_owner = ?`
      ).run(caseId, owner)
    },
    purgesInProgress() {
      return sql<RetentionRow>(
        'SELECT * FROM case_retention WHERE purge_key IS NOT NULL ORDER BY case_id'
      )
        .all()
        .map((r): PurgeInProgress => ({
          caseId: r.case_id,
          key: r.purge_key ?? '',
          owner: r.purge_owner ?? '',
          at: date(r.purge_at ?? 0),
        }))
    },
    endPurge(caseId) {
      sql('DELETE FROM case_retention WHERE case_id = ?').run(caseId)
    },
    blobIds(caseId) {
      return sql<{ id: string }>('SELECT id FROM blobs WHERE case_id = ? ORDER BY id')
        .all(caseId)
        .map((r) => r.id)
    },
    deleteCaseData(caseId) {
      return deleteData.immediate(caseId)
    },
    putRemnant(key, stats) {
      try {
        guardDuplicate('remnant', () =>
          sql('INSERT INTO case_remnants (id, received_at, stats) VALUES (?, ?, ?)').run(
            key,
            ms(stats.receivedAt),
            encodeRemnant(stats)
          )
        )
        return true
      } catch (err) {
        if (err instanceof DuplicateError) return false
        throw err
      }
    },
    eachRemnant(receivedFrom, receivedBefore, visit) {
      let n = 0
      for (const r of remnantRows.iterate(ms(receivedFrom), ms(receivedBefore))) {
        visit(decodeRemnant(r.stats))
        n++
      }
      return n
    },
    remnantRange() {
      const r = sql<{ first: number | null; last: number | null }>(
        'SELECT min(received_at) AS first, max(received_at) AS last FROM case_remnants'
      ).get()
      return r?.first == null || r.last == null
        ? null
        : { first: new Date(r.first), last: new Date(r.last) }
    },
    countRemnants() {
      return sql<{ n: number }>('SELECT count(*) AS n FROM case_remnants').get()?.n ?? 0
    },
  })
}
