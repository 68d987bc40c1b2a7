import type { Grant, GrantStore } from '../types'
import {
  bytes,
  bytesOrUndefined,
  date,
  ms,
  orNull,
  orUndefined,
  promised,
  type Db,
  type Sql,
} from './db'

interface GrantRow {
  case_id: string
  grantee_kind: Grant['granteeKind']
  grantee_id: string
  sealed_key: Uint8Array
  sealed_note_key: Uint8Array | null
  granted_by: string | null
  created_at: number
}

function grantFromRow(r: GrantRow): Grant {
  return {
    caseId: r.case_id,
    granteeKind: r.grantee_kind,
    granteeId: r.grantee_id,
    sealedKey: bytes(r.sealed_key),
    sealedNoteKey: bytesOrUndefined(r.sealed_note_key),
    grantedBy: orUndefined(r.granted_by),
    createdAt: date(r.created_at),
  }
}

const grantRow = (g: Grant) => ({
  case_id: g.caseId,
  grantee_kind: g.granteeKind,
  grantee_id: g.granteeId,
  sealed_key: g.sealedKey,
  sealed_note_key: orNull(g.sealedNoteKey),
  granted_by: orNull(g.grantedBy),
  created_at: ms(g.createdAt),
})

/** Inserts a grant, or replaces the sealed keys of an existing one, synchronously. */
export function grantWriter(sql: Sql): (g: Grant) => void {
  const upsert = grantUpsert(sql)
  return (g) => void upsert.run(grantRow(g))
}

const grantUpsert = (sql: Sql) =>
  sql(`INSERT INTO grants
      (case_id, grantee_kind, grantee_id, sealed_key, sealed_note_key, granted_by, created_at)
    VALUES (@case_id, @grantee_kind, @grantee_id, @sealed_key, @sealed_note_key, @granted_by,
      @created_at)
    ON CONFLICT (case_id, grantee_kind, grantee_id) DO UPDATE SET
      sealed_key = excluded.sealed_key,
      sealed_note_key = excluded.sealed_note_key,
      granted_by = excluded.granted_by,
      created_at = excluded.created_at`)

export function createGrantStore(db: Db, sql: Sql): GrantStore {
  const upsert = grantUpsert(sql)
  const putAll = db.transaction((grants: readonly Grant[]) => {
    for (const g of grants) upsert.run(grantRow(g))
  })
  const one = sql<GrantRow>(
    'SELECT * FROM grants WHERE case_id = ? AND grantee_kind = ? AND grantee_id = ?'
  )
  const forCase = sql<GrantRow>(
    'SELECT * FROM grants WHERE case_id = ? ORDER BY created_at, grantee_kind, grantee_id'
  )
  const forGrantee = sql<GrantRow>(`SELECT * FROM grants
    WHERE grantee_kind = ? AND grantee_id = ? AND case_id > ?
    ORDER BY case_id LIMIT ?`)
  const setNote = sql(`UPDATE grants SET sealed_note_key = ?
    WHERE case_id = ? AND grantee_kind = ? AND grantee_id = ?`)
  const remove = sql('DELETE FROM grants WHERE case_id = ? AND grantee_kind = ? AND grantee_id = ?')

  return promised<GrantStore>({
    put(g) {
      upsert.run(grantRow(g))
    },
    putMany(grants) {
      putAll(grants)
    },
    get(caseId, granteeKind, granteeId) {
      const row = one.get(caseId, granteeKind, granteeId)
      return row ? grantFromRow(row) : null
    },
    listForCase(caseId) {
      return forCase.all(caseId).map(grantFromRow)
    },
    listForGrantee(granteeKind, granteeId, afterCaseId = '', limit = -1) {
      // The cursor is a case id, so the order is case id order (LIMIT -1: no limit).
      return forGrantee.all(granteeKind, granteeId, afterCaseId, limit).map(grantFromRow)
    },
    setNoteKey(caseId, granteeKind, granteeId, sealedNoteKey) {
      return setNote.run(sealedNoteKey, caseId, granteeKind, granteeId).changes > 0
    },
    revoke(caseId, granteeKind, granteeId) {
      return remove.run(caseId, granteeKind, granteeId).changes > 0
    },
  })
}
