import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import {
  generateCaseKeyPair,
  generateOrgKey,
  grantCaseKey,
  itemHash,
  sealItem,
  signCertificate,
  signRevocation,
  toBase64,
  type OrgKey,
  type ReceiptKeys,
} from '../../../crypto'
import { strings } from '../../../src/browser/i18n'
import { openCase } from '../../../src/browser/thread'
import { threadProblems } from '../../../src/browser/thread-view'
import type { CaseView, ItemView } from '../../../src/report/api'

const keys: ReceiptKeys = {
  authKey: nacl.randomBytes(32),
  box: nacl.box.keyPair(),
  sign: nacl.sign.keyPair(),
}
const officerSign = nacl.sign.keyPair()
const org = generateOrgKey()

function certificate(signer: OrgKey = org, signPublicKey = officerSign.publicKey): string {
  return signCertificate(
    {
      accountId: 'off-1',
      boxPublicKey: toBase64(nacl.box.keyPair().publicKey),
      signPublicKey: toBase64(signPublicKey),
      roles: ['officer'],
      notBefore: '2026-01-01T00:00:00.000Z',
      issuedAt: '2026-01-01T00:00:00.000Z',
    },
    signer.secretKey
  )
}
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

function view(
  items: ItemView[],
  lastSeq = items.length,
  statements: Pick<CaseView, 'certificates' | 'revocations'> = {
    certificates: [certificate()],
    revocations: [],
  }
): CaseView {
  return {
    caseId,
    state: 'received',
    encMode: 'client',
    casePublicKey: toBase64(caseKeys.publicKey),
    grant: toBase64(grantCaseKey(caseKeys.secretKey, keys.box.publicKey)),
    orgPublicKey: toBase64(org.publicKey),
    ...statements,
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

  it('trusts an officer key only through an org certificate valid at the item', () => {
    const items = [item(1, 'officer', 'message', { text: 'reply' }, officerSign.secretKey)]
    const problem = (statements: Pick<CaseView, 'certificates' | 'revocations'>) =>
      openCase(view(items, 1, statements), keys).entries[0]!.problem
    expect(problem({ certificates: [certificate()], revocations: [] })).toBeUndefined()
    // No certificate: the server's word for the key is not enough.
    expect(problem({ certificates: [], revocations: [] })).toBe('unverified')
    // Signed by another org key (written into the database).
    expect(problem({ certificates: [certificate(generateOrgKey())], revocations: [] })).toBe(
      'unverified'
    )
    const revoke = (revokedAt: string) =>
      signRevocation(
        { accountId: 'off-1', signPublicKey: toBase64(officerSign.publicKey), revokedAt },
        org.secretKey
      )
    // Revoked before the item was written; a later revocation leaves it verified.
    expect(
      problem({ certificates: [certificate()], revocations: [revoke('2026-03-01T00:00:00Z')] })
    ).toBe('unverified')
    expect(
      problem({ certificates: [certificate()], revocations: [revoke('2026-04-01T00:00:00Z')] })
    ).toBeUndefined()
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

  it('reports a replaced item as a broken link, and a cut tail against the seen head', () => {
    const one = item(1, 'reporter', 'answers', {}, keys.sign.secretKey)
    const two = item(2, 'officer', 'message', { text: 'r' }, officerSign.secretKey)
    const three = item(3, 'reporter', 'message', { text: 'm' }, keys.sign.secretKey)
    const full = openCase(view([one, two, three]), keys)
    expect(full.report.ok).toBe(true)
    const seen = full.report.head!
    expect(seen.seq).toBe(3)
    // Item 2 swapped for another validly signed one: item 3 no longer names it.
    const other = item(2, 'officer', 'message', { text: 'other' }, officerSign.secretKey)
    expect(openCase(view([one, other, three]), keys).report.brokenLinks).toEqual([3])
    // The tail cut and lastSeq lowered: only the mark tells.
    const cut = view([one, two], 2)
    expect(openCase(cut, keys).report.ok).toBe(true)
    const flagged = openCase(cut, keys, 0, seen)
    expect(flagged.report.behindSeen).toBe(true)
    expect(threadProblems(flagged, strings('uk'))[0]).toContain('Найновіші записи')
  })

  it('checks the link over an internal note by its listed hash', () => {
    const one = item(1, 'reporter', 'answers', {}, keys.sign.secretKey)
    const noteHash = toBase64(nacl.randomBytes(32))
    const three = item(3, 'officer', 'message', { text: 'r' }, officerSign.secretKey, {
      prev: noteHash,
    })
    const v = view([one, three], 3)
    v.internalItems = [{ seq: 2, hash: noteHash }]
    expect(openCase(v, keys).report.ok).toBe(true)
    v.internalItems = [{ seq: 2, hash: toBase64(nacl.randomBytes(32)) }]
    expect(openCase(v, keys).report.brokenLinks).toEqual([3])
  })

  it('refuses a grant for another case key', () => {
    const v = view([])
    v.casePublicKey = toBase64(nacl.box.keyPair().publicKey)
    expect(() => openCase(v, keys)).toThrow()
  })
})
