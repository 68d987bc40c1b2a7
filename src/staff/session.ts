// Staff sessions. The cookie holds a random token; the store keeps the session under SHA-256 of
// it, so a database dump yields no usable cookie. Whatever a session carries (the key Ks that
// seals the officer's keys in sessionStorage, a TOTP secret being set up) is sealed under a
// second hash of the token, so it is readable only with the cookie in hand; deleting the session
// destroys it (crypto-shredding at logout).
import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Config } from '../config'
import type { AppDeps } from '../deps'
import type { Role } from '../domain/vocab'
import { newToken, tokenHash } from '../report/ids'
import type { Account, Session } from '../store/types'
import { openBytes, sealBytes } from './server-crypto'
import type { StaffContext } from './types'

/** Signed out after 30 minutes without a request… */
export const STAFF_IDLE_MS = 30 * 60 * 1000
/** …and 12 hours after signing in, whatever happens. */
export const STAFF_ABSOLUTE_MS = 12 * 60 * 60 * 1000
/** Between the passphrase and the TOTP code (or while setting up an authenticator). */
export const PENDING_MS = 15 * 60 * 1000

type SessionDeps = Pick<AppDeps, 'store' | 'clock' | 'random'>

const TOKEN = /^[A-Za-z0-9_-]{43}$/

/** `__Host-` pins the cookie to this origin and path /, but needs https. */
export function staffCookieName(config: Pick<Config, 'publicUrl'>): string {
  return isHttps(config) ? '__Host-staff' : 'staff'
}

function isHttps(config: Pick<Config, 'publicUrl'>): boolean {
  return config.publicUrl.startsWith('https:')
}

export function staffToken(c: Context, config: Pick<Config, 'publicUrl'>): string | undefined {
  const token = getCookie(c, staffCookieName(config))
  return token && TOKEN.test(token) ? token : undefined
}

/** A session cookie (no Max-Age): it also ends when the browser closes. */
export function setStaffCookie(c: Context, config: Pick<Config, 'publicUrl'>, token: string): void {
  setCookie(c, staffCookieName(config), token, {
    path: '/',
    httpOnly: true,
    secure: isHttps(config),
    sameSite: 'Strict',
  })
}

export function clearStaffCookie(c: Context, config: Pick<Config, 'publicUrl'>): void {
  deleteCookie(c, staffCookieName(config), { path: '/', secure: isHttps(config) })
}

function dataKey(token: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update('staff-session-data\0').update(token).digest())
}

/**
 * Starts a signed-in session (the login handler's last step, and loginAs in tests): a fresh
 * token, so signing in always rotates the session id, and a fresh Ks.
 */
export async function createStaffSession(
  deps: SessionDeps,
  account: Pick<Account, 'id'>
): Promise<{ token: string; sessionId: string }> {
  const token = newToken(deps.random)
  const now = deps.clock.now()
  const ks = deps.random.bytes(32)
  const session: Session = {
    id: tokenHash(token),
    kind: 'staff',
    accountId: account.id,
    data: sealBytes(dataKey(token), ks),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + STAFF_ABSOLUTE_MS),
  }
  ks.fill(0)
  await deps.store.sessions.create(session)
  return { token, sessionId: session.id }
}

/** What a pending-2fa session is for; a TOTP secret being set up lives only in here. */
export interface PendingState {
  purpose: 'login' | 'totp-setup'
  totpSecret?: string
}

export async function createPendingSession(
  deps: SessionDeps,
  accountId: string,
  state: PendingState
): Promise<string> {
  const token = newToken(deps.random)
  const now = deps.clock.now()
  await deps.store.sessions.create({
    id: tokenHash(token),
    kind: 'pending-2fa',
    accountId,
    data: sealBytes(dataKey(token), Buffer.from(JSON.stringify(state), 'utf8')),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + PENDING_MS),
  })
  return token
}

export async function readPendingSession(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  token: string | undefined
): Promise<{ session: Session; state: PendingState } | null> {
  if (!token) return null
  const session = await deps.store.sessions.get(tokenHash(token), deps.clock.now())
  if (!session || session.kind !== 'pending-2fa' || !session.accountId) return null
  const plain = openBytes(dataKey(token), session.data)
  if (!plain) return null
  try {
    const state = JSON.parse(Buffer.from(plain).toString('utf8')) as PendingState
    return state.purpose === 'login' || state.purpose === 'totp-setup' ? { session, state } : null
  } catch {
    return null
  }
}

/** Ks of a live staff session, for GET /staff/session-key. */
export async function sessionKeyOf(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  token: string
): Promise<Uint8Array | null> {
  const session = await deps.store.sessions.get(tokenHash(token), deps.clock.now())
  if (!session || session.kind !== 'staff') return null
  const ks = openBytes(dataKey(token), session.data)
  return ks && ks.length === 32 ? ks : null
}

/**
 * The signed-in staff member behind a cookie token, or null. Sessions past the idle timeout and
 * sessions of accounts no longer active are deleted on sight; a live one is touched.
 */
export async function loadStaff(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  token: string
): Promise<StaffContext | null> {
  const { store } = deps
  const now = deps.clock.now()
  const id = tokenHash(token)
  const session = await store.sessions.get(id, now)
  if (!session || session.kind !== 'staff' || !session.accountId) return null
  if (now.getTime() - session.lastSeenAt.getTime() >= STAFF_IDLE_MS) {
    await store.sessions.delete(id)
    return null
  }
  const account = await store.accounts.get(session.accountId)
  if (!account || account.status !== 'active') {
    await store.sessions.delete(id)
    return null
  }
  await store.sessions.touch(id, now)
  return { account, sessionId: id, roles: account.roles }
}

/** Where someone lands after signing in: their main work first. */
export function landingPath(roles: readonly Role[]): string {
  if (roles.includes('officer')) return '/officer'
  // An admin's first stop is the setup checklist (what is still to do, and where).
  if (roles.includes('admin')) return '/staff/admin/setup'
  if (roles.includes('management')) return '/management'
  return '/staff/account'
}
