// Opening the reporter's view of a case: the grant with the receipt's box key, then every item
// with the case key, each signature checked against who claims to have written it, then the
// sequence as a whole. Problems are reported per item, never hidden.
import {
  certifiedSignerLookup,
  fromBase64,
  isCryptoError,
  openGrant,
  openItem,
  verifyThread,
  type Author,
  type Envelope,
  type ReceiptKeys,
  type ThreadHead,
  type ThreadLink,
  type ThreadReport,
} from '../../crypto'
import type { CaseView, ItemView } from '../report/api'

import { hashOfSealed } from './chain'

export type ItemProblem = 'unverified' | 'unreadable'

export interface ThreadEntry {
  view: ItemView
  envelope?: Envelope
  problem?: ItemProblem
}

export interface OpenedCase {
  caseSecretKey: Uint8Array
  casePublicKey: Uint8Array
  entries: ThreadEntry[]
  report: ThreadReport
}

/**
 * Signer lookup: the reporter's own items must verify with the key derived from the receipt (not
 * with whatever the server says), an officer's only with a key the org key certified for that
 * officer, unrevoked, at the item's createdAt.
 */
export function signerLookup(view: CaseView, keys: ReceiptKeys) {
  const officer = certifiedSignerLookup(
    view.orgPublicKey ? fromBase64(view.orgPublicKey) : undefined,
    view.certificates ?? [],
    view.revocations ?? []
  )
  return (author: Author, envelope: Envelope): Uint8Array | undefined => {
    if (author.role === 'reporter') return keys.sign.publicKey
    return officer(author, envelope.createdAt)
  }
}

/** `seen`: the head this reader saw before (the high-water mark), to catch a cut tail. */
export function openCase(
  view: CaseView,
  keys: ReceiptKeys,
  minLastSeq = 0,
  seen?: ThreadHead
): OpenedCase {
  const casePublicKey = fromBase64(view.casePublicKey)
  const caseSecretKey = openGrant(
    fromBase64(view.grant),
    keys.box.publicKey,
    keys.box.secretKey,
    casePublicKey
  )
  const lookup = signerLookup(view, keys)
  const entries = [...view.items]
    .sort((a, b) => a.seq - b.seq)
    .map((item) => openEntry(item, view.caseId, casePublicKey, caseSecretKey, lookup))
  // Items that did not open count under the number the server filed them, so they show up as
  // problems rather than gaps. Officers' internal notes are never sent to the reporter; the
  // server names their numbers and hashes (internalItems), which count as present.
  const seqs: ThreadLink[] = entries.map((e) => ({
    caseId: e.envelope?.caseId ?? view.caseId,
    itemId: e.envelope?.itemId ?? e.view.id,
    seq: e.envelope?.seq ?? e.view.seq,
    hash: hashOfSealed(e.view.sealed),
    ...(e.envelope ? { v: e.envelope.v, prev: e.envelope.prev } : {}),
  }))
  const hashed = view.internalItems ?? []
  const notes = [
    ...hashed,
    ...(view.internalSeqs ?? [])
      .filter((seq) => !hashed.some((n) => n.seq === seq))
      .map((seq) => ({ seq, hash: '' })),
  ]
  for (const { seq, hash } of notes) {
    if (Number.isSafeInteger(seq)) {
      seqs.push({ caseId: view.caseId, itemId: `note:${seq}`, seq, ...(hash ? { hash } : {}) })
    }
  }
  seqs.sort((a, b) => a.seq - b.seq)
  const report = verifyThread(seqs, {
    minLastSeq: Math.max(minLastSeq, view.lastSeq),
    ...(seen ? { seen } : {}),
  })
  return { caseSecretKey, casePublicKey, entries, report }
}

function openEntry(
  item: ItemView,
  caseId: string,
  cpk: Uint8Array,
  csk: Uint8Array,
  lookup: (a: Author, e: Envelope) => Uint8Array | undefined
): ThreadEntry {
  if (item.kind === 'note') return { view: item }
  try {
    const { envelope, verified } = openItem(fromBase64(item.sealed), cpk, csk, {
      caseId,
      seq: item.seq,
      itemId: item.id,
      signerPublicKey: lookup,
    })
    // What the server filed the item as must agree with what its author signed.
    const consistent = envelope.author.role === item.authorRole && envelope.type === item.kind
    return { view: item, envelope, ...(verified && consistent ? {} : { problem: 'unverified' }) }
  } catch (e) {
    // A bad signature still opened: show it, but marked. Anything else could not be read.
    if (isCryptoError(e, 'bad-signature')) {
      return { view: item, envelope: openUnchecked(item, caseId, cpk, csk), problem: 'unverified' }
    }
    return { view: item, problem: 'unreadable' }
  }
}

function openUnchecked(
  item: ItemView,
  caseId: string,
  cpk: Uint8Array,
  csk: Uint8Array
): Envelope | undefined {
  try {
    return openItem(fromBase64(item.sealed), cpk, csk, { caseId }).envelope
  } catch {
    return undefined
  }
}
