import type { AuditEntry, AuditFilter, AuditStore } from '../types'
import {
  date,
  guardDuplicate,
  json,
  ms,
  orNull,
  orUndefined,
  parseJson,
  promised,
  type Sql,
} from './db'

interface AuditRow {
  seq: number
  at: number
  actor_id: string | null
  actor_role: string
  action: string
  subject_id: string | null
  details: string
  prev_hash: string
  hash: string
}

function auditFromRow(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: date(r.at),
    actorId: orUndefined(r.actor_id),
    actorRole: r.actor_role,
    action: r.action,
    subjectId: orUndefined(r.subject_id),
    details: parseJson<AuditEntry['details']>(r.details),
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

export function createAuditStore(sql: Sql): AuditStore {
  const insert = sql(`INSERT INTO audit
      (seq, at, actor_id, actor_role, action, subject_id, details, prev_hash, hash)
    VALUES (@seq, @at, @actor_id, @actor_role, @action, @subject_id, @details, @prev_hash, @hash)`)
  const last = sql<AuditRow>('SELECT * FROM audit ORDER BY seq DESC LIMIT 1')
  const range = sql<AuditRow>('SELECT * FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?')
  const forSubject = sql<AuditRow>('SELECT * FROM audit WHERE subject_id = ? ORDER BY seq')

  return promised<AuditStore>({
    append(e) {
      const row: AuditRow = {
        seq: e.seq,
        at: ms(e.at),
        actor_id: orNull(e.actorId),
        actor_role: e.actorRole,
        action: e.action,
        subject_id: orNull(e.subjectId),
        details: json(e.details),
        prev_hash: e.prevHash,
        hash: e.hash,
      }
      guardDuplicate('audit', () => insert.run(row))
    },
    last() {
      const row = last.get()
      return row ? auditFromRow(row) : null
    },
    range(fromSeq, limit) {
      return range.all(fromSeq, limit).map(auditFromRow)
    },
    listForSubject(subjectId) {
      return forSubject.all(subjectId).map(auditFromRow)
    },
    search(filter, limit) {
      const { where, params } = searchClause(filter)
      return sql<AuditRow>(`SELECT * FROM audit ${where} ORDER BY seq DESC LIMIT ?`)
        .all(...params, limit)
        .map(auditFromRow)
    },
  })
}

/** WHERE clause of a search: only fixed column names, every value a bound parameter. */
function searchClause(f: AuditFilter): { where: string; params: (string | number)[] } {
  const parts: string[] = []
  const params: (string | number)[] = []
  const add = (sqlText: string, value: string | number | undefined) => {
    if (value === undefined) return
    parts.push(sqlText)
    params.push(value)
  }
  add('subject_id = ?', f.subjectId)
  add('actor_id = ?', f.actorId)
  add('action = ?', f.action)
  add('at >= ?', f.from && ms(f.from))
  add('at < ?', f.to && ms(f.to))
  add('seq < ?', f.beforeSeq)
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params }
}
