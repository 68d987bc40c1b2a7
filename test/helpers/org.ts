// The organisation key of the tests, played by the test as an admin's browser would: one fixed
// key for every store, so any number of apps and instances over one database agree on it (and
// on the DATA_DIR anchor each of them writes on first use).
import {
  certifiedSignerLookup,
  orgKeyFromSeed,
  signCertificate,
  type OrgKey,
} from '../../crypto/certificate'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { certsKey, ORG_KEY } from '../../src/staff/certificates'
import type { Account, Store } from '../../src/store/types'

export const TEST_ORG: OrgKey = orgKeyFromSeed(new Uint8Array(32).fill(7))

/** Makes the test org key the store's organisation key (once; an existing one is kept). */
export async function useTestOrg(store: Store): Promise<void> {
  await store.settings.setIfAbsent(ORG_KEY, toBase64(TEST_ORG.publicKey))
}

/** A certificate of the account's current keys, signed by `org` (default: the test org key). */
export function certificateFor(
  account: Pick<Account, 'id' | 'roles' | 'boxPublicKey' | 'signPublicKey'>,
  org: OrgKey = TEST_ORG,
  notBefore = '2000-01-01T00:00:00.000Z'
): string {
  if (!account.boxPublicKey || !account.signPublicKey) throw new Error('account has no keys')
  return signCertificate(
    {
      accountId: account.id,
      boxPublicKey: account.boxPublicKey,
      signPublicKey: account.signPublicKey,
      roles: [...account.roles],
      notBefore,
      issuedAt: notBefore,
    },
    org.secretKey
  )
}

/** Stores a certificate as the admin's certify action does (appends to the account's list). */
export async function storeCertificate(store: Store, accountId: string, cert: string) {
  const current = JSON.parse((await store.settings.get(certsKey(accountId))) ?? '[]') as string[]
  await store.settings.set(certsKey(accountId), JSON.stringify([...current, cert]))
}

/** As an admin certifying the account after the fingerprint read-out matched. */
export async function certify(
  store: Store,
  account: Pick<Account, 'id' | 'roles' | 'boxPublicKey' | 'signPublicKey'>
): Promise<void> {
  await useTestOrg(store)
  await storeCertificate(store, account.id, certificateFor(account))
}

/** The signing key a reader's view certifies for the officer now (what the readers accept). */
export function certifiedKeyIn(
  view: { orgPublicKey?: string; certificates: string[]; revocations: string[] },
  officerId: string
): Uint8Array {
  const key = certifiedSignerLookup(
    view.orgPublicKey ? fromBase64(view.orgPublicKey) : undefined,
    view.certificates,
    view.revocations
  )({ role: 'officer', id: officerId }, new Date().toISOString())
  if (!key) throw new Error(`no certified key for ${officerId} in the view`)
  return key
}
