// Files an officer attaches to a reply, an internal note or a report registered by hand: each
// encrypted here with its own key (the reporter's chunked format), uploaded to the case with the
// reporter's resumable protocol, then one 'attachment' item carrying the manifests. A note's
// files are sealed to the note key and filed as a note, so the reporter's routes never send them.
import { fromBase64, itemHash, type OfficerKeys, type ThreadHead } from '../../crypto'
import type { OfficerCaseView, OfficerItemRequest } from '../officer/api'

import { h } from './dom'
import { ApiFailure, type Api } from './http'
import { headOf } from './chain'
import { attachmentBody } from './items'
import { newItemId, sealAsOfficer } from './officer-open'
import { DEFAULT_PIECE_BYTES, uploadFile, type FileToSend, type UploadedFile } from './upload'

const MAX_SEQ_RETRIES = 8

export interface AttachTarget {
  caseId: string
  me: { accountId: string; keys: OfficerKeys }
  /** 'note': sealed to the note key and hidden from the reporter; else sealed to the case key. */
  purpose: 'reply' | 'note'
  toPublicKey: Uint8Array
  /** Highest sequence number known to be taken. */
  lastSeq: number
  /** itemHash of the item at lastSeq: the next item's `prev`. */
  lastHash: string
  /** Reads the thread again after a seq race; by default GET the case and take its head. */
  reread?: () => Promise<ThreadHead>
}

export const caseBlobsUrl = (caseId: string) => `/officer/api/cases/${caseId}/blobs`

/** The case's thread head as the server lists it now (every item, notes included). */
export async function rereadCaseHead(api: Api, caseId: string): Promise<ThreadHead> {
  const view = await api.json<OfficerCaseView>('GET', `/officer/api/cases/${caseId}`)
  return headOf(view.items)
}

/** Uploads each file in turn; `onProgress(i, sent, total)` per file. */
export async function uploadCaseFiles(
  api: Api,
  caseId: string,
  files: FileToSend[],
  onProgress?: (index: number, sent: number, total: number) => void
): Promise<UploadedFile[]> {
  const out: UploadedFile[] = []
  for (const [i, file] of files.entries()) {
    out.push(
      await uploadFile(api, file, {
        maxPieceBytes: DEFAULT_PIECE_BYTES,
        baseUrl: caseBlobsUrl(caseId),
        onProgress: (sent, total) => onProgress?.(i, sent, total),
      })
    )
  }
  return out
}

/** The item request for the uploaded files at `seq`, after the item whose hash is `prev`. */
export function attachmentRequest(
  target: AttachTarget,
  files: UploadedFile[],
  seq: number,
  itemId = newItemId(),
  prev = target.lastHash
): OfficerItemRequest {
  return {
    itemId,
    seq,
    kind: target.purpose === 'note' ? 'note' : 'attachment',
    sealed: sealAsOfficer(
      target.caseId,
      target.me,
      'attachment',
      attachmentBody(files),
      seq,
      prev,
      target.toPublicKey,
      itemId
    ),
    blobIds: files.map((f) => f.blobId),
  }
}

/** POSTs the attachment item, sealing again for the next number when someone wrote first. */
export async function addAttachmentItem(
  api: Api,
  target: AttachTarget,
  files: UploadedFile[]
): Promise<number> {
  const itemId = newItemId()
  let at: ThreadHead = { seq: target.lastSeq, hash: target.lastHash }
  for (let attempt = 0; ; attempt++) {
    const seq = at.seq + 1
    const req = attachmentRequest(target, files, seq, itemId, at.hash)
    try {
      await api.json('POST', `/officer/api/cases/${target.caseId}/items`, req)
      target.lastSeq = seq
      target.lastHash = itemHash(fromBase64(req.sealed))
      return seq
    } catch (e) {
      const taken =
        e instanceof ApiFailure &&
        e.status === 409 &&
        e.code === ('seq-taken' as ApiFailure['code'])
      if (!taken || attempt >= MAX_SEQ_RETRIES) throw e
      // Someone wrote first: seal again after the item now at the head.
      at = await (target.reread ?? (() => rereadCaseHead(api, target.caseId)))()
    }
  }
}

/** A multiple file input with its label, and an area for the upload progress bars. */
export function fileField(
  id: string,
  label: string
): { field: HTMLElement; input: HTMLInputElement; progress: HTMLElement } {
  const input = h('input', { type: 'file', id, name: 'files', multiple: true })
  const progress = h('div', { class: 'js-upload-progress' })
  const field = h('div', { class: 'field' }, h('label', { for: id }, label), input, progress)
  return { field, input, progress }
}

/** Uploads with one labelled <progress> per file, then adds the attachment item. */
export async function attachWithProgress(
  api: Api,
  target: AttachTarget,
  files: File[],
  area: HTMLElement | null,
  label: (name: string) => string
): Promise<number> {
  const bars = files.map((f) => {
    const bar = h('progress', { class: 'upload-progress', max: Math.max(f.size, 1), value: 0 })
    bar.setAttribute('aria-label', label(f.name))
    return { bar, row: h('p', { class: 'js-progress' }, h('span', {}, label(f.name)), ' ', bar) }
  })
  area?.replaceChildren(...bars.map((b) => b.row))
  const uploaded = await uploadCaseFiles(
    api,
    target.caseId,
    files.map((f) => ({ data: f, name: f.name, type: f.type })),
    (i, sent, total) => {
      const b = bars[i]?.bar
      if (!b) return
      b.max = Math.max(total, 1)
      b.value = sent
      // For tests and assistive tech alike: the last reported byte count.
      b.dataset.sent = String(sent)
    }
  )
  return addAttachmentItem(api, target, uploaded)
}
