// Test-side officer: key pairs made here (until officers enrol in the browser), and the
// officer's reading and writing of a case done with crypto/ exactly as the browser will.
import { randomBytes } from 'node:crypto'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { openItem, sealItem, type Envelope } from '../../crypto/item'
import { storedHead } from '../../src/report/chain'
import { generateOfficerKeys, openGrant, type OfficerKeys } from '../../crypto/keys'
import type { Account, Store } from '../../src/store/types'
import { certify } from './org'

export interface TestOfficer {
  account: Account
  keys: OfficerKeys
}

export async function addOfficer(store: Store, name = 'officer'): Promise<TestOfficer> {
  const keys = generateOfficerKeys()
  const id = `${name}-${randomBytes(4).toString('hex')}`
  const account = await store.accounts.create({
    id,
    email: `${id}@council.example`,
    displayName: name,
    roles: ['officer'],
    status: 'active',
    boxPublicKey: toBase64(keys.box.publicKey),
    signPublicKey: toBase64(keys.sign.publicKey),
    notifyDigest: false,
    createdAt: new Date('2026-01-01T00:00:00Z'),
  })
  // As an admin does after comparing the fingerprint out of band: only certified keys receive
  // reports, and only their signatures verify.
  await certify(store, account)
  return { account, keys }
}

/** Opens every item of a case with the officer's grant; checks signatures where keys are known. */
export async function officerReadCase(store: Store, caseId: string, officer: TestOfficer) {
  const c = await store.cases.get(caseId)
  if (!c) throw new Error(`no case ${caseId}`)
  const grant = await store.grants.get(caseId, 'officer', officer.account.id)
  if (!grant) throw new Error(`officer ${officer.account.id} holds no grant on ${caseId}`)
  const caseSecretKey = openGrant(
    grant.sealedKey,
    officer.keys.box.publicKey,
    officer.keys.box.secretKey
  )
  const casePublicKey = fromBase64(c.casePublicKey)
  const reporterSign = c.reporterSignPublicKey ? fromBase64(c.reporterSignPublicKey) : undefined
  const items = await store.items.list(caseId)
  const envelopes: (Envelope & { verified: boolean })[] = items.map((i) => {
    const r = openItem(i.sealed, casePublicKey, caseSecretKey, {
      caseId,
      seq: i.seq,
      itemId: i.id,
      signerPublicKey: (a) =>
        a.role === 'reporter'
          ? reporterSign
          : a.id === officer.account.id
            ? officer.keys.sign.publicKey
            : undefined,
    })
    return { ...r.envelope, verified: r.verified }
  })
  return { case: c, caseSecretKey, envelopes }
}

/** Writes a signed officer reply as the next item of the thread. */
export async function officerReply(
  store: Store,
  caseId: string,
  officer: TestOfficer,
  text: string
) {
  const c = await store.cases.get(caseId)
  if (!c) throw new Error(`no case ${caseId}`)
  const head = await storedHead(store, caseId)
  const seq = head.seq + 1
  const itemId = randomBytes(16).toString('base64url')
  const createdAt = new Date()
  const sealed = sealItem(
    {
      caseId,
      itemId,
      seq,
      prev: head.hash,
      author: { role: 'officer', id: officer.account.id },
      createdAt: createdAt.toISOString(),
      type: 'message',
      body: { text },
    },
    fromBase64(c.casePublicKey),
    officer.keys.sign.secretKey
  )
  return store.items.insertAt({
    caseId,
    seq,
    id: itemId,
    kind: 'message',
    authorRole: 'officer',
    authorId: officer.account.id,
    encMode: 'client',
    sealed,
    createdAt,
  })
}
