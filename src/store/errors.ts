// The errors every store engine throws through the port (src/store/types.ts re-exports them),
// so that services and the app's error handler tell them apart whatever the engine.

/** A unique constraint was hit (duplicate receipt lookup, form token, sequence number…). */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError'
  constructor(readonly entity: string) {
    super(`${entity} already exists`)
  }
}

/** An optimistic-concurrency check failed: the record changed since it was read. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError'
  constructor(readonly entity: string) {
    super(`${entity} was changed by someone else`)
  }
}

/**
 * The database has no room for the write (a full disk, or a size cap). Nothing of that write was
 * stored; reads still work, and writes work again once there is room.
 */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError'
  constructor(options?: { cause?: unknown }) {
    super('no room left for the database', options)
  }
}

/**
 * A record the write needs is held by other writers for longer than the store waits (a lock of the
 * MongoDB engine on FerretDB, src/store/mongo/lock.ts). Nothing of that write was stored; the
 * same request may be sent again in a moment.
 */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError'
  constructor(readonly key: string) {
    super(`store lock ${key} is busy`)
  }
}
