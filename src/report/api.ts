// The reporter's JSON API, shared by the server routes (src/routes/reporter-api.ts) and the
// browser bundles (src/browser/). Types only: no runtime code, so the browser can import it. The
// request types are inferred from the boundary's schemas (./requests.ts).
//
// Everything binary is base64 (standard alphabet, with padding). The server never receives
// plaintext on these routes: a request that carries any field not listed here is refused
// with 400 { error: 'plaintext-field' }.
//
// Proof of work: POST /api/report and POST /api/status/login need an X-Proof-Of-Work header
// (GET /api/work?purpose=submit|receipt; crypto/pow.ts) unless the server's difficulty is 0.
//
// Authentication: POST /api/report and POST /api/status/login answer with a bearer `token`;
// every /api/r/* route needs `Authorization: Bearer <token>`. No cookie is set on this path.
import type { z } from 'zod'
import type {
  addItemRequest,
  grantInput,
  statusLoginRequest,
  submitReportRequest,
} from './requests'

/** Embedded in the report and status pages as <script type="application/json" id="portal-config">. */
export interface ReporterPageConfig {
  /**
   * Officers the case key must be granted to: all of them, no more, no fewer. The browser seals
   * to an officer only if `certificate` verifies against orgPublicKey and names exactly these keys.
   */
  officers: {
    id: string
    boxPublicKey: string
    signPublicKey: string
    fingerprint: string
    certificate: string
  }[]
  /** base64 Ed25519 organisation key (the anchored one; its fingerprint is on the receipt page). */
  orgPublicKey?: string
  /** Public salt of the receipt derivation (hex). */
  deploymentSalt: string
  maxFileBytes: number
  maxReportBytes: number
  /** Pieces of an upload: whole encrypted 64 KiB chunks, at most this many bytes per PUT. */
  maxPieceBytes: number
  /** Single-use token for POST /api/report (also in the no-JS form as `formToken`). */
  formToken?: string
  lang: 'uk' | 'en'
}

export type GrantInput = z.infer<typeof grantInput>

/** POST /api/report → 201 SubmitReportResponse. */
export type SubmitReportRequest = z.infer<typeof submitReportRequest>

export interface SubmitReportResponse {
  caseId: string
  token: string
  lastSeq: number
  /** What the reporter may print: when it arrived and the dates the clocks promise. */
  acknowledgement: Acknowledgement
}

/** The deadline clocks a reporter is told about (src/report/acknowledgement.ts). */
export type ExpectedKind = 'acknowledge' | 'preliminary-review' | 'feedback'

/**
 * The printable acknowledgement: the date received, the registration number once an officer
 * has assigned one, and by when the reporter can expect an acknowledgement and a response,
 * from the case's own deadline clocks (ISO instants; pages show them as Kyiv dates).
 */
export interface Acknowledgement {
  receivedAt: string
  registrationNo?: string
  expected: { kind: ExpectedKind; dueAt: string; metAt?: string }[]
}

/** POST /api/status/login { authKey } → 200 CaseView (with token) | 401 { error: 'no-match' } | 429. */
export type StatusLoginRequest = z.infer<typeof statusLoginRequest>

export interface ItemView {
  seq: number
  id: string
  kind: 'answers' | 'message' | 'note' | 'attachment'
  authorRole: 'reporter' | 'officer' | 'system'
  authorId?: string
  encMode: 'client' | 'server'
  sealed: string
  createdAt: string
}

/** GET /api/r/case → 200 CaseView (the reporter's view: internal notes are never included). */
export interface CaseView {
  token?: string
  caseId: string
  /** Plain-words status key: 'received' | 'preliminary-review' | 'investigation' | 'referred' | 'closed'. */
  state: string
  outcome?: string
  encMode: 'client' | 'server'
  casePublicKey: string
  /** The reporter's grant: seal(caseSecretKey, reporterBoxPublicKey). */
  grant: string
  /**
   * The org key and its signed statements about the officers who wrote in the thread: an
   * officer's item verifies only against a key certified (and not revoked) at its createdAt.
   */
  orgPublicKey?: string
  certificates: string[]
  revocations: string[]
  reporterSignPublicKey: string
  lastSeq: number
  items: ItemView[]
  /** Sequence numbers taken by officers' internal notes, which are never sent to the reporter. */
  internalSeqs: number[]
  /**
   * The same notes with the itemHash of their ciphertext, so the reporter can check the next
   * item's link and write after a note (the hash is the server's word: the reporter cannot
   * open a note to check it).
   */
  internalItems: { seq: number; hash: string }[]
  /** Received date, registration number and expected dates (absent from older servers). */
  acknowledgement?: Acknowledgement
}

/**
 * Attachment upload (resumable, idempotent):
 *   POST /api/r/blobs { blobId }                → 201 (begin; 409 if the id exists)
 *   GET  /api/r/blobs/:blobId                   → 200 { pieces: number[] } (what arrived so far)
 *   PUT  /api/r/blobs/:blobId/:index            → 204 (application/octet-stream, ≤ maxPieceBytes;
 *                                                 repeating a piece is a no-op)
 *   POST /api/r/blobs/:blobId/complete { count } → 200 { size, sha256 }
 *   GET  /api/r/blobs/:blobId/data              → 200 the ciphertext (application/octet-stream)
 * Then the manifest goes in as an item:
 *   POST /api/r/items AddItemRequest → 201 { seq } | 409 { error: 'seq-taken', lastSeq }
 */
export interface BeginUploadRequest {
  /** 16 random bytes, base64url (22 characters). */
  blobId: string
}

export type AddItemRequest = z.infer<typeof addItemRequest>

export interface ApiError {
  error:
    | 'bad-request'
    | 'not-found'
    | 'plaintext-field'
    | 'no-officer'
    | 'officers-changed'
    | 'duplicate'
    | 'form-expired'
    | 'no-match'
    | 'slow-down'
    | 'unauthorized'
    | 'seq-taken'
    | 'too-large'
    | 'incomplete'
    | 'unavailable'
    // Proof of work refused (src/report/work.ts): the browser does new work and may try again.
    | 'work-missing'
    | 'work-malformed'
    | 'work-wrong-purpose'
    | 'work-expired'
    | 'work-insufficient'
    | 'work-reused'
  message: string
  lastSeq?: number
}
