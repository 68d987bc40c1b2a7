// Encrypts a file with the chunked attachment format (padded to a size bucket, 64 KiB frames) and
// uploads the ciphertext with the resumable blob protocol of src/report/api.ts. Only about one
// piece is in memory at a time; a piece is whole frames, at most maxPieceBytes.
//
// Resuming: the file key and nonce prefix stay in UploadState, so encrypting the file again gives
// the very same frames; a resumed upload re-encrypts everything but PUTs only the pieces the
// server does not list yet.
import {
  ATTACHMENT_CHUNK_SIZE,
  createAttachmentEncryptor,
  defaultRandom,
  frameCount,
  paddedFileSize,
  toBase64Url,
  type AttachmentEncryptor,
  type AttachmentManifest,
} from '../../crypto'
import type { BeginUploadRequest } from '../report/api'

import { ApiFailure, type Api } from './http'

/** Poly1305 tag per frame (secretbox overhead). */
export const FRAME_OVERHEAD = 16

export const REPORTER_BLOBS = '/api/r/blobs'

/** The server's piece limit (MAX_PIECE_BYTES in src/lib/upload-limits.ts), for pages without config. */
export const DEFAULT_PIECE_BYTES = 16 * (ATTACHMENT_CHUNK_SIZE + FRAME_OVERHEAD)

export type UploadProgress = (sentBytes: number, totalBytes: number) => void

export interface UploadOptions {
  maxPieceBytes: number
  onProgress?: UploadProgress
  /** Extra attempts for one PUT before the upload stops (resumable). */
  retries?: number
  /** First back-off delay; doubles on every further attempt. */
  backoffMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Where the blob routes live; the reporter's by default (officers upload to their case's). */
  baseUrl?: string
}

export interface UploadState {
  blobId: string
  key: Uint8Array
  noncePrefix: Uint8Array
  /** The server knows the blob id (POST /api/r/blobs answered). */
  begun: boolean
}

export interface UploadedFile {
  blobId: string
  manifest: AttachmentManifest
}

/** What goes to the server for an attachment: the file, its (device-given) name and type. */
export interface FileToSend {
  data: Blob
  name: string
  type: string
}

export interface UploadPlan {
  chunks: number
  chunksPerPiece: number
  pieces: number
  cipherBytes: number
}

export function newUploadState(): UploadState {
  return {
    blobId: toBase64Url(defaultRandom(16)),
    key: defaultRandom(32),
    noncePrefix: defaultRandom(16),
    begun: false,
  }
}

/** Frames and pieces for a file of `size` bytes (padded first; empty is one empty frame). */
export function planUpload(size: number, maxPieceBytes: number): UploadPlan {
  const frame = ATTACHMENT_CHUNK_SIZE + FRAME_OVERHEAD
  const chunksPerPiece = Math.floor(maxPieceBytes / frame)
  if (chunksPerPiece < 1) throw new Error('maxPieceBytes is smaller than one encrypted chunk')
  const padded = paddedFileSize(size)
  const chunks = frameCount(padded, ATTACHMENT_CHUNK_SIZE)
  return {
    chunks,
    chunksPerPiece,
    pieces: Math.ceil(chunks / chunksPerPiece),
    cipherBytes: padded + chunks * FRAME_OVERHEAD,
  }
}

/** Ciphertext size on the server for a plaintext of `size` bytes. */
export function cipherSize(size: number): number {
  return planUpload(size, ATTACHMENT_CHUNK_SIZE + FRAME_OVERHEAD).cipherBytes
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export async function uploadFile(
  api: Api,
  file: FileToSend,
  opts: UploadOptions,
  state: UploadState = newUploadState()
): Promise<UploadedFile> {
  const plan = planUpload(file.data.size, opts.maxPieceBytes)
  const base = opts.baseUrl ?? REPORTER_BLOBS
  const arrived = await begin(api, state, base)
  const enc = createAttachmentEncryptor({ key: state.key, noncePrefix: state.noncePrefix })
  let sent = 0
  let index = 0
  // One PUT in flight while the next piece is encrypted: CPU and network overlap.
  let inFlight: Promise<void> = Promise.resolve()
  opts.onProgress?.(0, plan.cipherBytes)
  for await (const piece of pieces(file.data, enc, plan.chunksPerPiece)) {
    await inFlight
    const i = index++
    inFlight = (
      arrived.has(i) ? Promise.resolve() : putWithRetry(api, base, state.blobId, i, piece, opts)
    ).then(() => {
      sent += piece.length
      opts.onProgress?.(sent, plan.cipherBytes)
    })
    // Keep a failure from surfacing as unhandled while the next piece is being encrypted.
    inFlight.catch(() => undefined)
  }
  await inFlight
  if (index !== plan.pieces || sent !== plan.cipherBytes) throw new Error('upload: plan differs')
  const done = await api.json<{ size: number; sha256: string }>(
    'POST',
    `${base}/${state.blobId}/complete`,
    { count: plan.pieces }
  )
  // The server counted what it stored; a different size means a lost or doubled piece.
  if (done.size !== plan.cipherBytes) throw new Error('upload: stored size differs')
  // ref = blobId as well, as the server's no-JS path writes it, so readers find the blob either way.
  const manifest = enc.manifest({ name: file.name, type: file.type, ref: state.blobId })
  return { blobId: state.blobId, manifest }
}

/** Starts the upload, or (when resuming) asks which pieces the server already has. */
async function begin(api: Api, state: UploadState, base: string): Promise<Set<number>> {
  if (!state.begun) {
    try {
      const req: BeginUploadRequest = { blobId: state.blobId }
      await api.json('POST', base, req)
    } catch (e) {
      // 409: our earlier attempt did arrive (the id is ours, 128 random bits); else give up.
      if (!(e instanceof ApiFailure && e.status === 409)) throw e
      state.begun = true
      return listPieces(api, base, state.blobId)
    }
    state.begun = true
    return new Set()
  }
  return listPieces(api, base, state.blobId)
}

async function listPieces(api: Api, base: string, blobId: string): Promise<Set<number>> {
  const res = await api.json<{ pieces: number[] }>('GET', `${base}/${blobId}`)
  return new Set(Array.isArray(res.pieces) ? res.pieces : [])
}

/**
 * The ciphertext in pieces of `perPiece` frames (the last may be shorter). The file is read in
 * slices of the same plaintext size, so about one piece is held at a time.
 */
async function* pieces(
  data: Blob,
  enc: AttachmentEncryptor,
  perPiece: number
): AsyncGenerator<Uint8Array> {
  const readBytes = perPiece * ATTACHMENT_CHUNK_SIZE
  let queue: Uint8Array[] = []
  for (let offset = 0; offset < data.size; offset += readBytes) {
    const plain = new Uint8Array(await data.slice(offset, offset + readBytes).arrayBuffer())
    queue.push(...enc.push(plain))
    plain.fill(0)
    while (queue.length >= perPiece) {
      yield concat(queue.slice(0, perPiece))
      queue = queue.slice(perPiece)
    }
  }
  queue.push(...enc.finish())
  while (queue.length > 0) {
    yield concat(queue.slice(0, perPiece))
    queue = queue.slice(perPiece)
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

async function putWithRetry(
  api: Api,
  base: string,
  blobId: string,
  index: number,
  piece: Uint8Array,
  opts: UploadOptions
): Promise<void> {
  const retries = opts.retries ?? 4
  const sleep = opts.sleep ?? defaultSleep
  for (let attempt = 0; ; attempt++) {
    try {
      await api.put(`${base}/${blobId}/${index}`, piece)
      return
    } catch (e) {
      const transient = e instanceof ApiFailure && e.transient
      if (!transient || attempt >= retries) throw e
      await sleep((opts.backoffMs ?? 500) * 2 ** attempt)
    }
  }
}
