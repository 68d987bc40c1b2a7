// The officer's unlocked secret keys in the browser. They live in memory for this document;
// to survive a reload or a plain link, only secretbox(Ks, keys) goes to sessionStorage, where
// Ks is held by the server-side session (GET /staff/session-key) and destroyed at logout, so
// what is left in sessionStorage after logout is useless (crypto-shredding, docs/protocol.md).
import nacl from 'tweetnacl'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { officerKeysFromSecrets, type OfficerKeys } from '../../crypto/keys'

const STORAGE_KEY = 'portal.officer-keys'
export const SESSION_KEY_URL = '/staff/session-key'

export interface UnlockedKeys {
  accountId: string
  keys: OfficerKeys
}

let inMemory: UnlockedKeys | null = null

async function sessionKey(): Promise<Uint8Array | null> {
  const res = await fetch(SESSION_KEY_URL, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  })
  if (!res.ok) return null
  const body = (await res.json()) as { key?: string }
  const key = body.key ? fromBase64(body.key) : null
  return key && key.length === 32 ? key : null
}

/** Keeps the keys for this browser tab: in memory, and sealed under Ks in sessionStorage. */
export async function rememberKeys(unlocked: UnlockedKeys): Promise<void> {
  inMemory = unlocked
  const ks = await sessionKey()
  if (!ks) return
  const plain = new Uint8Array(64)
  plain.set(unlocked.keys.box.secretKey, 0)
  plain.set(unlocked.keys.signSeed, 32)
  const nonce = nacl.randomBytes(24)
  const sealed = nacl.secretbox(plain, nonce, ks)
  plain.fill(0)
  sessionStorage.setItem(
    STORAGE_KEY,
    JSON.stringify({
      accountId: unlocked.accountId,
      nonce: toBase64(nonce),
      sealed: toBase64(sealed),
    })
  )
}

/** The unlocked keys, or null when the officer must unlock them (again) with the passphrase. */
export async function unlockedKeys(): Promise<UnlockedKeys | null> {
  if (inMemory) return inMemory
  const stored = sessionStorage.getItem(STORAGE_KEY)
  if (!stored) return null
  try {
    const { accountId, nonce, sealed } = JSON.parse(stored) as {
      accountId: string
      nonce: string
      sealed: string
    }
    const ks = await sessionKey()
    if (!ks) return null
    const plain = nacl.secretbox.open(fromBase64(sealed), fromBase64(nonce), ks)
    if (!plain || plain.length !== 64) return null
    inMemory = { accountId, keys: officerKeysFromSecrets(plain.slice(0, 32), plain.slice(32)) }
    plain.fill(0)
    return inMemory
  } catch {
    return null
  }
}

export function forgetKeys(): void {
  inMemory = null
  sessionStorage.removeItem(STORAGE_KEY)
}
