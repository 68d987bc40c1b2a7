// The high-water mark of a thread: the head (seq and item hash) a reader saw, remembered so that
// a later view ending before it, or with another item at that seq, is flagged (verifyThread's
// `seen`). A server that cuts the tail before anyone saw it cannot be caught this way.
// Reporters: sessionStorage only (shared devices: nothing outlives the browser session).
// Officers: localStorage, sealed under a key derived from the officer's box secret key, so the
// list of cases and their heads is not readable from the browser profile.
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import nacl from 'tweetnacl'

import {
  formatThreadHead,
  fromBase64,
  nextSeenHead,
  toBase64,
  utf8Decode,
  utf8Encode,
  type ThreadHead,
} from '../../crypto'

/** `#7 · 3fa2 91c0`: what people see and can note down. */
export const formatHead = formatThreadHead
/** What to remember after a view (see nextSeenHead). */
export const nextSeen = nextSeenHead

type KeyValue = Pick<Storage, 'getItem' | 'setItem'>

function isHead(v: unknown): v is ThreadHead {
  const h = v as ThreadHead | null
  return (
    typeof h === 'object' &&
    h !== null &&
    Number.isSafeInteger(h.seq) &&
    h.seq > 0 &&
    typeof h.hash === 'string'
  )
}

function safely<T>(f: () => T, fallback: T): T {
  try {
    return f()
  } catch {
    // Storage disabled (private mode, quota): the mark lives for this page only.
    return fallback
  }
}

const SESSION_PREFIX = 'portal.thread-head.'

/** The reporter's marks, per case, for this browser session. */
export function sessionHeads(storage: KeyValue) {
  return {
    get(caseId: string): ThreadHead | undefined {
      return safely(() => {
        const v: unknown = JSON.parse(storage.getItem(SESSION_PREFIX + caseId) ?? 'null')
        return isHead(v) ? v : undefined
      }, undefined)
    },
    put(caseId: string, head: ThreadHead | undefined): void {
      if (head)
        safely(() => storage.setItem(SESSION_PREFIX + caseId, JSON.stringify(head)), undefined)
    },
  }
}

const LOCAL_PREFIX = 'portal.thread-heads.'
const MAX_CASES = 5000

/** The key that seals an officer's marks: not the box key itself, one derived for this use. */
export function headsKey(boxSecretKey: Uint8Array): Uint8Array {
  return hkdf(sha256, boxSecretKey, undefined, utf8Encode('portal/officer-thread-heads'), 32)
}

/** Opens the sealed map caseId → head; anything unreadable counts as nothing remembered. */
export function openHeads(stored: string | null, key: Uint8Array): Map<string, ThreadHead> {
  const out = new Map<string, ThreadHead>()
  if (!stored) return out
  return safely(() => {
    const bytes = fromBase64(stored)
    const plain = nacl.secretbox.open(bytes.subarray(24), bytes.subarray(0, 24), key)
    if (!plain) return out
    const obj = JSON.parse(utf8Decode(plain)) as Record<string, unknown>
    for (const [caseId, head] of Object.entries(obj)) if (isHead(head)) out.set(caseId, head)
    return out
  }, out)
}

export function sealHeads(heads: Map<string, ThreadHead>, key: Uint8Array): string {
  const nonce = nacl.randomBytes(24)
  const plain = utf8Encode(JSON.stringify(Object.fromEntries([...heads].slice(-MAX_CASES))))
  const box = nacl.secretbox(plain, nonce, key)
  const out = new Uint8Array(24 + box.length)
  out.set(nonce)
  out.set(box, 24)
  return toBase64(out)
}

/** The officer's marks, across visits, sealed in localStorage. */
export function officerHeads(storage: KeyValue, accountId: string, boxSecretKey: Uint8Array) {
  const name = LOCAL_PREFIX + accountId
  const key = headsKey(boxSecretKey)
  return {
    get(caseId: string): ThreadHead | undefined {
      return openHeads(
        safely(() => storage.getItem(name), null),
        key
      ).get(caseId)
    },
    put(caseId: string, head: ThreadHead | undefined): void {
      if (!head) return
      const heads = openHeads(
        safely(() => storage.getItem(name), null),
        key
      )
      // Re-inserted last, so the most recently seen cases survive the cap.
      heads.delete(caseId)
      heads.set(caseId, head)
      safely(() => storage.setItem(name, sealHeads(heads, key)), undefined)
    },
  }
}
