import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import {
  generateCaseKeyPair,
  grantCaseKey,
  itemHash,
  sealItem,
  toBase64,
  type ReceiptKeys,
} from '../../../crypto'
import { openCase } from '../../../src/browser/thread'
import type { CaseView, ItemView } from '../../../src/report/api'

const keys: ReceiptKeys = {
  authKey: nacl.randomBytes(32),
  box: nacl.box.keyPair(),
  sign: nacl.sign.keyPair(),
}
const officerSign = nacl.sign.keyPair()
const caseKeys = generateCaseKeyPair()
const caseId = 'case-abc'
/** The last item sealed at each seq, so that a helper item names its predecessor by default. */
const sealedAt = new Map<number, Uint8Array>()

function item(
  seq: number,
  role: 'reporter' | 'officer',
  type: ItemView['kind'],
  body: unknown,
  signer: Uint8Array,
  opts: { caseId?: string; prev?: string } = {}
): ItemView {
  const id = `item-${seq}`
  const before = sealedAt.get(seq - 1)
  const prev = opts.prev ?? (seq === 1 ? '' : itemHash(before ?? new Uint8Array(0)))
  const sealed = sealItem(
    {
      caseId: opts.caseId ?? caseId,
      itemId: id,
      seq,
      prev,
      author: role === 'officer' ? { role, id: 'off-1' } : { role },
      createdAt: '2026-03-02T09:00:00.000Z',
      type,
      body: body as never,
    },
    caseKeys.publicKey,
    signer
  )
  sealedAt.set(seq, sealed)
  return {
    seq,
    id,
    kind: type,
    authorRole: role,
    ...(role === 'officer' ? { authorId: 'off-1' } : {}),
    encMode: 'client',
    sealed: toBase64(sealed),
    createdAt: '2026-03-02T09:00:00.000Z',
  }
}

function view(items: ItemView[], lastSeq = items.length): CaseView {
  return {
    caseId,
    state: 'received',
    encMode: 'client',
    casePublicKey: toBase64(caseKeys.publicKey),
    grant: toBase64(grantCaseKey(caseKeys.secretKey, keys.box.publicKey)),
    officers: [{ id: 'off-1', signPublicKey: toBase64(officerSign.publicKey) }],
    reporterSignPublicKey: toBase64(keys.sign.publicKey),
    lastSeq,
    items,
    internalSeqs: [],
    internalItems: [],
  }
}

describe('openCase', () => {
  it('opens and verifies reporter and officer items', () => {
    const opened = openCase(
      view([
        item(1, 'reporter', 'answers', { answers: { what: 'x' } }, keys.sign.secretKey),
        item(2, 'officer', 'message', { text: 'reply' }, officerSign.secretKey),
      ]),
      keys
    )
    expect(opened.entries.map((e) => e.problem)).toEqual([undefined, undefined])
    expect(opened.entries[1]!.envelope!.body).toEqual({ text: 'reply' })
    expect(opened.report.ok).toBe(true)
  })

  it('marks forged, mislabelled and unreadable items, and gaps', () => {
    const forger = nacl.sign.keyPair()
    const wrongCase = item(3, 'officer', 'message', { text: 'moved' }, officerSign.secretKey, {
      caseId: 'other',
    })
    const opened = openCase(
      view(
        [
          item(1, 'reporter', 'answers', {}, keys.sign.secretKey),
          item(2, 'officer', 'message', { text: 'forged' }, forger.secretKey),
          wrongCase,
          {
            ...item(5, 'reporter', 'message', { text: 'as officer' }, keys.sign.secretKey),
            authorRole: 'officer',
          },
        ],
        6
      ),
      keys
    )
    expect(opened.entries.map((e) => e.problem)).toEqual([
      undefined,
      'unverified',
      'unreadable',
      'unverified',
    ])
    expect(opened.entries[1]!.envelope!.body).toEqual({ text: 'forged' })
    expect(opened.report.gaps).toEqual([
      { from: 4, to: 4 },
      { from: 6, to: 6 },
    ])
  })

  it('counts internal notes as present', () => {
    const v = view(
      [
        item(1, 'reporter', 'answers', {}, keys.sign.secretKey),
        item(3, 'officer', 'message', { text: 'r' }, officerSign.secretKey),
      ],
      4
    )
    v.internalSeqs = [2, 4]
    expect(openCase(v, keys).report.ok).toBe(true)
    v.internalSeqs = [2]
    expect(openCase(v, keys).report.gaps).toEqual([{ from: 4, to: 4 }])
  })

  it('refuses a grant for another case key', () => {
    const v = view([])
    v.casePublicKey = toBase64(nacl.box.keyPair().publicKey)
    expect(() => openCase(v, keys)).toThrow()
  })
})
