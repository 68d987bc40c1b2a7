// The officer bundle's crypto, run in Node: opening a case and its notes, integrity problems
// shown per item, titles, re-sealing for a colleague, and the Kyiv wall-clock of manual intake.
import { describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { generateOrgKey, signCertificate } from '../../crypto/certificate'
import { openItem, sealItem } from '../../crypto/item'
import {
  generateCaseKeyPair,
  generateOfficerKeys,
  grantCaseKey,
  openGrant,
} from '../../crypto/keys'
import { generateReceipt } from '../../crypto/receipt'
import { intakeBody, kyivWallTime } from '../../src/browser/officer-intake'
import {
  makeNoteKey,
  openOfficerCase,
  openTitle,
  resealFor,
  sealOfficerItem,
  titleOf,
} from '../../src/browser/officer-open'
import { hashOfSealed, headOf } from '../../src/browser/chain'
import type { ItemView, OfficerCaseView } from '../../src/officer/api'

const me = { accountId: 'officer-1', keys: generateOfficerKeys() }
const org = generateOrgKey()
const myCertificate = signCertificate(
  {
    accountId: me.accountId,
    boxPublicKey: toBase64(me.keys.box.publicKey),
    signPublicKey: toBase64(me.keys.sign.publicKey),
    roles: ['officer'],
    notBefore: '2026-01-01T00:00:00.000Z',
    issuedAt: '2026-01-01T00:00:00.000Z',
  },
  org.secretKey
)
const reporterSign = generateOfficerKeys().sign
const caseId = 'case-aaaaaaaaaaaaaaaaaaa'

function itemView(
  seq: number,
  kind: ItemView['kind'],
  sealed: string,
  authorRole: ItemView['authorRole'],
  authorId?: string
): ItemView {
  return {
    seq,
    id: `item-${seq}`,
    kind,
    authorRole,
    ...(authorId ? { authorId } : {}),
    encMode: 'client',
    sealed,
    createdAt: '2026-03-02T09:00:00.000Z',
  }
}

function buildCase() {
  const caseKeys = generateCaseKeyPair()
  const answers = toBase64(
    sealItem(
      {
        caseId,
        itemId: 'item-1',
        seq: 1,
        prev: '',
        author: { role: 'reporter' },
        createdAt: '2026-03-02T09:00:00.000Z',
        type: 'answers',
        body: { answers: { what: 'First line\nsecond line' } },
      },
      caseKeys.publicKey,
      reporterSign.secretKey
    )
  )
  const view: OfficerCaseView = {
    caseId,
    casePublicKey: toBase64(caseKeys.publicKey),
    grant: toBase64(grantCaseKey(caseKeys.secretKey, me.keys.box.publicKey)),
    reporterSignPublicKey: toBase64(reporterSign.publicKey),
    signers: [{ id: me.accountId, displayName: 'Me' }],
    orgPublicKey: toBase64(org.publicKey),
    certificates: [myCertificate],
    revocations: [],
    grantees: [
      {
        id: me.accountId,
        displayName: 'Me',
        boxPublicKey: toBase64(me.keys.box.publicKey),
        hasNoteKey: false,
      },
    ],
    lastSeq: 1,
    items: [itemView(1, 'answers', answers, 'reporter')],
  }
  return { view, caseKeys }
}

describe('openOfficerCase', () => {
  it('should open and verify the thread, and notes only with the note key', () => {
    const { view, caseKeys } = buildCase()
    const reply = sealOfficerItem(
      caseId,
      me,
      'message',
      { text: 'Thanks' },
      headOf(view.items),
      caseKeys.publicKey,
      'item-2'
    )
    const { request, keys: noteKeys } = makeNoteKey(view)
    expect(request.grants.map((g) => g.officerId)).toEqual([me.accountId])
    const note = sealOfficerItem(
      caseId,
      me,
      'note',
      { text: 'internal' },
      { seq: 2, hash: hashOfSealed(reply.sealed) },
      noteKeys.publicKey,
      'item-3'
    )
    view.items.push(
      itemView(2, 'message', reply.sealed, 'officer', me.accountId),
      itemView(3, 'note', note.sealed, 'officer', me.accountId)
    )
    view.lastSeq = 3

    const locked = openOfficerCase(view, me.keys)
    expect(locked.entries.map((e) => e.problem)).toEqual([undefined, undefined, 'locked'])
    expect(locked.report.ok).toBe(true)

    view.notePublicKey = request.notePublicKey
    view.noteGrant = request.grants[0]!.sealedNoteKey
    const opened = openOfficerCase(view, me.keys)
    expect(opened.entries.map((e) => e.problem)).toEqual([undefined, undefined, undefined])
    expect(opened.entries[2]!.envelope?.body).toEqual({ text: 'internal' })
    // The case key (which the reporter holds) does not open the note.
    expect(() =>
      openItem(fromBase64(note.sealed), caseKeys.publicKey, caseKeys.secretKey, { caseId })
    ).toThrow()
  })

  it('should flag a forged author, an item filed under another author, and a missing item', () => {
    const { view, caseKeys } = buildCase()
    const stranger = generateOfficerKeys()
    const forged = toBase64(
      sealItem(
        {
          caseId,
          itemId: 'item-2',
          seq: 2,
          prev: headOf(view.items).hash,
          author: { role: 'officer', id: me.accountId },
          createdAt: '2026-03-02T10:00:00.000Z',
          type: 'message',
          body: { text: 'forged' },
        },
        caseKeys.publicKey,
        stranger.sign.secretKey
      )
    )
    const misfiled = sealOfficerItem(
      caseId,
      me,
      'message',
      { text: 'mine' },
      { seq: 3, hash: toBase64(new Uint8Array(32)) },
      caseKeys.publicKey,
      'item-4'
    )
    view.items.push(
      itemView(2, 'message', forged, 'officer', me.accountId),
      itemView(4, 'message', misfiled.sealed, 'officer', 'someone-else')
    )
    view.lastSeq = 4
    const opened = openOfficerCase(view, me.keys)
    expect(opened.entries.map((e) => e.problem)).toEqual([undefined, 'unverified', 'unverified'])
    expect(opened.report.gaps).toEqual([{ from: 3, to: 3 }])
  })

  it('should verify an officer only through a certificate of the org key', () => {
    const { view, caseKeys } = buildCase()
    const reply = sealOfficerItem(
      caseId,
      me,
      'message',
      { t: 1 },
      headOf(view.items),
      caseKeys.publicKey,
      'item-2'
    )
    view.items.push(itemView(2, 'message', reply.sealed, 'officer', me.accountId))
    view.lastSeq = 2
    const problem = (v: OfficerCaseView) => openOfficerCase(v, me.keys).entries[1]!.problem
    expect(problem(view)).toBeUndefined()
    expect(problem({ ...view, certificates: [] })).toBe('unverified')
    expect(problem({ ...view, orgPublicKey: toBase64(generateOrgKey().publicKey) })).toBe(
      'unverified'
    )
  })
})

describe('titles', () => {
  it('should take the summary, else the first line of the first answer, shortened', () => {
    const env = (body: unknown) => ({ body }) as Parameters<typeof titleOf>[0]
    expect(titleOf(env({ title: 'Summary', answers: { what: 'x' } }))).toBe('Summary')
    expect(titleOf(env({ answers: { what: 'One\nTwo' } }))).toBe('One')
    // Opened items have their keys sorted: the answer to "what happened" is the title.
    expect(titleOf(env({ answers: { how_known: 'witness', what: 'Tender' } }))).toBe('Tender')
    expect(titleOf(env({ answers: { what: 'x'.repeat(200) } }))).toHaveLength(90)
    expect(titleOf(env({ answers: {} }))).toBeNull()
    expect(titleOf(undefined)).toBeNull()
  })

  it('should open a title with my grant, and say so when it cannot', () => {
    const { view } = buildCase()
    const first = view.items[0]!
    const titleView = {
      caseId,
      casePublicKey: view.casePublicKey,
      grant: view.grant,
      reporterSignPublicKey: view.reporterSignPublicKey,
      certificates: [],
      revocations: [],
      first,
    }
    expect(openTitle(titleView, me.keys)).toEqual({ title: 'First line', ok: true })
    expect(openTitle(titleView, generateOfficerKeys())).toEqual({ title: null, ok: false })
  })
})

describe('resealFor', () => {
  it('should give a colleague the case key and the note key, checked against the case', () => {
    const { view, caseKeys } = buildCase()
    const { request, keys: noteKeys } = makeNoteKey(view)
    const colleague = generateOfficerKeys()
    const sealed = resealFor(
      toBase64(colleague.box.publicKey),
      {
        ...view,
        notePublicKey: request.notePublicKey,
        noteGrant: request.grants[0]!.sealedNoteKey,
      },
      me.keys
    )
    expect(
      openGrant(
        fromBase64(sealed.sealedKey),
        colleague.box.publicKey,
        colleague.box.secretKey,
        caseKeys.publicKey
      )
    ).toEqual(caseKeys.secretKey)
    expect(
      openGrant(
        fromBase64(sealed.sealedNoteKey!),
        colleague.box.publicKey,
        colleague.box.secretKey,
        noteKeys.publicKey
      )
    ).toEqual(noteKeys.secretKey)
    // A grant for another case's key is refused, not passed on.
    expect(() =>
      resealFor(
        toBase64(colleague.box.publicKey),
        { ...view, casePublicKey: toBase64(generateCaseKeyPair().publicKey) },
        me.keys
      )
    ).toThrow()
  })
})

describe('manual intake', () => {
  it('should read the received time as Kyiv wall time, across daylight saving', () => {
    expect(kyivWallTime('2026-03-02T11:00')?.toISOString()).toBe('2026-03-02T09:00:00.000Z')
    expect(kyivWallTime('2026-07-01T11:00')?.toISOString()).toBe('2026-07-01T08:00:00.000Z')
    expect(kyivWallTime('yesterday')).toBeNull()
  })

  it('should put contact details in the sealed body only for a named reporter', () => {
    const base = {
      channel: 'phone',
      receivedAt: new Date(),
      summary: 'S',
      text: 'T',
      contactName: 'Ivan',
      contactWay: '+380',
    }
    expect(intakeBody({ ...base, anonymity: 'anonymous' })).toEqual({
      questionsVersion: 1,
      title: 'S',
      answers: { what: 'T' },
      attachments: 0,
    })
    expect(intakeBody({ ...base, anonymity: 'confidential' })).toMatchObject({
      contact: { name: 'Ivan', contact: '+380' },
    })
    expect(generateReceipt('words').split(' ')).toHaveLength(8)
  })
})
