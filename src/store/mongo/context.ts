import type { mongo } from 'mongoose'
import type { Serializer } from './lock'
import type { Models } from './models'

/** What every repository of the engine shares. */
export interface Ctx {
  m: Models
  /** Wraps read-modify-write operations (a lock on FerretDB, nothing on MongoDB). */
  atomic: Serializer
  /** True on FerretDB: updates are not atomic there, unique inserts are (lock.ts). */
  locking: boolean
  bucket: mongo.GridFSBucket
  db: mongo.Db
}
