// The shapes the browsers send on the encrypted paths, as zod schemas checked at the boundary
// (src/routes/reporter-api.ts, src/routes/officer-api.ts through src/officer/validate.ts); the
// wire types in ./api.ts are inferred from them. Strict: any field not in the contract is refused
// as a possible plaintext leak (a form field like `q_what` or `answers` in the clear must never be
// accepted on this path).
import { z } from 'zod'
import { isId } from './ids'

const MAX_SEALED_ITEM_B64 = 4 * 1024 * 1024

/**
 * Bytes of a standard base64 string: the length first (bounds the work), then a strict decode.
 * Strict as crypto/encoding.ts fromBase64 (padding, alphabet, canonical trailing bits): the text
 * must be exactly what Node's encoder makes of its bytes, so no other spelling passes. Node's
 * native codec, as this runs on the server only: the hand-written one and a RegExp over a 4 KB
 * envelope were 6% of a submission's CPU (issue 12).
 */
const bytesOf = (v: string, max: number): Uint8Array | null => {
  if (v.length === 0 || v.length > max || v.length % 4 !== 0) return null
  const bytes = Buffer.from(v, 'base64')
  return bytes.toString('base64') === v ? bytes : null
}

/** Base64 of at most `max` characters that decodes (a right alphabet may still not decode). */
export const b64 = (max = MAX_SEALED_ITEM_B64) =>
  z.string().refine((v) => bytesOf(v, max) !== null, 'base64')
/** A base64 X25519/Ed25519 public key, or a 32-byte auth key. */
export const key32 = z.string().refine((v) => bytesOf(v, 64)?.length === 32, 'a 32-byte key')
/** A sealed 32-byte secret: seal() adds 48 bytes. */
export const sealedKey = z.string().refine((v) => bytesOf(v, 200)?.length === 80, 'a sealed key')
/** 16 random bytes, base64url without padding (22 characters), made by the browser. */
export const id = z.string().refine(isId, 'an id')

export const reporterKeys = z.strictObject({
  boxPublicKey: key32,
  signPublicKey: key32,
  /** HKDF(M, "receipt/auth"); the server stores only HMAC(pepper, authKey). */
  authKey: key32,
})

export const grantInput = z.strictObject({
  granteeKind: z.enum(['officer', 'reporter', 'recovery']),
  /** Officer account id; 'reporter' for the reporter's grant. */
  granteeId: z.string().min(1).max(100),
  /** seal(caseSecretKey, granteeBoxPublicKey). */
  sealedKey: b64(200),
})

/** POST /api/report. */
export const submitReportRequest = z.strictObject({
  v: z.literal(1),
  encMode: z.literal('client'),
  formToken: z.string().max(100),
  caseId: id,
  anonymity: z.enum(['anonymous', 'confidential']),
  casePublicKey: key32,
  reporter: reporterKeys,
  /** One per officer in ReporterPageConfig.officers, plus { granteeKind: 'reporter', granteeId: 'reporter' }. */
  grants: z.array(grantInput).min(2).max(100),
  /** The answers, sealed as item seq 1, type 'answers', signed with the reporter's key. */
  answers: z.strictObject({ itemId: id, sealed: b64() }),
})

/** POST /api/r/items. */
export const addItemRequest = z.strictObject({
  itemId: id,
  seq: z.number().int().min(2).lt(1_000_000),
  kind: z.enum(['message', 'attachment']),
  sealed: b64(),
  /** Blobs the item's manifest refers to (must be complete uploads of this case). */
  blobIds: z.array(id).max(50).optional(),
})

/** POST /api/status/login. */
export const statusLoginRequest = z.object({ authKey: key32 })
