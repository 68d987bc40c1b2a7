// What whoever holds the database can do without the organisation key: add an "officer" account
// (disabled, never certified), write items signed with its key, sign certificates with a key of
// their own, or replace the organisation public key. Readers must show all of it as unverified.
import { randomBytes } from 'node:crypto'
import { generateOrgKey, type OrgKey } from '../../crypto/certificate'
import { toBase64 } from '../../crypto/encoding'
import { generateOfficerKeys } from '../../crypto/keys'
import { ORG_KEY } from '../../src/staff/certificates'
import type { Account, Store } from '../../src/store/types'
import { officerReply, type TestOfficer } from './officer'
import { certificateFor, storeCertificate } from './org'

/** An account row written straight into the store, as an attacker with the database would. */
export async function forgeOfficer(
  store: Store,
  status: Account['status'] = 'disabled'
): Promise<TestOfficer> {
  const keys = generateOfficerKeys()
  const id = `forged-${randomBytes(4).toString('hex')}`
  const account = await store.accounts.create({
    id,
    email: `${id}@council.example`,
    displayName: 'Forged Officer',
    roles: ['officer'],
    status,
    boxPublicKey: toBase64(keys.box.publicKey),
    signPublicKey: toBase64(keys.sign.publicKey),
    notifyDigest: false,
    createdAt: new Date('2026-01-01T00:00:00Z'),
  })
  return { account, keys }
}

/** A forged officer's message, signed with its own key, as the next item of the case. */
export async function forgeOfficerItem(store: Store, caseId: string, text: string) {
  const forged = await forgeOfficer(store)
  await officerReply(store, caseId, forged, text)
  return forged
}

/** A certificate for the forged officer signed by the attacker's own org key, stored as real. */
export async function forgeCertificate(store: Store, forged: TestOfficer, org: OrgKey) {
  await storeCertificate(store, forged.account.id, certificateFor(forged.account, org))
}

/** Replaces the organisation public key in the database with the attacker's. */
export async function replaceOrgKey(store: Store): Promise<OrgKey> {
  const org = generateOrgKey()
  await store.settings.set(ORG_KEY, toBase64(org.publicKey))
  return org
}
