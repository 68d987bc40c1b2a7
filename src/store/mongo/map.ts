// Small conversions between stored documents and the port's plain objects.
import { mongo } from 'mongoose'

/** Stored binary (BSON Binary from lean reads, or a Buffer) as a plain Uint8Array copy. */
export function toBytes(v: unknown): Uint8Array {
  if (v instanceof mongo.Binary || isBinaryLike(v)) {
    return new Uint8Array(v.buffer.subarray(0, v.position))
  }
  if (v instanceof Uint8Array) return new Uint8Array(v)
  throw new TypeError('stored value is not binary')
}

/** A Binary from another copy of the bson package (instanceof fails across copies). */
function isBinaryLike(v: unknown): v is { buffer: Uint8Array; position: number } {
  const b = v as { _bsontype?: unknown; buffer?: unknown; position?: unknown } | null
  return (
    typeof b === 'object' &&
    b !== null &&
    b._bsontype === 'Binary' &&
    b.buffer instanceof Uint8Array &&
    typeof b.position === 'number'
  )
}

/** Mongoose casts Buffers, not Uint8Arrays; this shares the memory instead of copying. */
export function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength)
}

/** Drops keys whose value is undefined or null: optional fields are absent, never null. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) out[k] = v
  return out as T
}

/**
 * Turns a patch into $set/$unset: a key given as undefined clears the field (it is stored as
 * absent, so sparse unique indexes never see it). Only `allowed` keys are taken.
 */
export function patchUpdate(
  patch: object,
  allowed: readonly string[]
): { $set: Record<string, unknown>; $unset: Record<string, 1> } {
  const $set: Record<string, unknown> = {}
  const $unset: Record<string, 1> = {}
  for (const [k, v] of Object.entries(patch)) {
    if (!allowed.includes(k)) continue
    if (v === undefined || v === null) $unset[k] = 1
    else $set[k] = v
  }
  return { $set, $unset }
}

/** An update document without empty operators (MongoDB rejects `$unset: {}`). */
export function update(ops: Record<string, Record<string, unknown> | undefined>) {
  const out: Record<string, Record<string, unknown>> = {}
  for (const [op, fields] of Object.entries(ops)) {
    if (fields && Object.keys(fields).length > 0) out[op] = fields
  }
  return out
}
