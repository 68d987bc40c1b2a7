// Reporter sessions: a bearer token for the JavaScript path, a cookie for the no-JS path whose
// second half is the only key to the session's sealed case key. Logging in with the receipt (or
// the auth key the browser derived from it) goes through the receipt guard.
import { deriveReceiptKeys, wipeReceiptKeys, type ReceiptKeys } from '../../crypto/receipt'
import { openGrant } from '../../crypto/keys'
import type { ThreadHead } from '../../crypto/item'
import type { CaseRecord, Session } from '../store/types'
import { fromBase64 } from '../../crypto/encoding'
import type { CaseView, StatusLoginRequest } from './api'
import { openSessionBlob, rememberSessionHead, sealSessionBlob } from './chain'
import type { UnlockedSession } from './chain'
import type { ReporterContext } from './context'
import { newToken, tokenHash } from './ids'
import { nativeArgon2id } from './native-argon2'
import { fail, slowDown, type Outcome } from './outcome'

export const API_SESSION_TTL_MS = 60 * 60 * 1000
export const COOKIE_SESSION_TTL_MS = 60 * 60 * 1000
export const SESSION_IDLE_MS = 20 * 60 * 1000

/** Opens sessions, resolves them, and closes them. */
export function createReporterSessions({ store, clock, random }: ReporterContext) {
  async function newSession(
    kind: Session['kind'],
    caseId: string,
    data?: Uint8Array,
    ttl = API_SESSION_TTL_MS
  ) {
    const token = newToken(random)
    const now = clock.now()
    await store.sessions.create({
      id: tokenHash(token),
      kind,
      caseId,
      ...(data ? { data } : {}),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ttl),
    })
    return token
  }

  /** Resolves a bearer token (JS path) to its live session, applying the idle timeout. */
  async function sessionForToken(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 200) return null
    const id = tokenHash(token)
    const now = clock.now()
    const s = await store.sessions.get(id, now)
    if (!s || s.kind !== 'reporter' || !s.caseId) return null
    if (now.getTime() - s.lastSeenAt.getTime() > SESSION_IDLE_MS) {
      await store.sessions.delete(id)
      return null
    }
    await store.sessions.touch(id, now)
    return s
  }

  /** Resolves the no-JS cookie to its session and unlocks the case key for this request only. */
  async function unlockCookie(cookie: string | undefined): Promise<UnlockedSession | null> {
    const [token, keyText] = (cookie ?? '').split('.')
    if (!token || !keyText) return null
    const session = await sessionForToken(token)
    if (!session?.data) return null
    const key = new Uint8Array(Buffer.from(keyText, 'base64url'))
    const secrets = key.length === 32 ? openSessionBlob(session.data, key) : null
    return secrets ? { session, secrets, key } : null
  }

  const rememberHead = (unlocked: UnlockedSession, seen: ThreadHead | undefined) =>
    rememberSessionHead(store, random, unlocked, seen)

  async function logout(token: string | undefined) {
    if (token) await store.sessions.delete(tokenHash(token.split('.')[0] ?? ''))
  }

  return { newSession, sessionForToken, unlockCookie, rememberHead, logout }
}

export type ReporterSessions = ReturnType<typeof createReporterSessions>

/** Coming back with the receipt: both paths. `caseView` answers the JS path's login. */
export function createReporterLogin(
  { store, random, guard, directory, lookupOf }: ReporterContext,
  sessions: ReporterSessions,
  caseView: (c: CaseRecord) => Promise<Omit<CaseView, 'token'>>
) {
  const { newSession } = sessions
  const { deploymentSalt } = directory

  /** Shared by both paths, once guard.admit() let the attempt in: lookup of a case by auth key. */
  async function findByAuthKey(authKey: Uint8Array): Promise<Outcome<CaseRecord>> {
    const lookup = lookupOf(authKey)
    const hold = await guard.held(lookup)
    if (hold !== null) return slowDown(hold)
    const found = await store.cases.getByReceiptLookup(lookup)
    if (!found) {
      await guard.failed(lookup)
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    return { ok: true, value: found }
  }

  /** JavaScript path: the browser derived the keys; answer with a bearer token and the sealed thread. */
  async function loginWithAuthKey(req: StatusLoginRequest): Promise<Outcome<CaseView>> {
    const authKey = fromBase64(req.authKey)
    const hold = await guard.admit()
    if (hold !== null) return slowDown(hold)
    const found = await findByAuthKey(authKey)
    if (!found.ok) return found
    const token = await newSession('reporter', found.value.id)
    return { ok: true, value: { token, ...(await caseView(found.value)) } }
  }

  /** No-JS path: derive here, unlock the case key, keep it only sealed under a cookie-held key. */
  async function loginWithReceipt(
    receipt: string
  ): Promise<Outcome<{ cookie: string; caseId: string }>> {
    // Admitted before the costly derivation; malformed receipts count as attempts too.
    const hold = await guard.admit()
    if (hold !== null) return slowDown(hold)
    let keys: ReceiptKeys
    try {
      keys = await deriveReceiptKeys(receipt, await deploymentSalt(), nativeArgon2id)
    } catch {
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    const found = await findByAuthKey(keys.authKey)
    if (!found.ok) {
      wipeReceiptKeys(keys)
      return found
    }
    const grant = await store.grants.get(found.value.id, 'reporter', 'reporter')
    if (!grant) {
      wipeReceiptKeys(keys)
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    const caseSecretKey = openGrant(grant.sealedKey, keys.box.publicKey, keys.box.secretKey)
    const cookieKey = random.bytes(32)
    const secrets = { caseSecretKey, signSecretKey: keys.sign.secretKey }
    const data = sealSessionBlob(random, cookieKey, secrets)
    caseSecretKey.fill(0)
    wipeReceiptKeys(keys)
    const cookie = Buffer.from(cookieKey).toString('base64url')
    cookieKey.fill(0) // from here on it exists only in the reporter's cookie
    const token = await newSession('reporter', found.value.id, data, COOKIE_SESSION_TTL_MS)
    return { ok: true, value: { cookie: `${token}.${cookie}`, caseId: found.value.id } }
  }

  return { loginWithAuthKey, loginWithReceipt }
}
