// Attachments: resumable pieces in `blob_pieces` until `complete` streams them, in order,
// into one GridFS file and deletes them.
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { mongo } from 'mongoose'
import { ConflictError, DuplicateError, type BlobInfo, type BlobStore } from '../types'
import type { Ctx } from './context'
import { isDuplicateKey } from './errors'
import { compact, toBuffer, toBytes } from './map'
import type { BlobDoc, PieceDoc } from './models'

export const BUCKET = 'attachments'

/** How long a `complete` may run before another attempt may take over. */
const COMPLETE_LEASE_MS = 10 * 60_000

const pieceKey = (id: string, index: number) => JSON.stringify([id, index])

export function toBlobInfo(d: BlobDoc): BlobInfo {
  return compact({
    id: d._id,
    caseId: d.caseId,
    pieces: d.pieces ?? 0,
    size: d.size ?? 0,
    complete: d.complete ?? false,
    sha256: d.sha256,
    createdAt: d.createdAt,
  })
}

/** Cuts the GridFS byte stream back into the pieces it was uploaded as. */
async function* rechunk(src: AsyncIterable<Buffer>, sizes: number[]): AsyncGenerator<Uint8Array> {
  const pending: Buffer[] = []
  let have = 0
  let i = 0
  const take = (n: number): Uint8Array => {
    const out = new Uint8Array(n)
    let off = 0
    while (off < n) {
      const head = pending[0]!
      const k = Math.min(head.length, n - off)
      out.set(head.subarray(0, k), off)
      off += k
      if (k === head.length) pending.shift()
      else pending[0] = head.subarray(k)
    }
    have -= n
    return out
  }
  const ready = () => i < sizes.length && have >= sizes[i]!
  while (ready()) yield take(sizes[i++]!)
  for await (const chunk of src) {
    pending.push(chunk)
    have += chunk.length
    while (ready()) yield take(sizes[i++]!)
  }
  if (i < sizes.length || have > 0) throw new Error('stored attachment has the wrong length')
}

export function createBlobStore(ctx: Ctx): BlobStore {
  const { blobs, pieces } = ctx.m
  const chunks = ctx.db.collection(`${BUCKET}.chunks`)

  async function dropFile(fileId: mongo.ObjectId | undefined): Promise<void> {
    if (!fileId) return
    // Chunks first: a half-written file has chunks but no files document.
    await chunks.deleteMany({ files_id: fileId })
    await ctx.db.collection(`${BUCKET}.files`).deleteOne({ _id: fileId })
  }

  return {
    async begin(id, caseId, at) {
      try {
        await blobs.create({
          _id: id,
          caseId,
          createdAt: at,
          complete: false,
          pieces: 0,
          size: 0,
          pieceSizes: [],
        })
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('blob')
        throw err
      }
    },

    async putPiece(id, index, data) {
      if (!Number.isInteger(index) || index < 0) throw new RangeError(`bad piece index ${index}`)
      const meta = await blobs.findOne({ _id: { $eq: id } }).lean<BlobDoc>()
      if (!meta) throw new Error(`blob ${id} not found`)
      if (meta.complete) {
        // A late retry of a piece already in is still a no-op; anything new is refused.
        if (index < meta.pieces) return
        throw new Error(`blob ${id} is already complete`)
      }
      try {
        await pieces.create({
          _id: pieceKey(id, index),
          blobId: id,
          index,
          data: toBuffer(data),
          size: data.byteLength,
        })
      } catch (err) {
        // The piece is already there: a resumed upload repeated it.
        if (!isDuplicateKey(err)) throw err
      }
    },

    async pieces(id) {
      const meta = await blobs.findOne({ _id: { $eq: id } }).lean<BlobDoc>()
      if (!meta) return []
      if (meta.complete) return Array.from({ length: meta.pieces }, (_, i) => i)
      const docs = await pieces
        .find({ blobId: { $eq: id } }, { index: 1 })
        .sort({ index: 1 })
        .lean<Pick<PieceDoc, 'index'>[]>()
      return docs.map((d) => d.index)
    },

    async complete(id, count) {
      const now = new Date()
      const fileId = new mongo.ObjectId()
      // Take the completion lease; the document as it was tells of a crashed earlier attempt.
      const before = await ctx.atomic.run(`blob:${id}`, () =>
        blobs
          .findOneAndUpdate(
            {
              _id: { $eq: id },
              complete: false,
              $or: [{ completingUntil: { $exists: false } }, { completingUntil: { $lt: now } }],
            },
            {
              $set: { completingUntil: new Date(now.getTime() + COMPLETE_LEASE_MS), fileId },
            },
            { returnDocument: 'before' }
          )
          .lean<BlobDoc>()
      )
      if (!before) {
        const meta = await blobs.findOne({ _id: { $eq: id } }).lean<BlobDoc>()
        if (!meta) throw new Error(`blob ${id} not found`)
        if (!meta.complete) throw new ConflictError('blob') // another complete() is running
        if (meta.pieces === count) return toBlobInfo(meta)
        throw new Error(`blob ${id} is already complete with ${meta.pieces} pieces, not ${count}`)
      }
      let done: BlobDoc | null
      try {
        await dropFile(before.fileId)
        const stored = await pieces
          .find({ blobId: { $eq: id } }, { index: 1 })
          .lean<Pick<PieceDoc, 'index'>[]>()
        const have = new Set(stored.map((d) => d.index))
        const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i))
        if (missing.length > 0) {
          throw new Error(`blob ${id} is missing pieces ${missing.slice(0, 10).join(', ')}`)
        }
        if (have.size !== count) {
          throw new Error(`blob ${id} has pieces beyond the ${count} it was completed with`)
        }

        const hash = createHash('sha256')
        const sizes: number[] = []
        // One piece in memory at a time, in index order.
        async function* ordered(): AsyncGenerator<Buffer> {
          for (let i = 0; i < count; i++) {
            const p = await pieces.findOne({ _id: pieceKey(id, i) }).lean<PieceDoc>()
            if (!p) throw new Error(`blob ${id} lost piece ${i}`)
            const bytes = toBytes(p.data)
            hash.update(bytes)
            sizes.push(bytes.length)
            yield toBuffer(bytes)
          }
        }
        const upload = ctx.bucket.openUploadStreamWithId(fileId, id, {
          metadata: { blobId: id, caseId: before.caseId },
        })
        await pipeline(Readable.from(ordered()), upload)

        done = await blobs
          .findOneAndUpdate(
            { _id: { $eq: id } },
            {
              $set: {
                complete: true,
                pieces: count,
                size: sizes.reduce((a, b) => a + b, 0),
                sha256: hash.digest('hex'),
                pieceSizes: sizes,
              },
              $unset: { completingUntil: 1 },
            },
            { returnDocument: 'after' }
          )
          .lean<BlobDoc>()
        if (!done) throw new Error(`blob ${id} was deleted while completing`)
      } catch (err) {
        await dropFile(fileId).catch(() => undefined)
        await blobs
          .updateOne({ _id: { $eq: id }, complete: false }, { $unset: { completingUntil: 1 } })
          .catch(() => undefined)
        throw err
      }
      await pieces.deleteMany({ blobId: { $eq: id } })
      return toBlobInfo(done)
    },

    async info(id) {
      const d = await blobs.findOne({ _id: { $eq: id } }).lean<BlobDoc>()
      return d ? toBlobInfo(d) : null
    },

    async bytesForCase(caseId) {
      // Complete uploads count their recorded size, unfinished ones the pieces they hold.
      // Summed here rather than by $group: a few documents per case at most.
      const metas = await blobs
        .find({ caseId: { $eq: caseId } }, { complete: 1, size: 1 })
        .lean<Pick<BlobDoc, '_id' | 'complete' | 'size'>[]>()
      let total = 0
      const open: string[] = []
      for (const b of metas) {
        if (b.complete) total += b.size
        else open.push(b._id)
      }
      if (open.length > 0) {
        const held = await pieces
          .find({ blobId: { $in: open } }, { size: 1 })
          .lean<Pick<PieceDoc, 'size'>[]>()
        for (const p of held) total += p.size
      }
      return total
    },

    async *read(id) {
      const meta = await blobs.findOne({ _id: { $eq: id } }).lean<BlobDoc>()
      if (!meta) throw new Error(`blob ${id} not found`)
      if (!meta.complete || !meta.fileId) throw new Error(`blob ${id} is not complete`)
      const stream = ctx.bucket.openDownloadStream(meta.fileId)
      try {
        yield* rechunk(stream as AsyncIterable<Buffer>, meta.pieceSizes ?? [])
      } finally {
        stream.destroy()
      }
    },

    async delete(id) {
      const meta = await blobs.findOne({ _id: { $eq: id } }).lean<BlobDoc>()
      await pieces.deleteMany({ blobId: { $eq: id } })
      if (meta) await dropFile(meta.fileId)
      await blobs.deleteOne({ _id: { $eq: id } })
    },
  }
}
