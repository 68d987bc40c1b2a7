// The thread as the reporter reads and adds to it: sealed for the browser (JS path), or opened
// here with the session's unlocked keys and checked link by link (no-JS path).
import { fromBase64, toBase64 } from '../../crypto/encoding'
import {
  itemHash,
  openItem,
  verifyThread,
  type Envelope,
  type ThreadHead,
  type ThreadReport,
} from '../../crypto/item'
import { caseKeyPairFromSecret } from '../../crypto/keys'
import { DuplicateError, type CaseRecord } from '../store/types'
import { caseAcknowledgement } from './acknowledgement'
import type { AddItemRequest, CaseView } from './api'
import { storedHead, type SessionSecrets } from './chain'
import type { ReporterContext } from './context'
import { officerAuthors, publicOnly, toItemView, type OpenedThreadItem } from './items'
import { fail, type Outcome } from './outcome'
import type { ReporterWriter } from './writer'

export function createReporterThread(
  { store, clock, directory, rules }: ReporterContext,
  { sealAndInsert, storeFilesServerSide }: ReporterWriter
) {
  const { certificates } = directory

  async function caseView(c: CaseRecord): Promise<CaseView> {
    const grant = await store.grants.get(c.id, 'reporter', 'reporter')
    const all = await store.items.list(c.id)
    const items = all.filter((i) => i.kind !== 'note')
    const signers = await certificates.signerMaterial(officerAuthors(items))
    if (c.unreadForReporter) {
      await store.cases
        .update(c.id, c.version, { unreadForReporter: false }, clock.now())
        .catch(() => undefined)
    }
    return {
      caseId: c.id,
      state: c.state,
      ...(c.outcome ? { outcome: c.outcome } : {}),
      encMode: c.encMode,
      casePublicKey: c.casePublicKey,
      grant: grant ? toBase64(grant.sealedKey) : '',
      ...signers,
      reporterSignPublicKey: c.reporterSignPublicKey ?? '',
      lastSeq: c.lastSeq,
      items: items.map(toItemView),
      internalSeqs: all.filter((i) => i.kind === 'note').map((i) => i.seq),
      internalItems: all
        .filter((i) => i.kind === 'note')
        .map((i) => ({ seq: i.seq, hash: itemHash(i.sealed) })),
      acknowledgement: caseAcknowledgement(c, rules),
    }
  }

  /** No-JS reading: open every item, checking signatures, order, chain and the `seen` head. */
  async function openThread(
    c: CaseRecord,
    caseSecretKey: Uint8Array,
    seen?: ThreadHead
  ): Promise<{ items: OpenedThreadItem[]; gaps: boolean; report: ThreadReport }> {
    const all = await store.items.list(c.id)
    const items = all.filter((i) => i.kind !== 'note')
    // Only keys the org certified for the author at the item's createdAt (crypto/PROTOCOL.md §14).
    const officerKey = certificates.signerLookup(
      await certificates.signerMaterial(officerAuthors(items))
    )
    const casePk = publicOnly(caseKeyPairFromSecret(caseSecretKey))
    const reporterPk = c.reporterSignPublicKey ? fromBase64(c.reporterSignPublicKey) : undefined
    const opened: OpenedThreadItem[] = items.map((item) => {
      try {
        const r = openItem(item.sealed, casePk, caseSecretKey, {
          caseId: c.id,
          seq: item.seq,
          itemId: item.id,
          signerPublicKey: (author, envelope) =>
            author.role === 'reporter' ? reporterPk : officerKey(author, envelope.createdAt),
        })
        return { item, envelope: r.envelope, verified: r.verified }
      } catch (err) {
        return { item, verified: false, problem: (err as { code?: string }).code ?? 'open-failed' }
      }
    })
    // Officers' internal notes share the sequence but are never sent here: count them as present.
    const notes = all
      .filter((i) => i.kind === 'note')
      .map((i) => ({ caseId: c.id, itemId: i.id, seq: i.seq, hash: itemHash(i.sealed) }))
    const links = opened.flatMap((o) =>
      o.envelope ? [{ ...o.envelope, hash: itemHash(o.item.sealed) }] : []
    )
    const thread = [...links, ...notes].sort((x, y) => x.seq - y.seq)
    const report = verifyThread(thread, { minLastSeq: c.lastSeq, ...(seen ? { seen } : {}) })
    return { items: opened, gaps: !report.ok, report }
  }

  /** Adds a sealed item from the JS path after checking its shape and any blobs it names. */
  async function addSealedItem(
    caseId: string,
    req: AddItemRequest
  ): Promise<Outcome<{ seq: number }>> {
    for (const blobId of req.blobIds ?? []) {
      const info = await store.blobs.info(blobId)
      if (!info || info.caseId !== caseId || !info.complete) {
        return fail(400, 'incomplete', `Upload ${blobId} is not complete`)
      }
    }
    try {
      await store.items.insertAt({
        caseId,
        seq: req.seq,
        id: req.itemId,
        kind: req.kind,
        authorRole: 'reporter',
        encMode: 'client',
        sealed: fromBase64(req.sealed),
        createdAt: clock.now(),
      })
    } catch (err) {
      if (err instanceof DuplicateError) {
        const c = await store.cases.get(caseId)
        return fail(409, 'seq-taken', 'Someone else wrote first; seal again with the next number', {
          lastSeq: c?.lastSeq ?? 0,
        })
      }
      throw err
    }
    return { ok: true, value: { seq: req.seq } }
  }

  /** No-JS follow-up: seal a message (and files) here with the session's unlocked keys. */
  async function addServerSideMessage(
    c: CaseRecord,
    unlocked: SessionSecrets,
    text: string,
    files: File[]
  ): Promise<void> {
    const now = clock.now()
    const casePk = publicOnly(caseKeyPairFromSecret(unlocked.caseSecretKey))
    const manifests = files.length > 0 ? await storeFilesServerSide(c.id, files, now) : []
    // Retry on a sequence race with an officer writing at the same moment: re-read the head.
    const write = async (kind: 'message' | 'attachment', body: Envelope['body']) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const head = await storedHead(store, c.id)
        try {
          return await sealAndInsert(
            c.id,
            head.seq + 1,
            head.hash,
            kind,
            body,
            casePk,
            unlocked.signSecretKey,
            'server',
            now
          )
        } catch (err) {
          if (!(err instanceof DuplicateError)) throw err
        }
      }
      throw new Error('could not find a free sequence number')
    }
    if (text) await write('message', { text })
    if (manifests.length > 0) await write('attachment', { files: manifests })
  }

  return { caseView, openThread, addSealedItem, addServerSideMessage }
}
