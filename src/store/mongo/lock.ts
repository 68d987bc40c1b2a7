// Per-key mutual exclusion for read-modify-write operations.
//
// MongoDB applies findOneAndUpdate/updateOne atomically to one document, which is all the
// engine relies on. FerretDB v1 does not: it reads the matching document, applies the update
// in Go and writes the whole document back by _id, so concurrent updates of one document can
// lose each other (two winners of a compare-and-set, lost $inc). Inserts into a unique index
// *are* atomic there, so on FerretDB each such operation runs under a lock document.
import { randomUUID } from 'node:crypto'
import type { mongo } from 'mongoose'
import { StoreBusyError } from '../types'
import { isDuplicateKey } from './errors'

export interface Serializer {
  /** Runs `fn` so that no other `run` with the same key overlaps it (across processes when locking). */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>
}

/** For servers with atomic single-document updates (MongoDB): nothing to do. */
export const direct: Serializer = { run: (_key, fn) => fn() }

export interface LockDoc {
  _id: string
  owner: string
  until: Date
}

export interface LockOptions {
  /** A lock older than this is taken to belong to a crashed holder and is broken. */
  ttlMs?: number
  /** How long to wait for a busy lock before giving up. */
  waitMs?: number
  /**
   * While the work runs, push the lock's expiry forward this often, so work longer than ttlMs
   * (a schema migration) keeps its lock while a crashed holder's still expires.
   */
  renewMs?: number
  /** Longest pause between two tries of a busy lock. */
  maxPollMs?: number
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export function lockSerializer(
  locks: mongo.Collection<LockDoc>,
  opts: LockOptions = {}
): Serializer {
  const ttlMs = opts.ttlMs ?? 30_000
  const waitMs = opts.waitMs ?? 15_000

  async function acquire(key: string, owner: string): Promise<void> {
    const deadline = Date.now() + waitMs
    for (let attempt = 0; ; attempt++) {
      try {
        await locks.insertOne({ _id: key, owner, until: new Date(Date.now() + ttlMs) })
        return
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
      const held = await locks.findOne({ _id: key })
      if (held && held.until.getTime() < Date.now()) {
        await locks.deleteOne({ _id: key, owner: held.owner })
        continue
      }
      if (Date.now() > deadline) throw new StoreBusyError(key)
      await sleep(Math.min(2 ** attempt, opts.maxPollMs ?? 40) * (0.5 + Math.random()))
    }
  }

  async function locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const owner = randomUUID()
    await acquire(key, owner)
    const renew =
      opts.renewMs === undefined
        ? undefined
        : setInterval(() => {
            const until = new Date(Date.now() + ttlMs)
            locks.updateOne({ _id: key, owner }, { $set: { until } }).catch(() => undefined)
          }, opts.renewMs)
    try {
      return await fn()
    } finally {
      clearInterval(renew)
      // The work is done (or failed) either way; a lock we cannot remove expires after ttlMs.
      await locks.deleteOne({ _id: key, owner }).catch(() => undefined)
    }
  }

  // Same-process callers queue here first, so they don't poll the database against each other.
  const local = processQueue()
  return { run: (key, fn) => local.run(key, () => locked(key, fn)) }
}

/** Runs callers of one key one after another within this process (nothing across processes). */
export function processQueue(): Serializer {
  const tails = new Map<string, Promise<unknown>>()
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const prev = tails.get(key) ?? Promise.resolve()
      const result = prev.then(fn)
      const tail = result.then(
        () => undefined,
        () => undefined
      )
      tails.set(key, tail)
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return result
    },
  }
}
