import { createHash } from 'node:crypto'
import type { BlobInfo, BlobStore } from '../types'
import {
  bool,
  bytes,
  date,
  guardDuplicate,
  ms,
  orUndefined,
  promised,
  type Db,
  type Sql,
} from './db'

interface BlobRow {
  id: string
  case_id: string
  pieces: number
  size: number
  complete: number
  sha256: string | null
  created_at: number
}

function blobFromRow(r: BlobRow): BlobInfo {
  return {
    id: r.id,
    caseId: r.case_id,
    pieces: r.pieces,
    size: r.size,
    complete: bool(r.complete),
    sha256: orUndefined(r.sha256),
    createdAt: date(r.created_at),
  }
}

export function createBlobStore(db: Db, sql: Sql): BlobStore {
  const insert = sql(`INSERT INTO blobs (id, case_id, pieces, size, complete, created_at)
    VALUES (?, ?, 0, 0, 0, ?)`)
  const byId = sql<BlobRow>('SELECT * FROM blobs WHERE id = ?')
  // Idempotent resume: a piece already stored is kept as it is.
  const insertPiece = sql(
    'INSERT INTO blob_pieces (blob_id, idx, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
  )
  const indexes = sql<{ idx: number }>('SELECT idx FROM blob_pieces WHERE blob_id = ? ORDER BY idx')
  const piece = sql<{ data: Uint8Array }>(
    'SELECT data FROM blob_pieces WHERE blob_id = ? AND idx = ?'
  )
  const seal = sql<BlobRow>(`UPDATE blobs SET pieces = ?, size = ?, sha256 = ?, complete = 1
    WHERE id = ? RETURNING *`)
  const remove = sql('DELETE FROM blobs WHERE id = ?')
  const caseBytes = sql<{ n: number | null }>(`SELECT sum(length(p.data)) AS n
    FROM blob_pieces p JOIN blobs b ON b.id = p.blob_id WHERE b.case_id = ?`)

  function existing(id: string): BlobRow {
    const row = byId.get(id)
    if (!row) throw new Error(`blob ${id} does not exist`)
    return row
  }

  const complete = db.transaction((id: string, count: number): BlobRow => {
    const row = existing(id)
    if (row.complete) {
      if (row.pieces !== count) {
        throw new Error(`blob ${id} is already complete with ${row.pieces} pieces, not ${count}`)
      }
      return row
    }
    const stored = indexes.all(id).map((r) => r.idx)
    const missing: number[] = []
    for (let i = 0, j = 0; i < count; i++) {
      if (stored[j] === i) j++
      else missing.push(i)
    }
    if (missing.length) {
      throw new Error(`blob ${id} is missing pieces ${missing.slice(0, 10).join(', ')}`)
    }
    if (stored.length !== count) {
      throw new Error(`blob ${id} has pieces beyond the ${count} it was completed with`)
    }
    // Piece by piece, so a large attachment is never one big buffer here.
    const hash = createHash('sha256')
    let size = 0
    for (let i = 0; i < count; i++) {
      const data = piece.get(id, i)?.data ?? new Uint8Array()
      hash.update(data)
      size += data.byteLength
    }
    return seal.get(count, size, hash.digest('hex'), id) ?? existing(id)
  })

  const port = promised<Omit<BlobStore, 'read'>>({
    begin(id, caseId, at) {
      guardDuplicate('blob', () => insert.run(id, caseId, ms(at)))
    },
    putPiece(id, index, data) {
      if (!Number.isInteger(index) || index < 0) throw new Error(`bad piece index ${index}`)
      if (existing(id).complete) {
        // A late retry of a piece already in is still a no-op; anything new is refused.
        if (piece.get(id, index)) return
        throw new Error(`blob ${id} is already complete`)
      }
      insertPiece.run(id, index, data)
    },
    pieces(id) {
      return indexes.all(id).map((r) => r.idx)
    },
    complete(id, count) {
      return blobFromRow(complete.immediate(id, count))
    },
    info(id) {
      const row = byId.get(id)
      return row ? blobFromRow(row) : null
    },
    delete(id) {
      remove.run(id)
    },
    bytesForCase(caseId) {
      return caseBytes.get(caseId)?.n ?? 0
    },
  })

  return {
    ...port,
    // eslint-disable-next-line @typescript-eslint/require-await -- sync driver behind an async port
    async *read(id) {
      const row = existing(id)
      if (!row.complete) throw new Error(`blob ${id} is not complete`)
      // One query per piece: an open iterator would keep the connection busy across awaits.
      for (let i = 0; i < row.pieces; i++) {
        const found = piece.get(id, i)
        if (!found) throw new Error(`blob ${id} lost piece ${i}`)
        yield bytes(found.data)
      }
    },
  }
}
