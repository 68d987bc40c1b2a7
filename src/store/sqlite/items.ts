import type { CaseItem, ItemStore, NewCaseItem } from '../types'
import {
  bytes,
  date,
  guardDuplicate,
  ms,
  orNull,
  orUndefined,
  type Db,
  promised,
  type Sql,
} from './db'

interface ItemRow {
  case_id: string
  seq: number
  id: string
  kind: CaseItem['kind']
  author_role: CaseItem['authorRole']
  author_id: string | null
  enc_mode: CaseItem['encMode']
  sealed: Uint8Array
  created_at: number
}

function itemFromRow(r: ItemRow): CaseItem {
  return {
    caseId: r.case_id,
    seq: r.seq,
    id: r.id,
    kind: r.kind,
    authorRole: r.author_role,
    authorId: orUndefined(r.author_id),
    encMode: r.enc_mode,
    sealed: bytes(r.sealed),
    createdAt: date(r.created_at),
  }
}

function itemToRow(i: CaseItem): ItemRow {
  return {
    case_id: i.caseId,
    seq: i.seq,
    id: i.id,
    kind: i.kind,
    author_role: i.authorRole,
    author_id: orNull(i.authorId),
    enc_mode: i.encMode,
    sealed: i.sealed,
    created_at: ms(i.createdAt),
  }
}

/**
 * Inserts an item at its seq synchronously, moving the case's lastSeq and unread flags with it in
 * one transaction: insertAt, append and the case store's createWhole.
 */
export function itemWriter(db: Db, sql: Sql) {
  const insert = sql(`INSERT INTO case_items
      (case_id, seq, id, kind, author_role, author_id, enc_mode, sealed, created_at)
    VALUES (@case_id, @seq, @id, @kind, @author_role, @author_id, @enc_mode, @sealed, @created_at)`)
  const lastSeq = sql<{ last_seq: number }>('SELECT last_seq FROM cases WHERE id = ?')
  // A new item from one side is unread for the other; system items flag nobody, and officers'
  // internal notes never reach the reporter, so they must not flag the reporter either.
  const markCase = sql(`UPDATE cases SET
      last_seq = max(last_seq, @seq),
      unread_for_officers = unread_for_officers OR @role = 'reporter',
      unread_for_reporter = unread_for_reporter OR (@role = 'officer' AND @kind != 'note')
    WHERE id = @id`)

  function currentSeq(caseId: string): number {
    const row = lastSeq.get(caseId)
    if (!row) throw new Error(`case ${caseId} does not exist`)
    return row.last_seq
  }

  // One transaction: the item and the case's lastSeq/unread flags move together.
  const insertItem = db.transaction((item: CaseItem) => {
    currentSeq(item.caseId) // throws for an unknown case
    guardDuplicate('item', () => insert.run(itemToRow(item)))
    markCase.run({ id: item.caseId, seq: item.seq, role: item.authorRole, kind: item.kind })
    return item
  })
  return { insertItem, currentSeq }
}

export function createItemStore(db: Db, sql: Sql): ItemStore {
  const { insertItem, currentSeq } = itemWriter(db, sql)
  const list = sql<ItemRow>('SELECT * FROM case_items WHERE case_id = ? AND seq > ? ORDER BY seq')
  const byId = sql<ItemRow>('SELECT * FROM case_items WHERE case_id = ? AND id = ?')
  const appendNext = db.transaction((item: NewCaseItem) =>
    insertItem({ ...item, seq: currentSeq(item.caseId) + 1 })
  )

  return promised<ItemStore>({
    append(item) {
      return itemFromRow(itemToRow(appendNext.immediate(item)))
    },
    insertAt(item) {
      return itemFromRow(itemToRow(insertItem.immediate(item)))
    },
    list(caseId, afterSeq = 0) {
      return list.all(caseId, afterSeq).map(itemFromRow)
    },
    get(caseId, id) {
      const row = byId.get(caseId, id)
      return row ? itemFromRow(row) : null
    },
  })
}
