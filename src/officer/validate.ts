// Strict shape checks for what the officer's browser posts. Anything not in the contract is
// refused: a field in the clear on these routes could only be a plaintext leak.
import { tryFromBase64 } from '../../crypto/encoding'
import { isId } from '../report/ids'
import type {
  GrantRequest,
  HandoverRequest,
  IntakeRequest,
  NoteKeyRequest,
  OfficerApiError,
  OfficerItemRequest,
} from './api'
import { INTAKE_CHANNELS, isOneOf } from '../domain/vocab'

/** How a body measures up: in the contract, a field outside it, or a wrong value. */
type Shape = 'ok' | 'refused' | 'malformed'

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: OfficerApiError }

const MAX_SEALED_ITEM_B64 = 4 * 1024 * 1024
const B64 = /^[A-Za-z0-9+/]+={0,2}$/
const ACCOUNT_ID = /^[A-Za-z0-9_.@-]{1,100}$/

const refused = (): { ok: false; error: OfficerApiError } => ({
  ok: false,
  error: {
    error: 'plaintext-field',
    message: 'The request carries fields that are not allowed here',
  },
})
const malformed = (message: string): { ok: false; error: OfficerApiError } => ({
  ok: false,
  error: { error: 'bad-request', message },
})

export function exactKeys(
  obj: unknown,
  allowed: readonly string[],
  required: readonly string[] = allowed
): obj is Record<string, unknown> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false
  const keys = Object.keys(obj)
  return keys.every((k) => allowed.includes(k)) && required.every((k) => keys.includes(k))
}

export const isB64 = (v: unknown, max = MAX_SEALED_ITEM_B64): v is string =>
  typeof v === 'string' &&
  v.length > 0 &&
  v.length <= max &&
  B64.test(v) &&
  tryFromBase64(v) !== null

/** A base64 X25519/Ed25519 public key (32 bytes). */
export const isKey32 = (v: unknown): v is string => isB64(v, 64) && tryFromBase64(v)?.length === 32

/** A sealed 32-byte secret: seal() adds 48 bytes. */
export const isSealedKey = (v: unknown): v is string =>
  isB64(v, 200) && tryFromBase64(v)?.length === 80

export const isAccountId = (v: unknown): v is string => typeof v === 'string' && ACCOUNT_ID.test(v)

function itemShape(body: unknown): Shape {
  if (
    !exactKeys(
      body,
      ['itemId', 'seq', 'kind', 'sealed', 'blobIds'],
      ['itemId', 'seq', 'kind', 'sealed']
    )
  ) {
    return 'refused'
  }
  const ok =
    isId(body.itemId) &&
    Number.isInteger(body.seq) &&
    (body.seq as number) >= 2 &&
    (body.seq as number) < 1_000_000 &&
    (body.kind === 'message' || body.kind === 'note' || body.kind === 'attachment') &&
    isB64(body.sealed) &&
    (body.blobIds === undefined ||
      (Array.isArray(body.blobIds) &&
        body.blobIds.length >= 1 &&
        body.blobIds.length <= 50 &&
        body.blobIds.every(isId)))
  return ok ? 'ok' : 'malformed'
}

function isItemRequest(body: unknown): body is OfficerItemRequest {
  return itemShape(body) === 'ok'
}

export function parseItemRequest(body: unknown): Parsed<OfficerItemRequest> {
  if (isItemRequest(body)) return { ok: true, value: body }
  return itemShape(body) === 'refused' ? refused() : malformed('The sealed item is malformed')
}

function noteKeyShape(body: unknown): Shape {
  if (!exactKeys(body, ['notePublicKey', 'grants'])) return 'refused'
  if (
    !Array.isArray(body.grants) ||
    !body.grants.every((g) => exactKeys(g, ['officerId', 'sealedNoteKey']))
  ) {
    return 'refused'
  }
  const grants = body.grants
  const ok =
    isKey32(body.notePublicKey) &&
    grants.length >= 1 &&
    grants.length <= 100 &&
    grants.every((g) => isAccountId(g.officerId) && isSealedKey(g.sealedNoteKey))
  return ok ? 'ok' : 'malformed'
}

function isNoteKeyRequest(body: unknown): body is NoteKeyRequest {
  return noteKeyShape(body) === 'ok'
}

export function parseNoteKeyRequest(body: unknown): Parsed<NoteKeyRequest> {
  if (isNoteKeyRequest(body)) return { ok: true, value: body }
  return noteKeyShape(body) === 'refused' ? refused() : malformed('The note key is malformed')
}

function grantShape(body: unknown): Shape {
  if (!exactKeys(body, ['granteeId', 'sealedKey', 'sealedNoteKey'], ['granteeId', 'sealedKey'])) {
    return 'refused'
  }
  const ok =
    isAccountId(body.granteeId) &&
    isSealedKey(body.sealedKey) &&
    (body.sealedNoteKey === undefined || isSealedKey(body.sealedNoteKey))
  return ok ? 'ok' : 'malformed'
}

function isGrantRequest(body: unknown): body is GrantRequest {
  return grantShape(body) === 'ok'
}

export function parseGrantRequest(body: unknown): Parsed<GrantRequest> {
  if (isGrantRequest(body)) return { ok: true, value: body }
  return grantShape(body) === 'refused' ? refused() : malformed('The grant is malformed')
}

function handoverShape(body: unknown): Shape {
  if (!exactKeys(body, ['from', 'to', 'revokeFrom', 'grants'])) return 'refused'
  const grants = body.grants
  if (
    !Array.isArray(grants) ||
    !grants.every((g) =>
      exactKeys(g, ['caseId', 'sealedKey', 'sealedNoteKey'], ['caseId', 'sealedKey'])
    )
  ) {
    return 'refused'
  }
  const ok =
    isAccountId(body.from) &&
    isAccountId(body.to) &&
    body.from !== body.to &&
    typeof body.revokeFrom === 'boolean' &&
    grants.length <= 100 &&
    grants.every(
      (g) =>
        isId(g.caseId) &&
        isSealedKey(g.sealedKey) &&
        (g.sealedNoteKey === undefined || isSealedKey(g.sealedNoteKey))
    )
  return ok ? 'ok' : 'malformed'
}

function isHandoverRequest(body: unknown): body is HandoverRequest {
  return handoverShape(body) === 'ok'
}

export function parseHandoverRequest(body: unknown): Parsed<HandoverRequest> {
  if (isHandoverRequest(body)) return { ok: true, value: body }
  return handoverShape(body) === 'refused'
    ? refused()
    : malformed('The hand-over batch is malformed')
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

function intakeShape(body: unknown): Shape {
  const top = [
    'v',
    'caseId',
    'channel',
    'anonymity',
    'receivedAt',
    'casePublicKey',
    'grants',
    'answers',
    'reporter',
  ]
  if (
    !exactKeys(
      body,
      top,
      top.filter((k) => k !== 'reporter')
    )
  ) {
    return 'refused'
  }
  if (!exactKeys(body.answers, ['itemId', 'sealed'])) return 'refused'
  if (
    body.reporter !== undefined &&
    !exactKeys(body.reporter, ['boxPublicKey', 'signPublicKey', 'authKey'])
  ) {
    return 'refused'
  }
  const grants = body.grants
  if (
    !Array.isArray(grants) ||
    !grants.every((g) => exactKeys(g, ['granteeKind', 'granteeId', 'sealedKey']))
  ) {
    return 'refused'
  }
  const answers = body.answers
  const reporter = body.reporter
  const ok =
    body.v === 1 &&
    isId(body.caseId) &&
    isOneOf(INTAKE_CHANNELS, body.channel) &&
    (body.anonymity === 'anonymous' || body.anonymity === 'confidential') &&
    typeof body.receivedAt === 'string' &&
    ISO_INSTANT.test(body.receivedAt) &&
    !Number.isNaN(Date.parse(body.receivedAt)) &&
    isKey32(body.casePublicKey) &&
    isId(answers.itemId) &&
    isB64(answers.sealed) &&
    grants.length >= 1 &&
    grants.length <= 101 &&
    grants.every(
      (g) =>
        (g.granteeKind === 'officer'
          ? isAccountId(g.granteeId)
          : g.granteeKind === 'reporter' && g.granteeId === 'reporter') && isSealedKey(g.sealedKey)
    ) &&
    (reporter === undefined ||
      (isKey32(reporter.boxPublicKey) &&
        isKey32(reporter.signPublicKey) &&
        isKey32(reporter.authKey)))
  return ok ? 'ok' : 'malformed'
}

function isIntakeRequest(body: unknown): body is IntakeRequest {
  return intakeShape(body) === 'ok'
}

export function parseIntakeRequest(body: unknown): Parsed<IntakeRequest> {
  if (isIntakeRequest(body)) return { ok: true, value: body }
  return intakeShape(body) === 'refused'
    ? refused()
    : malformed('The registered report is malformed')
}
