// What the reporter's services answer: a value, or a failure the routes turn into a status and
// a JSON error (src/report/api.ts) or a page.
import type { ApiError } from './api'

export type Failure = ApiError & {
  status: 400 | 401 | 404 | 409 | 413 | 429 | 503
  retryAfter?: number
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Failure }

export const FORM_TOKEN_MALFORMED = 'The form token is damaged; reload the page and send again'

export const fail = (
  status: Failure['status'],
  error: Failure['error'],
  message: string,
  extra: Partial<Failure> = {}
): { ok: false; error: Failure } => ({
  ok: false,
  error: { status, error, message, ...extra },
})

export const slowDown = (retryAfter: number) =>
  fail(429, 'slow-down', 'Too many attempts; wait a little and try again', { retryAfter })
