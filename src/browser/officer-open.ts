// The officer's crypto in the browser, without DOM: opening a case (case key from my grant,
// internal notes with the officers-only note key), titles for the inbox, sealing replies and
// notes, making a case's note key, and re-sealing keys for a colleague. Pure functions of their
// inputs, so the unit tests run the exact code the page runs.
import {
  certifiedSignerLookup,
  fromBase64,
  generateCaseKeyPair,
  grantCaseKey,
  isCryptoError,
  openGrant,
  openItem,
  sealItem,
  toBase64,
  toBase64Url,
  defaultRandom,
  verifyThread,
  type Author,
  type Envelope,
  type JsonValue,
  type KeyPair,
  type OfficerKeys,
  type ThreadHead,
  type ThreadLink,
  type ThreadReport,
} from '../../crypto'
import type {
  CaseTitleView,
  ItemView,
  NoteKeyRequest,
  OfficerCaseView,
  OfficerItemRequest,
  SignerMaterial,
} from '../officer/api'

import { hashOfSealed } from './chain'

export type EntryProblem = 'unverified' | 'unreadable' | 'locked'

export interface OfficerEntry {
  view: ItemView
  envelope?: Envelope
  problem?: EntryProblem
}

export interface OpenedOfficerCase {
  casePublicKey: Uint8Array
  caseSecretKey: Uint8Array
  /** Present when the case has a note key and I was given it. */
  noteKeys?: KeyPair
  entries: OfficerEntry[]
  report: ThreadReport
}

export function newItemId(): string {
  return toBase64Url(defaultRandom(16))
}

/**
 * Officers' items verify only against keys the org key certified for them at the item's
 * createdAt; the server's say-so (an account row with a key) is not enough.
 */
function signerLookup(view: Pick<OfficerCaseView, 'reporterSignPublicKey' | keyof SignerMaterial>) {
  const officer = certifiedSignerLookup(
    view.orgPublicKey ? fromBase64(view.orgPublicKey) : undefined,
    view.certificates ?? [],
    view.revocations ?? []
  )
  return (author: Author, envelope: Envelope): Uint8Array | undefined => {
    if (author.role === 'reporter') {
      return view.reporterSignPublicKey ? fromBase64(view.reporterSignPublicKey) : undefined
    }
    return officer(author, envelope.createdAt)
  }
}

function openEntry(
  item: ItemView,
  caseId: string,
  key: KeyPair | undefined,
  lookup: (a: Author, e: Envelope) => Uint8Array | undefined
): OfficerEntry {
  if (!key) return { view: item, problem: 'locked' }
  try {
    const { envelope, verified } = openItem(fromBase64(item.sealed), key.publicKey, key.secretKey, {
      caseId,
      seq: item.seq,
      itemId: item.id,
      signerPublicKey: lookup,
    })
    // What the server filed must agree with what the author signed.
    const consistent =
      envelope.author.role === item.authorRole &&
      (envelope.type === item.kind ||
        // A note's files: filed as a note so the reporter never gets them.
        (item.kind === 'note' && envelope.type === 'attachment')) &&
      (item.authorRole !== 'officer' || envelope.author.id === item.authorId)
    return { view: item, envelope, ...(verified && consistent ? {} : { problem: 'unverified' }) }
  } catch (e) {
    if (isCryptoError(e, 'bad-signature')) {
      try {
        const envelope = openItem(fromBase64(item.sealed), key.publicKey, key.secretKey, {
          caseId,
        }).envelope
        return { view: item, envelope, problem: 'unverified' }
      } catch {
        return { view: item, problem: 'unreadable' }
      }
    }
    return { view: item, problem: 'unreadable' }
  }
}

/**
 * Opens my grant (checked against the case public key), then every item, then the sequence and
 * its hash chain; `seen` is the head I saw on an earlier visit (the high-water mark).
 */
export function openOfficerCase(
  view: OfficerCaseView,
  keys: OfficerKeys,
  seen?: ThreadHead
): OpenedOfficerCase {
  const casePublicKey = fromBase64(view.casePublicKey)
  const caseSecretKey = openGrant(
    fromBase64(view.grant),
    keys.box.publicKey,
    keys.box.secretKey,
    casePublicKey
  )
  let noteKeys: KeyPair | undefined
  if (view.notePublicKey && view.noteGrant) {
    const notePublicKey = fromBase64(view.notePublicKey)
    try {
      const secretKey = openGrant(
        fromBase64(view.noteGrant),
        keys.box.publicKey,
        keys.box.secretKey,
        notePublicKey
      )
      noteKeys = { publicKey: notePublicKey, secretKey }
    } catch {
      // A note grant that does not match the note key: notes stay locked, the thread still opens.
    }
  }
  const lookup = signerLookup(view)
  const caseKeys = { publicKey: casePublicKey, secretKey: caseSecretKey }
  const entries = [...view.items]
    .sort((a, b) => a.seq - b.seq)
    .map((item) => openEntry(item, view.caseId, item.kind === 'note' ? noteKeys : caseKeys, lookup))
  const seqs: ThreadLink[] = entries.map((e) => ({
    caseId: e.envelope?.caseId ?? view.caseId,
    itemId: e.envelope?.itemId ?? e.view.id,
    seq: e.envelope?.seq ?? e.view.seq,
    hash: hashOfSealed(e.view.sealed),
    ...(e.envelope ? { v: e.envelope.v, prev: e.envelope.prev } : {}),
  }))
  const report = verifyThread(seqs, { minLastSeq: view.lastSeq, ...(seen ? { seen } : {}) })
  return { casePublicKey, caseSecretKey, ...(noteKeys ? { noteKeys } : {}), entries, report }
}

const TITLE_MAX = 90

/** A short title from the report's first item: the officer's summary, else its first line. */
export function titleOf(envelope: Envelope | undefined): string | null {
  const body = (envelope?.body ?? null) as {
    title?: unknown
    answers?: Record<string, unknown>
  } | null
  if (!body || typeof body !== 'object') return null
  const answers = body.answers && typeof body.answers === 'object' ? body.answers : {}
  // Sealed items are canonical JSON (keys sorted), so the form's order is lost: "what happened"
  // comes first by name, not whichever answer sorts first (e.g. how_known: "witness").
  const first = [answers.what, ...Object.values(answers)].find(
    (v) => typeof v === 'string' && v.trim()
  )
  const text = typeof body.title === 'string' && body.title.trim() ? body.title : first
  if (typeof text !== 'string') return null
  const line = text.trim().split('\n')[0]!.trim()
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line
}

/** The inbox title of one case; null when it cannot be opened (shown as such, never guessed). */
export function openTitle(
  view: CaseTitleView,
  keys: OfficerKeys
): { title: string | null; ok: boolean } {
  if (!view.first) return { title: null, ok: true }
  try {
    const casePublicKey = fromBase64(view.casePublicKey)
    const secretKey = openGrant(
      fromBase64(view.grant),
      keys.box.publicKey,
      keys.box.secretKey,
      casePublicKey
    )
    const entry = openEntry(
      view.first,
      view.caseId,
      { publicKey: casePublicKey, secretKey },
      signerLookup(view)
    )
    secretKey.fill(0)
    return { title: titleOf(entry.envelope), ok: !!entry.envelope }
  } catch {
    return { title: null, ok: false }
  }
}

/** An item of `type` signed as me and sealed to `toPublicKey`, base64; `prev` as in sealItem. */
export function sealAsOfficer(
  caseId: string,
  me: { accountId: string; keys: OfficerKeys },
  type: 'answers' | OfficerItemRequest['kind'],
  body: JsonValue,
  seq: number,
  prev: string,
  toPublicKey: Uint8Array,
  itemId: string
): string {
  const sealed = sealItem(
    {
      caseId,
      itemId,
      seq,
      prev,
      author: { role: 'officer', id: me.accountId },
      createdAt: new Date().toISOString(),
      type,
      body,
    },
    toPublicKey,
    me.keys.sign.secretKey
  )
  return toBase64(sealed)
}

/** A reply (sealed to the case key) or a note (sealed to the note key), signed as me, after `at`. */
export function sealOfficerItem(
  caseId: string,
  me: { accountId: string; keys: OfficerKeys },
  kind: OfficerItemRequest['kind'],
  body: JsonValue,
  at: ThreadHead,
  toPublicKey: Uint8Array,
  itemId = newItemId()
): OfficerItemRequest {
  const seq = at.seq + 1
  return {
    itemId,
    seq,
    kind,
    sealed: sealAsOfficer(caseId, me, kind, body, seq, at.hash, toPublicKey, itemId),
  }
}

/** A fresh note key for the case, sealed to every officer holding it (never to the reporter). */
export function makeNoteKey(view: Pick<OfficerCaseView, 'grantees'>): {
  request: NoteKeyRequest
  keys: KeyPair
} {
  const keys = generateCaseKeyPair()
  const request: NoteKeyRequest = {
    notePublicKey: toBase64(keys.publicKey),
    grants: view.grantees.map((g) => ({
      officerId: g.id,
      sealedNoteKey: toBase64(grantCaseKey(keys.secretKey, fromBase64(g.boxPublicKey))),
    })),
  }
  return { request, keys }
}

/** The keys I hold for a case, sealed again for a colleague's box key. */
export function resealFor(
  granteeBoxPublicKey: string,
  mine: { grant: string; casePublicKey: string; noteGrant?: string; notePublicKey?: string },
  keys: OfficerKeys
): { sealedKey: string; sealedNoteKey?: string } {
  const to = fromBase64(granteeBoxPublicKey)
  const csk = openGrant(
    fromBase64(mine.grant),
    keys.box.publicKey,
    keys.box.secretKey,
    fromBase64(mine.casePublicKey)
  )
  const sealedKey = toBase64(grantCaseKey(csk, to))
  csk.fill(0)
  if (!mine.noteGrant || !mine.notePublicKey) return { sealedKey }
  const nsk = openGrant(
    fromBase64(mine.noteGrant),
    keys.box.publicKey,
    keys.box.secretKey,
    fromBase64(mine.notePublicKey)
  )
  const sealedNoteKey = toBase64(grantCaseKey(nsk, to))
  nsk.fill(0)
  return { sealedKey, sealedNoteKey }
}
