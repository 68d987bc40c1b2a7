// JSON between the officer's pages (src/browser/officer-*.ts) and src/routes/officer-api.ts.
// Types only, so the browser bundle can import them; the request types are inferred from the
// boundary's schemas (./validate.ts). Binary values are base64; the server
// receives ciphertext, public keys and sealed grants on these routes, never plaintext.
import type { z } from 'zod'
import type { ItemView } from '../report/api'
import type {
  grantRequest,
  handoverRequest,
  intakeRequest,
  noteKeyRequest,
  officerItemRequest,
} from './validate'

export type { ItemView }

/** Page data of every officer page: <script type="application/json" id="officer-config">. */
export interface OfficerPageConfig {
  lang: 'uk' | 'en'
  /** The signed-in officer's account id: whose grants the browser opens. */
  accountId: string
  /** Where to unlock keys when this tab has none. */
  unlockUrl: string
  /** Strings the scripts show, from the server's dictionary (src/i18n, section officer.js). */
  strings: Record<string, string>
  page:
    | { kind: 'inbox' }
    | { kind: 'case'; caseId: string; version: number }
    | {
        kind: 'intake'
        officers: OfficerKey[]
        orgPublicKey?: string
        deploymentSalt: string
        channels: string[]
      }
    | { kind: 'access'; caseId: string; officers: OfficerKey[]; orgPublicKey?: string }
    | { kind: 'handover'; officers: OfficerKey[]; orgPublicKey?: string }
    | { kind: 'plain' }
}

export interface OfficerKey {
  id: string
  displayName: string
  boxPublicKey: string
  signPublicKey: string
  fingerprint: string
  /** Org-signed certificate of these keys; the browser verifies it before sealing to them. */
  certificate: string
}

/**
 * The org key (the server's anchored one) and its signed statements about the officers who wrote:
 * an officer's item verifies only against a key certified, and not revoked, at its createdAt.
 */
export interface SignerMaterial {
  orgPublicKey?: string
  certificates: string[]
  revocations: string[]
}

/** GET /officer/api/cases/:caseId: everything the browser needs to open the whole case. */
export interface OfficerCaseView extends SignerMaterial {
  caseId: string
  casePublicKey: string
  /** seal(caseSecretKey, my box key). */
  grant: string
  /** Present once the case has an officers-only note key. */
  notePublicKey?: string
  /** seal(noteSecretKey, my box key), when I have been given the note key. */
  noteGrant?: string
  reporterSignPublicKey?: string
  /** Names of the officers who wrote in the thread (their keys come only from certificates). */
  signers: { id: string; displayName: string }[]
  /** Officers holding a grant: the note key is sealed to each of them when it is made. */
  grantees: { id: string; displayName: string; boxPublicKey: string; hasNoteKey: boolean }[]
  lastSeq: number
  /** Every item, internal notes included (sealed to the note key, not the case key). */
  items: ItemView[]
}

/** GET /officer/api/titles?ids=…: the first item of each case, to show a title in the inbox. */
export interface CaseTitleView extends SignerMaterial {
  caseId: string
  casePublicKey: string
  grant: string
  reporterSignPublicKey?: string
  first?: ItemView
}

/**
 * POST /officer/api/cases/:caseId/items → 201 { seq } | 409 { error: 'seq-taken', lastSeq }.
 * A note's files are filed as kind 'note' (envelope type 'attachment', sealed to the note key),
 * so the reporter's routes, which leave out every note, never send them.
 */
/**
 * POST /officer/api/cases/:caseId/items → 201 { seq } | 409 { error: 'seq-taken', lastSeq }.
 * A note's files are filed as kind 'note' (envelope type 'attachment', sealed to the note key),
 * so the reporter's routes, which leave out every note, never send them.
 */
export type OfficerItemRequest = z.infer<typeof officerItemRequest>

/*
 * Attachment upload to a case I hold, as the reporter's (src/report/api.ts):
 *   POST /officer/api/cases/:caseId/blobs { blobId }                → 201 (409 if the id exists)
 *   GET  /officer/api/cases/:caseId/blobs/:blobId                   → 200 { pieces, complete }
 *   PUT  /officer/api/cases/:caseId/blobs/:blobId/:index            → 204 (octet-stream)
 *   POST /officer/api/cases/:caseId/blobs/:blobId/complete { count } → 200 { size, sha256 }
 */

/** POST /officer/api/cases/:caseId/note-key → 201 | 409 { error: 'note-key-exists' }. */
/** POST /officer/api/cases/:caseId/note-key → 201 | 409 { error: 'note-key-exists' }. */
export type NoteKeyRequest = z.infer<typeof noteKeyRequest>

/** POST /officer/api/cases/:caseId/grants → 201. */
/** POST /officer/api/cases/:caseId/grants → 201. */
export type GrantRequest = z.infer<typeof grantRequest>

/** GET /officer/api/handover?from=&to=&after= → the next batch of a leaver's cases. */
export interface HandoverBatch {
  items: {
    caseId: string
    casePublicKey: string
    /** My own grant, to open the case key; absent when I hold none (the case is skipped). */
    grant?: string
    notePublicKey?: string
    noteGrant?: string
    /** The receiving officer holds a grant already (an earlier, interrupted run). */
    done: boolean
  }[]
  /** Case id cursor for the next batch; absent at the end. */
  next?: string
  total: number
}

/** POST /officer/api/handover → 200 { granted, revoked }. */
/** POST /officer/api/handover → 200 { granted, revoked }. */
export type HandoverRequest = z.infer<typeof handoverRequest>

/**
 * POST /officer/api/intake → 201 { caseId }. A report received by phone, paper, in person…,
 * sealed in the officer's browser exactly like a web report; the answers item is signed by the
 * officer. With a receipt, the reporter's keys come along so they can use /status later.
 */
/**
 * POST /officer/api/intake → 201 { caseId }. A report received by phone, paper, in person…,
 * sealed in the officer's browser exactly like a web report; the answers item is signed by the
 * officer. With a receipt, the reporter's keys come along so they can use /status later.
 */
export type IntakeRequest = z.infer<typeof intakeRequest>

export interface OfficerApiError {
  error:
    | 'bad-request'
    | 'plaintext-field'
    | 'not-found'
    | 'seq-taken'
    | 'note-key-exists'
    | 'no-note-key'
    | 'not-an-officer'
    | 'officers-changed'
    | 'duplicate'
    | 'last-grant'
    | 'unauthorized'
    | 'forbidden'
    | 'incomplete'
    | 'too-large'
  message: string
  lastSeq?: number
}
