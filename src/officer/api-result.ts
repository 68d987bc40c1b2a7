// What the officer's JSON services answer: a value, or a failure with the status the route sends.
import type { OfficerApiError } from './api'

export type ApiFailure = OfficerApiError & { status: 400 | 404 | 409 | 413 | 422 }
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure }

export const fail = (
  status: ApiFailure['status'],
  error: ApiFailure['error'],
  message: string,
  lastSeq?: number
) =>
  ({
    ok: false,
    error: { status, error, message, ...(lastSeq !== undefined ? { lastSeq } : {}) },
  }) as const
