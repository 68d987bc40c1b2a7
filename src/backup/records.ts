// The plaintext inside a backup (docs/backup.md "Records"): length-prefixed records, so any size
// of store streams through in bounded memory.
//
//   record  = type (1 byte) ‖ length (4 bytes, big-endian) ‖ body
//   META    = JSON { v: 1, format, createdAt }           first, once
//   COLL    = UTF-8 collection name                       before that collection's DATA records
//   DATA    = one document (BSON) or one piece of the SQLite file
//   END     = JSON { records, collections: {name: count} }  last, once; only zero padding follows
import { utf8Decode, utf8Encode } from '../../crypto/encoding'
import { DUMP_FORMATS, type DumpFormat, type DumpPiece } from '../store/types'
import { ByteQueue } from './byte-queue'
import { BackupError } from './errors'

export const RECORD = { meta: 1, collection: 2, data: 3, end: 4 } as const
const HEAD = 5
/** Above MongoDB's 16 MiB document limit and the SQLite pieces (1 MiB); bounds a reader's memory. */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024

export interface BackupMeta {
  v: 1
  format: DumpFormat
  createdAt: string
}

export interface BackupSummary {
  records: number
  collections: Record<string, number>
}

function record(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEAD + body.length)
  out[0] = type
  new DataView(out.buffer).setUint32(1, body.length, false)
  out.set(body, HEAD)
  return out
}

const jsonRecord = (type: number, value: unknown) => record(type, utf8Encode(JSON.stringify(value)))

/** META, then each piece (a COLL record whenever the collection changes), then END. */
export async function* encodeRecords(
  meta: BackupMeta,
  pieces: AsyncIterable<DumpPiece>,
  summary: BackupSummary = { records: 0, collections: {} }
): AsyncGenerator<Uint8Array> {
  yield jsonRecord(RECORD.meta, meta)
  let current: string | undefined
  for await (const piece of pieces) {
    if (piece.collection !== current) {
      current = piece.collection
      yield record(RECORD.collection, utf8Encode(current))
    }
    summary.collections[current] = (summary.collections[current] ?? 0) + 1
    summary.records++
    yield record(RECORD.data, piece.data)
  }
  yield jsonRecord(RECORD.end, summary)
}

function parseJson(body: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(utf8Decode(body)) as unknown
  } catch {
    throw new BackupError('damaged', `the backup's ${what} record is not JSON`)
  }
}

function checkMeta(value: unknown): BackupMeta {
  const m = value as Partial<BackupMeta> | null
  if (!m || m.v !== 1 || !DUMP_FORMATS.includes(m.format as DumpFormat)) {
    throw new BackupError('unsupported', 'the backup was written by an unknown version or engine')
  }
  return { v: 1, format: m.format as DumpFormat, createdAt: String(m.createdAt) }
}

export type RecordEvent =
  | { kind: 'meta'; meta: BackupMeta }
  | { kind: 'piece'; piece: DumpPiece }
  | { kind: 'end'; summary: BackupSummary }

/**
 * Parses decrypted plaintext back into META, pieces and END, checking the structure as it goes and
 * the END's counts against what came: a backup that decrypts but was cut short by its writer (END
 * missing) or does not add up throws BackupError('damaged').
 */
export async function* decodeRecords(
  plain: AsyncIterable<Uint8Array>
): AsyncGenerator<RecordEvent> {
  const queue = new ByteQueue()
  const seen: BackupSummary = { records: 0, collections: {} }
  let meta: BackupMeta | undefined
  let current: string | undefined
  let ended = false
  for await (const bytes of plain) {
    queue.push(bytes)
    while (!ended && queue.length >= HEAD) {
      const head = queue.peek(HEAD)
      const type = head[0]!
      // Zeros where a record should start: the final chunk's padding, so END never came.
      if (type === 0) throw new BackupError('truncated', 'the backup ends before its end record')
      const length = new DataView(head.buffer).getUint32(1, false)
      if (length > MAX_RECORD_BYTES) throw new BackupError('damaged', 'a record is too long')
      if (queue.length < HEAD + length) break // the rest of the body is in later chunks
      queue.take(HEAD)
      const body = queue.take(length)
      if (meta === undefined && type !== RECORD.meta) {
        throw new BackupError('damaged', 'the backup does not start with its description')
      }
      if (type === RECORD.meta) {
        if (meta !== undefined) throw new BackupError('damaged', 'a second description record')
        meta = checkMeta(parseJson(body, 'description'))
        yield { kind: 'meta', meta }
      } else if (type === RECORD.collection) {
        current = utf8Decode(body)
      } else if (type === RECORD.data) {
        if (current === undefined)
          throw new BackupError('damaged', 'a record before its collection')
        seen.collections[current] = (seen.collections[current] ?? 0) + 1
        seen.records++
        yield { kind: 'piece', piece: { collection: current, data: body } }
      } else if (type === RECORD.end) {
        const claimed = parseJson(body, 'end') as Partial<BackupSummary> | null
        if (
          claimed?.records !== seen.records ||
          JSON.stringify(claimed.collections) !== JSON.stringify(seen.collections)
        ) {
          throw new BackupError('damaged', 'the record counts differ from the end record')
        }
        ended = true
      } else {
        throw new BackupError('damaged', `unknown record type ${type}`)
      }
    }
    // After END only the zero padding of the last chunk may follow.
    if (ended && queue.length > 0 && queue.rest().some((b) => b !== 0)) {
      throw new BackupError('damaged', 'data after the end record')
    }
  }
  if (!ended) throw new BackupError('truncated', 'the backup ends before its end record')
  yield { kind: 'end', summary: seen }
}
