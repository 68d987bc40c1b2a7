// The organisation key as the server sees it: its public half (anchored outside the database),
// the admins' sealed copies of its seed (opened only in their browsers), and the certificates and
// revocations it signed. The server only stores and filters these statements; readers verify
// them again themselves, so a database that lies gains nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import {
  certificateValidAt,
  certifiedSignerLookup,
  orgFingerprint,
  verifyCertificate,
  verifyRevocation,
  type OfficerCertificate,
} from '../../crypto/certificate'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { formatFingerprint, keyFingerprint } from '../../crypto/keys'
import type { Config } from '../config'
import type { Clock } from '../deps'
import type { Account, Store } from '../store/types'

// Settings entries (JSON arrays of signed statements per account): no new store port, the same
// in both engines. Exported for test fixtures that play the admin's browser.
export const ORG_KEY = 'org.publicKey'
export const certsKey = (accountId: string) => `org.certificates:${accountId}`
export const revocationsKey = (accountId: string) => `org.revocations:${accountId}`
const sealedSeedKey = (accountId: string) => `org.sealedSeed:${accountId}`
export const ANCHOR_FILE = 'org-public-key'

/** An officer reports may be sealed to: active, and certified for exactly these keys now. */
export interface CertifiedOfficer {
  id: string
  boxPublicKey: string
  signPublicKey: string
  fingerprint: string
  /** The signed certificate, which the reporter's browser verifies before sealing. */
  certificate: string
}

/** What a reader needs to check officer items itself: the anchor and the signed statements. */
export interface SignerMaterial {
  orgPublicKey?: string
  certificates: string[]
  revocations: string[]
}

export type CertState = 'certified' | 'uncertified' | 'no-keys'

export type CertFailure = 'no-org-key' | 'org-key-exists' | 'anchor-mismatch' | 'bad-statement'

export interface CertificateDeps {
  config: Pick<Config, 'dataDir' | 'orgPublicKey'>
  store: Store
  clock: Clock
  log: Logger
}

function isKey32(b64: string): boolean {
  try {
    return fromBase64(b64).length === 32
  } catch {
    return false
  }
}

/** seal(seed (32), adminBoxPublicKey): 80 bytes. */
export function isSealedSeed(b64: unknown): b64 is string {
  try {
    return typeof b64 === 'string' && fromBase64(b64).length === 80
  } catch {
    return false
  }
}

export function createCertificates({ config, store, clock, log }: CertificateDeps) {
  const anchorPath = join(config.dataDir, ANCHOR_FILE)
  // The anchor never changes while the process runs: ORG_PUBLIC_KEY, or the file once written.
  let anchor: string | undefined = config.orgPublicKey
  let mismatchLogged = false

  function readAnchor(): string | undefined {
    if (anchor) return anchor
    try {
      const text = readFileSync(anchorPath, 'utf8').trim()
      if (isKey32(text)) anchor = text
    } catch {
      // No file yet: trust on first use below.
    }
    return anchor
  }

  function writeAnchor(value: string): void {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    try {
      // 'wx': a file another process wrote first is kept, and read back.
      writeFileSync(anchorPath, `${value}\n`, { flag: 'wx', mode: 0o644 })
    } catch {
      // Exists already.
    }
    anchor = undefined
    readAnchor()
  }

  /**
   * The org public key (base64) readers must verify against, or undefined when there is none. The
   * anchor wins over the database: a database value that differs is logged and ignored, so
   * replacing it (and forging statements with a new key) makes nothing verify.
   */
  async function orgPublicKey(): Promise<string | undefined> {
    const stored = await store.settings.get(ORG_KEY)
    const known = readAnchor()
    if (known) {
      if (stored && stored !== known && !mismatchLogged) {
        mismatchLogged = true
        log.error('the organisation key in the database differs from the anchor; ignoring it')
      }
      return known
    }
    if (!stored || !isKey32(stored)) return undefined
    writeAnchor(stored)
    return readAnchor()
  }

  /** 'mismatch' when the database names another key than the anchor (shown to admins). */
  async function orgKeyState(): Promise<'none' | 'ok' | 'mismatch'> {
    const stored = await store.settings.get(ORG_KEY)
    const key = await orgPublicKey()
    if (!key) return 'none'
    return stored && stored !== key ? 'mismatch' : 'ok'
  }

  const fingerprintsOf = (key: string | undefined) => {
    if (!key) return undefined
    const pk = fromBase64(key)
    return { hex: orgFingerprint(pk), words: orgFingerprint(pk, 'words') }
  }
  const fingerprints = async () => fingerprintsOf(await orgPublicKey())
  /** The anchored key's fingerprints without I/O: known once any check above has run. */
  const anchoredFingerprints = () => fingerprintsOf(anchor)

  async function list(key: string): Promise<string[]> {
    const text = await store.settings.get(key)
    if (!text) return []
    try {
      const value: unknown = JSON.parse(text)
      return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []
    } catch {
      return []
    }
  }

  async function append(key: string, statement: string): Promise<void> {
    const current = await list(key)
    if (!current.includes(statement))
      await store.settings.set(key, JSON.stringify([...current, statement]))
  }

  // The report and status pages check every officer's certificate on each view, and tweetnacl's
  // Ed25519 takes milliseconds a signature (issue 12: 44% of the report page's CPU). Whether a
  // statement verifies depends on its text and the key alone, so each is checked once.
  const certificateOnce = verifiedOnce(verifyCertificate)
  const revocationOnce = verifiedOnce(verifyRevocation)

  /** The statements among `texts` that verify against `orgPk`; the others are dropped. */
  const verified = <T>(
    orgPk: Uint8Array,
    texts: string[],
    verify: (pk: Uint8Array, s: string) => T
  ) =>
    texts.flatMap((s) => {
      try {
        return [verify(orgPk, s)]
      } catch {
        return []
      }
    })

  /**
   * The certificate vouching for the account's current keys now under the org key `key`, if any
   * (with its text). Its two lists are read at once: the report page and every submission ask
   * this of each officer, and on MongoDB each read is a round trip (issue 12).
   */
  async function certificateUnder(
    key: string | undefined,
    account: Account
  ): Promise<{ cert: OfficerCertificate; text: string } | undefined> {
    if (!key || !account.boxPublicKey || !account.signPublicKey) return undefined
    const orgPk = fromBase64(key)
    const [texts, revocationTexts] = await Promise.all([
      list(certsKey(account.id)),
      list(revocationsKey(account.id)),
    ])
    const revocations = verified(orgPk, revocationTexts, revocationOnce)
    const now = clock.now()
    for (const text of texts) {
      let cert: OfficerCertificate
      try {
        cert = certificateOnce(orgPk, text)
      } catch {
        continue
      }
      if (
        cert.accountId === account.id &&
        cert.boxPublicKey === account.boxPublicKey &&
        cert.signPublicKey === account.signPublicKey &&
        certificateValidAt(cert, revocations, now)
      ) {
        return { cert, text }
      }
    }
    return undefined
  }

  const currentCertificate = async (account: Account) =>
    certificateUnder(await orgPublicKey(), account)

  async function certState(account: Account): Promise<CertState> {
    if (!account.boxPublicKey || !account.signPublicKey) return 'no-keys'
    return (await currentCertificate(account)) ? 'certified' : 'uncertified'
  }

  /** Active officers with a valid, unrevoked certificate for their current keys. */
  async function recipients(): Promise<CertifiedOfficer[]> {
    // The org key is read once for all officers, and the officers are checked side by side.
    const [key, accounts] = await Promise.all([orgPublicKey(), store.accounts.list()])
    const officers = accounts.filter((a) => a.status === 'active' && a.roles.includes('officer'))
    const certified = await Promise.all(
      officers.map(async (a) => ({ a, current: await certificateUnder(key, a) }))
    )
    const out: CertifiedOfficer[] = []
    for (const { a, current } of certified) {
      if (!current?.cert.roles.includes('officer') || !a.boxPublicKey || !a.signPublicKey) continue
      out.push({
        id: a.id,
        boxPublicKey: a.boxPublicKey,
        signPublicKey: a.signPublicKey,
        fingerprint: formatFingerprint(
          keyFingerprint(fromBase64(a.boxPublicKey), fromBase64(a.signPublicKey))
        ),
        certificate: current.text,
      })
    }
    return out.sort((x, y) => x.id.localeCompare(y.id))
  }

  /** Statements about the given authors, unfiltered: the reader verifies them itself. */
  async function signerMaterial(authorIds: Iterable<string>): Promise<SignerMaterial> {
    const key = await orgPublicKey()
    const certificates: string[] = []
    const revocations: string[] = []
    for (const id of new Set(authorIds)) {
      certificates.push(...(await list(certsKey(id))))
      revocations.push(...(await list(revocationsKey(id))))
    }
    return { ...(key ? { orgPublicKey: key } : {}), certificates, revocations }
  }

  /** The lookup the no-JS reader opens officer items with (server-side, the same rules). */
  function signerLookup(material: SignerMaterial) {
    return certifiedSignerLookup(
      material.orgPublicKey ? fromBase64(material.orgPublicKey) : undefined,
      material.certificates,
      material.revocations
    )
  }

  /**
   * Stores a certificate an admin's browser signed: it must verify against the anchor and name
   * this account's current keys.
   */
  async function addCertificate(account: Account, text: string): Promise<CertFailure | undefined> {
    const key = await orgPublicKey()
    if (!key) return 'no-org-key'
    let cert: OfficerCertificate
    try {
      cert = verifyCertificate(fromBase64(key), text)
    } catch {
      return 'bad-statement'
    }
    if (
      cert.accountId !== account.id ||
      cert.boxPublicKey !== account.boxPublicKey ||
      cert.signPublicKey !== account.signPublicKey
    ) {
      return 'bad-statement'
    }
    await append(certsKey(account.id), text)
    return undefined
  }

  async function addRevocation(account: Account, text: string): Promise<CertFailure | undefined> {
    const key = await orgPublicKey()
    if (!key) return 'no-org-key'
    try {
      if (verifyRevocation(fromBase64(key), text).accountId !== account.id) return 'bad-statement'
    } catch {
      return 'bad-statement'
    }
    await append(revocationsKey(account.id), text)
    return undefined
  }

  /**
   * The first admin's browser made the org key: keep its public half (and anchor it) and the seed
   * sealed to that admin's box key. Refused when a key exists or the anchor names another one.
   */
  async function createOrgKey(
    admin: Account,
    publicKey: string,
    sealedSeed: string
  ): Promise<CertFailure | undefined> {
    if (!isKey32(publicKey) || !isSealedSeed(sealedSeed)) return 'bad-statement'
    const known = readAnchor()
    if (known && known !== publicKey) return 'anchor-mismatch'
    if ((await store.settings.setIfAbsent(ORG_KEY, publicKey)) !== publicKey) {
      return 'org-key-exists'
    }
    if (!known) writeAnchor(publicKey)
    await store.settings.set(sealedSeedKey(admin.id), sealedSeed)
    return undefined
  }

  const sealedSeedFor = (accountId: string) => store.settings.get(sealedSeedKey(accountId))
  const putSealedSeed = (accountId: string, sealed: string) =>
    store.settings.set(sealedSeedKey(accountId), sealed)

  return {
    orgPublicKey,
    orgKeyState,
    fingerprints,
    anchoredFingerprints,
    currentCertificate,
    certState,
    recipients,
    signerMaterial,
    signerLookup,
    addCertificate,
    addRevocation,
    createOrgKey,
    sealedSeedFor,
    putSealedSeed,
  }
}

export type Certificates = ReturnType<typeof createCertificates>

/** Remembers what `verify` answered (value or error) per key and text; bounded. */
function verifiedOnce<T>(verify: (pk: Uint8Array, text: string) => T) {
  const seen = new Map<string, { value: T } | { error: unknown }>()
  return (pk: Uint8Array, text: string): T => {
    const key = `${toBase64(pk)} ${text}`
    let answer = seen.get(key)
    if (!answer) {
      try {
        answer = { value: verify(pk, text) }
      } catch (error) {
        answer = { error }
      }
      if (seen.size >= 4096) seen.clear()
      seen.set(key, answer)
    }
    if ('error' in answer) throw answer.error
    return answer.value
  }
}
