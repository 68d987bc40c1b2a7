// Whole-store export and import for the MongoDB engine (docs/backup.md): every collection of the
// store's database, GridFS files and chunks included, document by document as raw BSON, so a large
// store streams through and nothing is held whole. Values keep their exact BSON types (an Int32
// stays an Int32, a Double a Double), so the restored documents are the backed-up ones.
import { mongo } from 'mongoose'
import type { DumpPiece, StoreDump } from '../types'

/** Per-operation lock documents (lock.ts): held for seconds, meaningless in another process. */
const TRANSIENT = new Set(['store_locks'])
const BATCH_DOCS = 1000
const BATCH_BYTES = 8 * 1024 * 1024
// Exactly what was stored: no promotion of Int32/Double/Long to JS numbers or Binary to Buffer.
const EXACT = { promoteValues: false, promoteLongs: false, promoteBuffers: false } as const

async function ownCollections(db: mongo.Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray()
  return all
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.') && !TRANSIENT.has(n))
    .sort()
}

/** With `raw: true` the cursor yields Buffers, though the driver's types still say documents. */
function rawBytes(doc: unknown): Uint8Array {
  if (doc instanceof Uint8Array) return doc
  throw new Error('the MongoDB driver returned a decoded document for a raw read')
}

export function createMongoDump(db: mongo.Db): StoreDump {
  return {
    format: 'mongo-bson-v1',

    async *export(): AsyncGenerator<DumpPiece> {
      for (const name of await ownCollections(db)) {
        // raw: the driver hands over each document's BSON bytes without decoding them.
        const cursor = db
          .collection(name)
          .find({}, { raw: true, sort: { _id: 1 }, batchSize: BATCH_DOCS })
        for await (const doc of cursor) {
          yield { collection: name, data: rawBytes(doc) }
        }
      }
    },

    async import(pieces) {
      for (const name of await ownCollections(db)) await db.collection(name).deleteMany({})
      let count = 0
      let batch: mongo.Document[] = []
      let batchBytes = 0
      let current = ''
      const flush = async () => {
        if (batch.length > 0) await db.collection(current).insertMany(batch, { ordered: true })
        batch = []
        batchBytes = 0
      }
      for await (const piece of pieces) {
        if (piece.collection !== current) {
          if (piece.collection === '' || piece.collection.startsWith('system.')) {
            throw new Error(`a backup may not write to the collection "${piece.collection}"`)
          }
          await flush()
          current = piece.collection
        }
        batch.push(mongo.BSON.deserialize(piece.data, EXACT))
        batchBytes += piece.data.length
        count++
        if (batch.length >= BATCH_DOCS || batchBytes >= BATCH_BYTES) await flush()
      }
      await flush()
      return count
    },
  }
}
