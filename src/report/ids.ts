// Identifiers and tokens. Case, item and blob ids are 16 random bytes (base64url, 22 chars):
// unguessable and non-sequential. Bearer/cookie tokens are 32 bytes; only their SHA-256 is stored.
import { createHash } from 'node:crypto'
import type { Random } from '../deps'

export const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/

export function newId(random: Random): string {
  return Buffer.from(random.bytes(16)).toString('base64url')
}

export function newToken(random: Random): string {
  return Buffer.from(random.bytes(32)).toString('base64url')
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function isId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v)
}
