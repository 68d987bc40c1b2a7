import type { mongo } from 'mongoose'
import type { Serializer } from './lock'
import type { Models } from './models'

/** What every repository of the engine shares. */
export interface Ctx {
  m: Models
  /** Wraps read-modify-write operations (a lock on FerretDB, nothing on MongoDB). */
  atomic: Serializer
  bucket: mongo.GridFSBucket
  db: mongo.Db
}
