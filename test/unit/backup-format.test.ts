// The backup file format (docs/backup.md): records straddling chunks come back whole, and every
// way of rearranging an encrypted backup is caught: chunks swapped, dropped or cut off, records
// that do not add up, a writer that stopped before its end record.
import { randomBytes } from 'node:crypto'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { FRAME_OVERHEAD } from '../../crypto/attachment-format'
import { BACKUP_CHUNK_SIZE, MAGIC, decryptBackup, encryptBackup } from '../../src/backup/crypt'
import { BackupError } from '../../src/backup/errors'
import { RECORD, decodeRecords, encodeRecords, type BackupMeta } from '../../src/backup/records'
import type { DumpPiece } from '../../src/store/types'

const keys = nacl.box.keyPair()
const meta: BackupMeta = { v: 1, format: 'mongo-bson-v1', createdAt: '2026-12-07T12:00:00.000Z' }
const HEADER = MAGIC.length + 2 + 100
const FRAME = BACKUP_CHUNK_SIZE + FRAME_OVERHEAD

/** An async source over an array, as a file or a database cursor would hand it out. */
function from<T>(items: Iterable<T>): AsyncIterable<T> {
  const it = items[Symbol.iterator]()
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(it.next()) }) }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of source) out.push(item)
  return out
}

async function encrypt(plain: AsyncIterable<Uint8Array>): Promise<Buffer> {
  return Buffer.concat(await collect(encryptBackup(plain, keys.publicKey)))
}

async function restorePieces(file: Uint8Array, pieceSize = 4096): Promise<DumpPiece[]> {
  const parts: Uint8Array[] = []
  for (let i = 0; i < file.length; i += pieceSize) parts.push(file.subarray(i, i + pieceSize))
  const events = await collect(decodeRecords(decryptBackup(from(parts), keys.secretKey)))
  return events.flatMap((e) => (e.kind === 'piece' ? [e.piece] : []))
}

function pieces(): DumpPiece[] {
  const out: DumpPiece[] = []
  for (let i = 0; i < 400; i++) {
    out.push({ collection: i < 200 ? 'cases' : 'audit', data: randomBytes(1 + ((i * 37) % 2000)) })
  }
  // One record larger than a chunk, so it straddles several.
  out.push({ collection: 'attachments.chunks', data: randomBytes(3 * BACKUP_CHUNK_SIZE + 5) })
  return out
}

async function refusal(file: Uint8Array): Promise<BackupError> {
  const err = await restorePieces(file).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(BackupError)
  return err as BackupError
}

function record(type: number, body: Uint8Array): Uint8Array {
  const head = Buffer.alloc(5)
  head[0] = type
  head.writeUInt32BE(body.length, 1)
  return Buffer.concat([head, body])
}
const json = (v: unknown) => Buffer.from(JSON.stringify(v))

describe('backup format', () => {
  it('gives back every piece, in order, whatever the read sizes', async () => {
    const original = pieces()
    const file = await encrypt(encodeRecords(meta, from(original)))
    expect(file.subarray(0, MAGIC.length).toString()).toBe('whistle-portal backup 1\n')
    for (const size of [1000, 65536, 1 << 20]) {
      const back = await restorePieces(file, size)
      expect(back.length).toBe(original.length)
      back.forEach((p, i) => {
        expect(p.collection).toBe(original[i]!.collection)
        expect(Buffer.from(p.data).equals(Buffer.from(original[i]!.data))).toBe(true)
      })
    }
  })

  it('catches chunks swapped, dropped, cut off and appended', async () => {
    const file = await encrypt(encodeRecords(meta, from(pieces())))
    const frames = Math.ceil((file.length - HEADER) / FRAME)
    expect(frames).toBeGreaterThan(3)
    const frame = (i: number) => file.subarray(HEADER + i * FRAME, HEADER + (i + 1) * FRAME)
    const head = file.subarray(0, HEADER)

    const swapped = Buffer.concat([
      head,
      frame(0),
      frame(2),
      frame(1),
      file.subarray(HEADER + 3 * FRAME),
    ])
    expect((await refusal(swapped)).message).toMatch(/chunk 1 of the backup is out of place/)

    const dropped = Buffer.concat([head, frame(0), file.subarray(HEADER + 2 * FRAME)])
    expect((await refusal(dropped)).code).toBe('damaged')

    const atBoundary = file.subarray(0, HEADER + 2 * FRAME)
    const cut = await refusal(atBoundary)
    expect(cut.code).toBe('truncated')

    expect((await refusal(Buffer.concat([file, Buffer.alloc(1)]))).code).toBe('damaged')
    expect((await refusal(file.subarray(0, HEADER - 1))).code).toBe('truncated')
  })

  it('refuses a backup whose records do not add up or that has no end record', async () => {
    const body = [record(RECORD.meta, json(meta)), record(RECORD.collection, Buffer.from('cases'))]
    body.push(record(RECORD.data, Buffer.from('one')), record(RECORD.data, Buffer.from('two')))

    const wrongCount = record(RECORD.end, json({ records: 3, collections: { cases: 3 } }))
    const miscounted = await encrypt(from([...body, wrongCount]))
    expect((await refusal(miscounted)).message).toMatch(/record counts differ/)

    // Authentic chunks throughout, but the writer stopped before its end record.
    const unfinished = await encrypt(from(body))
    expect((await refusal(unfinished)).code).toBe('truncated')

    const end = record(RECORD.end, json({ records: 2, collections: { cases: 2 } }))
    const trailing = await encrypt(from([...body, end, Buffer.from('x')]))
    expect((await refusal(trailing)).message).toMatch(/data after the end record/)

    const fine = await encrypt(from([...body, end]))
    expect((await restorePieces(fine)).map((p) => Buffer.from(p.data).toString())).toEqual([
      'one',
      'two',
    ])
  })

  it('names the wrong key, and a file that is no backup', async () => {
    const file = await encrypt(encodeRecords(meta, from(pieces().slice(0, 3))))
    const other = nacl.box.keyPair()
    const err = await collect(decryptBackup(from([file]), other.secretKey)).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'wrong-key' })
    const plain = await collect(
      decryptBackup(from([Buffer.from('PK\x03\x04 a zip file')]), keys.secretKey)
    ).catch((e: unknown) => e)
    expect(plain).toMatchObject({ code: 'not-a-backup' })
  })
})
