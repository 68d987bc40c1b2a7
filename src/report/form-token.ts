// Stateless single-use tokens the server signs and later takes back once: the report form's
// token, and (src/report/receipt-check.ts) the receipt confirmation. A token is
// base64url(body).base64url(HMAC-SHA256(SESSION_SECRET, purpose, body)); the body starts with a
// 16-byte nonce and an 8-byte expiry. Issuing writes nothing; taking one back records the nonce
// in the token store, so each token works once.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Clock, Random } from '../deps'
import type { Secrets } from '../secrets'
import { DuplicateError, type TokenStore } from '../store/types'
import { tokenHash } from './ids'

export const FORM_TOKEN_TTL_MS = 4 * 60 * 60 * 1000

/** 'malformed': not a token of ours at all (400); 'spent': forged, expired or already used. */
export type TokenUse = { ok: true; body: Buffer } | { ok: false; why: 'malformed' | 'spent' }

/** HMAC helper for values the server derives from its own secrets (form challenges). */
export function serverMac(key: Uint8Array, ...parts: string[]): string {
  const h = createHmac('sha256', key)
  for (const p of parts) h.update(p).update('\0')
  return h.digest('base64url')
}

/**
 * Constant-time comparison that cannot throw: timingSafeEqual throws on buffers of different
 * lengths, which a client controls. Lengths are not secret here (MACs have a fixed length).
 */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? Buffer.from(a) : a
  const y = typeof b === 'string' ? Buffer.from(b) : b
  return x.length === y.length && timingSafeEqual(x, y)
}

const B64URL = /^[A-Za-z0-9_-]+$/
const MAC_CHARS = 43 // 32 bytes in unpadded base64url

export interface SignedTokenDeps {
  secrets: Pick<Secrets, 'SESSION_SECRET'>
  clock: Clock
  random: Random
  tokens: TokenStore
}

export function createSignedTokens(deps: SignedTokenDeps, purpose: string, maxBodyBytes = 24) {
  const { secrets, clock, random, tokens } = deps
  const mac = (body: string) => serverMac(secrets.SESSION_SECRET, purpose, body)

  /** nonce ‖ expiry ‖ extra, signed. */
  function issue(expiresAt: number, extra: Uint8Array = new Uint8Array(0)): string {
    const body = Buffer.alloc(24 + extra.length)
    Buffer.from(random.bytes(16)).copy(body)
    body.writeBigUInt64BE(BigInt(expiresAt), 16)
    body.set(extra, 24)
    const text = body.toString('base64url')
    return `${text}.${mac(text)}`
  }

  /** Checks the shape before anything else, so no input can make the comparison throw. */
  async function consume(token: string): Promise<TokenUse> {
    const parts = token.split('.')
    const [text, tag] = parts
    if (
      parts.length !== 2 ||
      !text ||
      !tag ||
      text.length > Math.ceil((maxBodyBytes * 4) / 3) ||
      !B64URL.test(text) ||
      tag.length !== MAC_CHARS ||
      !B64URL.test(tag)
    ) {
      return { ok: false, why: 'malformed' }
    }
    const body = Buffer.from(text, 'base64url')
    if (body.length < 24) return { ok: false, why: 'malformed' }
    if (!safeEqual(tag, mac(text))) return { ok: false, why: 'spent' }
    const expiresAt = Number(body.readBigUInt64BE(16))
    if (expiresAt <= clock.now().getTime()) return { ok: false, why: 'spent' }
    try {
      await tokens.issue(tokenHash(text), `${purpose}-used`, new Date(expiresAt))
      return { ok: true, body }
    } catch (err) {
      if (err instanceof DuplicateError) return { ok: false, why: 'spent' }
      throw err
    }
  }

  return { issue, consume }
}

/**
 * The report form's token: showing the form writes nothing, so it works while the database is
 * down and page views cannot fill it up. Only a submission records the nonce.
 */
export function createFormTokens(deps: SignedTokenDeps) {
  const signed = createSignedTokens(deps, 'report-form')
  return {
    issue: () => signed.issue(deps.clock.now().getTime() + FORM_TOKEN_TTL_MS),
    consume: async (token: string) => {
      const r = await signed.consume(token)
      return r.ok ? 'ok' : r.why
    },
  }
}
