// The server's side of the hash chain: where its own (no-JS) writer puts the next item, and the
// no-JS reporter's high-water mark inside the session blob that only the cookie key opens.
import nacl from 'tweetnacl'

import { FIRST_PREV, itemHash, type ThreadHead } from '../../crypto/item'
import type { Random } from '../deps'
import type { Session, Store } from '../store/types'

/** The stored thread's last item: the next item is seq + 1 and names this hash as `prev`. */
export async function storedHead(store: Store, caseId: string): Promise<ThreadHead> {
  let head: ThreadHead = { seq: 0, hash: FIRST_PREV }
  for (const item of await store.items.list(caseId)) {
    if (item.seq > head.seq) head = { seq: item.seq, hash: itemHash(item.sealed) }
  }
  return head
}

/**
 * The no-JS session blob's plaintext: case secret key (32) ‖ reporter signing secret key (64)
 * ‖ seen seq (4, big-endian; 0 = nothing seen yet) ‖ seen item hash (32). Blobs of 96 bytes
 * (sessions opened before the mark existed) still open, with nothing seen.
 */
export const SESSION_KEYS_BYTES = 96
export const SESSION_PLAIN_BYTES = SESSION_KEYS_BYTES + 4 + 32

export interface SessionSecrets {
  caseSecretKey: Uint8Array
  signSecretKey: Uint8Array
  /** The thread head this session has shown the reporter (the high-water mark). */
  seen?: ThreadHead
}

export function encodeSessionSecrets(s: SessionSecrets): Uint8Array {
  const plain = new Uint8Array(SESSION_PLAIN_BYTES)
  plain.set(s.caseSecretKey, 0)
  plain.set(s.signSecretKey, 32)
  const hash = s.seen ? Buffer.from(s.seen.hash, 'base64') : undefined
  if (s.seen && hash?.length === 32 && s.seen.seq > 0 && s.seen.seq <= 0xffffffff) {
    new DataView(plain.buffer).setUint32(SESSION_KEYS_BYTES, s.seen.seq)
    plain.set(hash, SESSION_KEYS_BYTES + 4)
  }
  return plain
}

export function decodeSessionSecrets(plain: Uint8Array): SessionSecrets | null {
  if (plain.length !== SESSION_KEYS_BYTES && plain.length !== SESSION_PLAIN_BYTES) return null
  const out: SessionSecrets = {
    caseSecretKey: plain.slice(0, 32),
    signSecretKey: plain.slice(32, SESSION_KEYS_BYTES),
  }
  if (plain.length === SESSION_PLAIN_BYTES) {
    const seq = new DataView(plain.buffer, plain.byteOffset).getUint32(SESSION_KEYS_BYTES)
    const hash = Buffer.from(plain.subarray(SESSION_KEYS_BYTES + 4)).toString('base64')
    if (seq > 0) out.seen = { seq, hash }
  }
  return out
}

/** A no-JS session opened with its cookie: the keys, and the cookie-held key that sealed them. */
export interface UnlockedSession {
  session: Session
  secrets: SessionSecrets
  key: Uint8Array
}

/** nonce (24) ‖ secretbox(plaintext above, nonce, cookieKey): what the session row stores. */
export function sealSessionBlob(
  random: Random,
  cookieKey: Uint8Array,
  secrets: SessionSecrets
): Uint8Array {
  const plain = encodeSessionSecrets(secrets)
  const nonce = random.bytes(24)
  const data = new Uint8Array([...nonce, ...nacl.secretbox(plain, nonce, cookieKey)])
  plain.fill(0)
  return data
}

/** The session's secrets, or null for a wrong key, a tampered blob or an unknown length. */
export function openSessionBlob(data: Uint8Array, cookieKey: Uint8Array): SessionSecrets | null {
  if (data.length < 24) return null
  const plain = nacl.secretbox.open(data.subarray(24), data.subarray(0, 24), cookieKey)
  const secrets = plain ? decodeSessionSecrets(plain) : null
  plain?.fill(0)
  return secrets
}

/** Seals the session's keys again with the thread head the reporter has now been shown. */
export async function rememberSessionHead(
  store: Store,
  random: Random,
  unlocked: UnlockedSession,
  seen: ThreadHead | undefined
): Promise<void> {
  const old = unlocked.secrets.seen
  if (!seen || (old && old.seq === seen.seq && old.hash === seen.hash)) return
  const data = sealSessionBlob(random, unlocked.key, { ...unlocked.secrets, seen })
  await store.sessions.setData(unlocked.session.id, data)
}
