// Looks for a byte string anywhere in a store's raw data: the SQLite file and its WAL, or
// every document of every collection of a MongoDB database (BSON, GridFS chunks included).
import { existsSync, readFileSync } from 'node:fs'
import { MongoClient } from 'mongodb'

export function sqliteFilesContain(file: string, needle: string | Uint8Array): boolean {
  const n = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle)
  return [file, `${file}-wal`, `${file}-journal`].some(
    (f) => existsSync(f) && readFileSync(f).includes(n)
  )
}

export async function mongoDumpContains(
  uri: string,
  needle: string | Uint8Array
): Promise<boolean> {
  const n = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle)
  const { BSON } = await import('mongodb')
  const client = await MongoClient.connect(uri)
  try {
    const db = client.db()
    for (const { name } of await db.listCollections().toArray()) {
      for await (const doc of db.collection(name).find()) {
        if (Buffer.from(BSON.serialize(doc)).includes(n)) return true
      }
    }
    return false
  } finally {
    await client.close()
  }
}
