// The shapes the reporter's browser sends on the encrypted path (contract in src/report/api.ts).
// Strict: any field not in the contract is refused as a possible plaintext leak (a form field
// like `q_what` or `answers` in the clear must never be accepted on this path).
import { tryFromBase64 } from '../../crypto/encoding'
import type { AddItemRequest, SubmitReportRequest } from './api'
import { isId } from './ids'
import { fail, type Outcome } from './outcome'

const MAX_SEALED_ITEM_BYTES = 2 * 1024 * 1024
const B64 = /^[A-Za-z0-9+/]+={0,2}$/
const PLAINTEXT_FIELD =
  'The request carries fields that are not allowed on the encrypted path' as const

type Fields = Record<string, unknown>

export function readKey(body: unknown, field: string, length: number): Uint8Array | null {
  const v = isRecord(body) ? body[field] : undefined
  if (typeof v !== 'string' || !B64.test(v)) return null
  const bytes = tryFromBase64(v)
  return bytes?.length === length ? bytes : null
}

function isRecord(obj: unknown): obj is Fields {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj)
}

function exactKeys(obj: unknown, allowed: string[]): obj is Fields {
  return isRecord(obj) && Object.keys(obj).every((k) => allowed.includes(k))
}

// The regular expression first (cheap, bounds the work), then a strict decode: a string of the
// right alphabet may still have a bad length or non-canonical trailing bits.
const isB64 = (v: unknown, max = MAX_SEALED_ITEM_BYTES * 2): v is string =>
  typeof v === 'string' && v.length <= max && B64.test(v) && tryFromBase64(v) !== null
const isKey32 = (v: unknown) => isB64(v, 64) && tryFromBase64(v)?.length === 32

const SUBMIT_FIELDS = [
  'v',
  'encMode',
  'formToken',
  'caseId',
  'anonymity',
  'casePublicKey',
  'reporter',
  'grants',
  'answers',
]

/** The submission's objects when it carries no field outside the contract, else null. */
function submitParts(body: unknown) {
  if (!exactKeys(body, SUBMIT_FIELDS)) return null
  const { reporter, answers, grants } = body
  if (
    !exactKeys(reporter, ['boxPublicKey', 'signPublicKey', 'authKey']) ||
    !exactKeys(answers, ['itemId', 'sealed'])
  ) {
    return null
  }
  if (!Array.isArray(grants)) return null
  const fields = ['granteeKind', 'granteeId', 'sealedKey']
  const granted = grants.filter((g: unknown): g is Fields => exactKeys(g, fields))
  if (granted.length !== grants.length) return null
  return { b: body, r: reporter, a: answers, grants: granted }
}

function isSubmitRequest(body: unknown): body is SubmitReportRequest {
  const parts = submitParts(body)
  if (!parts) return false
  const { b, r, a, grants } = parts
  return (
    b.v === 1 &&
    b.encMode === 'client' &&
    typeof b.formToken === 'string' &&
    b.formToken.length <= 100 &&
    isId(b.caseId) &&
    (b.anonymity === 'anonymous' || b.anonymity === 'confidential') &&
    isKey32(b.casePublicKey) &&
    isKey32(r.boxPublicKey) &&
    isKey32(r.signPublicKey) &&
    isKey32(r.authKey) &&
    isId(a.itemId) &&
    isB64(a.sealed) &&
    grants.length >= 2 &&
    grants.length <= 100 &&
    grants.every(
      (g) =>
        (g.granteeKind === 'officer' ||
          g.granteeKind === 'reporter' ||
          g.granteeKind === 'recovery') &&
        typeof g.granteeId === 'string' &&
        g.granteeId.length > 0 &&
        g.granteeId.length <= 100 &&
        isB64(g.sealedKey, 200)
    )
  )
}

export function parseSubmitRequest(body: unknown): Outcome<SubmitReportRequest> {
  if (!submitParts(body)) return fail(400, 'plaintext-field', PLAINTEXT_FIELD)
  if (!isSubmitRequest(body)) return fail(400, 'bad-request', 'The encrypted report is malformed')
  return { ok: true, value: body }
}

const ADD_ITEM_FIELDS = ['itemId', 'seq', 'kind', 'sealed', 'blobIds']

function isAddItem(body: unknown): body is AddItemRequest {
  if (!exactKeys(body, ADD_ITEM_FIELDS)) return false
  const b = body
  return (
    isId(b.itemId) &&
    typeof b.seq === 'number' &&
    Number.isInteger(b.seq) &&
    b.seq >= 2 &&
    b.seq < 1_000_000 &&
    (b.kind === 'message' || b.kind === 'attachment') &&
    isB64(b.sealed) &&
    (b.blobIds === undefined ||
      (Array.isArray(b.blobIds) && b.blobIds.length <= 50 && b.blobIds.every(isId)))
  )
}

export function parseAddItem(body: unknown): Outcome<AddItemRequest> {
  if (!exactKeys(body, ADD_ITEM_FIELDS)) return fail(400, 'plaintext-field', PLAINTEXT_FIELD)
  if (!isAddItem(body)) return fail(400, 'bad-request', 'The encrypted item is malformed')
  return { ok: true, value: body }
}
