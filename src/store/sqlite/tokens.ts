import type { CounterStore, TokenStore } from '../types'
import { guardDuplicate, ms, promised, type Sql } from './db'

export function createTokenStore(sql: Sql): TokenStore {
  const insert = sql('INSERT INTO tokens (token, purpose, expires_at) VALUES (?, ?, ?)')
  // Consumed tokens stay (until swept) so a replayed token is still known, and still refused.
  const consume = sql(`UPDATE tokens SET consumed_at = @now
    WHERE token = @token AND purpose = @purpose AND consumed_at IS NULL AND expires_at > @now`)

  return promised<TokenStore>({
    issue(token, purpose, expiresAt) {
      guardDuplicate('token', () => insert.run(token, purpose, ms(expiresAt)))
    },
    consume(token, purpose, now) {
      return consume.run({ token, purpose, now: ms(now) }).changes === 1
    },
  })
}

export function createCounterStore(sql: Sql): CounterStore {
  const hit = sql<{ count: number }>(`INSERT INTO counters (key, window_start, count, expires_at)
    VALUES (@key, @window, 1, @expires)
    ON CONFLICT (key, window_start) DO UPDATE SET
      count = count + 1, expires_at = max(expires_at, excluded.expires_at)
    RETURNING count`)
  const get = sql<{ count: number }>(
    'SELECT count FROM counters WHERE key = ? AND window_start = ?'
  )
  const reset = sql('DELETE FROM counters WHERE key = ?')

  return promised<CounterStore>({
    hit(key, windowStart, expiresAt) {
      return hit.get({ key, window: ms(windowStart), expires: ms(expiresAt) })?.count ?? 0
    },
    get(key, windowStart) {
      return get.get(key, ms(windowStart))?.count ?? 0
    },
    reset(key) {
      reset.run(key)
    },
  })
}
