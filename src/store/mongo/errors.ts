// Mapping driver errors to the port's errors.

/**
 * True for a unique-index violation. MongoDB and FerretDB report inserts (and upserts) as code
 * 11000 without `keyValue`, so nothing more is read from it. FerretDB v1 reports a violation
 * caused by an *update* as a generic InternalError (code 1) carrying the backend's message, so
 * that message is recognised too (SQLite and PostgreSQL wording).
 */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { code, message } = err as { code?: unknown; message?: unknown }
  if (code === 11000) return true
  return (
    code === 1 &&
    typeof message === 'string' &&
    /UNIQUE constraint failed|duplicate key value violates unique constraint/.test(message)
  )
}
