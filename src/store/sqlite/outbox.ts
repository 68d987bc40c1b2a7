import type { OutboxMessage, OutboxStore } from '../types'
import {
  date,
  dateOrUndefined,
  guardDuplicate,
  json,
  ms,
  orNull,
  orUndefined,
  parseJson,
  promised,
  type Sql,
} from './db'

interface OutboxRow {
  id: string
  to_address: string
  template: string
  params: string
  dedupe_key: string | null
  status: OutboxMessage['status']
  attempts: number
  not_before: number
  lease_owner: string | null
  lease_until: number | null
  last_error: string | null
  created_at: number
  sent_at: number | null
}

function messageFromRow(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    to: r.to_address,
    template: r.template,
    params: parseJson<Record<string, string>>(r.params),
    dedupeKey: orUndefined(r.dedupe_key),
    status: r.status,
    attempts: r.attempts,
    notBefore: date(r.not_before),
    leaseOwner: orUndefined(r.lease_owner),
    leaseUntil: dateOrUndefined(r.lease_until),
    lastError: orUndefined(r.last_error),
    createdAt: date(r.created_at),
    sentAt: dateOrUndefined(r.sent_at),
  }
}

export function createOutboxStore(sql: Sql): OutboxStore {
  // A dedupe-key clash is the expected "already queued" answer; an id clash is a bug.
  const insert = sql(`INSERT INTO outbox
      (id, to_address, template, params, dedupe_key, status, attempts, not_before, created_at)
    VALUES (@id, @to, @template, @params, @dedupe_key, 'pending', 0, @not_before, @created_at)
    ON CONFLICT (dedupe_key) DO NOTHING`)
  // One statement, so leasing is atomic: the first claimer to run it takes the message.
  const claim = sql<OutboxRow>(`UPDATE outbox
    SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1
    WHERE id = (
      SELECT id FROM outbox
      WHERE status = 'pending' AND not_before <= @now
        AND (lease_until IS NULL OR lease_until <= @now)
      ORDER BY not_before, created_at, id
      LIMIT 1
    )
    RETURNING *`)
  const markSent = sql(`UPDATE outbox
    SET status = 'sent', sent_at = @at, lease_until = NULL
    WHERE id = @id AND lease_owner = @owner AND status = 'pending'`)
  const retry = sql(`UPDATE outbox
    SET not_before = @retry_at, last_error = @error, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND lease_owner = @owner AND status = 'pending'`)
  const fail = sql(`UPDATE outbox
    SET status = 'failed', last_error = @error, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND lease_owner = @owner AND status = 'pending'`)
  const byId = sql<OutboxRow>('SELECT * FROM outbox WHERE id = ?')
  const all = sql<OutboxRow>('SELECT * FROM outbox ORDER BY created_at, id')
  const withStatus = sql<OutboxRow>('SELECT * FROM outbox WHERE status = ? ORDER BY created_at, id')

  return promised<OutboxStore>({
    enqueue(m) {
      const result = guardDuplicate('outbox message', () =>
        insert.run({
          id: m.id,
          to: m.to,
          template: m.template,
          params: json(m.params),
          dedupe_key: orNull(m.dedupeKey),
          not_before: ms(m.notBefore),
          created_at: ms(m.createdAt),
        })
      )
      return result.changes === 1
    },
    claim(owner, now, leaseMs) {
      const row = claim.get({ owner, now: ms(now), until: ms(now) + leaseMs })
      return row ? messageFromRow(row) : null
    },
    markSent(id, owner, at) {
      return markSent.run({ id, owner, at: ms(at) }).changes === 1
    },
    markFailed(id, owner, error, retryAt) {
      const result = retryAt
        ? retry.run({ id, owner, error, retry_at: ms(retryAt) })
        : fail.run({ id, owner, error })
      return result.changes === 1
    },
    get(id) {
      const row = byId.get(id)
      return row ? messageFromRow(row) : null
    },
    list(status) {
      return (status ? withStatus.all(status) : all.all()).map(messageFromRow)
    },
  })
}
