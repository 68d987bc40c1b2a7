import type { Session, SessionStore } from '../types'
import {
  bytesOrUndefined,
  date,
  guardDuplicate,
  ms,
  orNull,
  orUndefined,
  promised,
  type Sql,
} from './db'

interface SessionRow {
  id: string
  kind: Session['kind']
  account_id: string | null
  case_id: string | null
  data: Uint8Array | null
  created_at: number
  last_seen_at: number
  expires_at: number
}

function sessionFromRow(r: SessionRow): Session {
  return {
    id: r.id,
    kind: r.kind,
    accountId: orUndefined(r.account_id),
    caseId: orUndefined(r.case_id),
    data: bytesOrUndefined(r.data),
    createdAt: date(r.created_at),
    lastSeenAt: date(r.last_seen_at),
    expiresAt: date(r.expires_at),
  }
}

export function createSessionStore(sql: Sql): SessionStore {
  const insert = sql(`INSERT INTO sessions
      (id, kind, account_id, case_id, data, created_at, last_seen_at, expires_at)
    VALUES (@id, @kind, @account_id, @case_id, @data, @created_at, @last_seen_at, @expires_at)`)
  const live = sql<SessionRow>('SELECT * FROM sessions WHERE id = ? AND expires_at > ?')
  const touch = sql('UPDATE sessions SET last_seen_at = ? WHERE id = ?')
  const setData = sql('UPDATE sessions SET data = ? WHERE id = ?')
  const remove = sql('DELETE FROM sessions WHERE id = ?')
  const removeForAccount = sql('DELETE FROM sessions WHERE account_id = ?')

  return promised<SessionStore>({
    create(s) {
      const row: SessionRow = {
        id: s.id,
        kind: s.kind,
        account_id: orNull(s.accountId),
        case_id: orNull(s.caseId),
        data: orNull(s.data),
        created_at: ms(s.createdAt),
        last_seen_at: ms(s.lastSeenAt),
        expires_at: ms(s.expiresAt),
      }
      guardDuplicate('session', () => insert.run(row))
    },
    get(id, now) {
      const row = live.get(id, ms(now))
      return row ? sessionFromRow(row) : null
    },
    touch(id, at) {
      touch.run(ms(at), id)
    },
    setData(id, data) {
      setData.run(data, id)
    },
    delete(id) {
      remove.run(id)
    },
    deleteForAccount(accountId) {
      return removeForAccount.run(accountId).changes
    },
  })
}
