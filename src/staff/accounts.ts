// Staff accounts: the first-run setup token, invitations, and what the admin pages show about an
// account. Invitation and setup tokens are bearer secrets: only their SHA-256 is stored.
import { fromBase64 } from '../../crypto/encoding'
import { formatFingerprint, keyFingerprint } from '../../crypto/keys'
import { createAuditLog, type AuditDetails } from '../audit'
import type { Config } from '../config'
import type { AppDeps, Clock, Random } from '../deps'
import type { Role } from '../domain/vocab'
import { newId, newToken, tokenHash } from '../report/ids'
import { DuplicateError, type Account, type Store } from '../store/types'
import { inviteInput } from './validate'

export const SETUP_TOKEN_PURPOSE = 'staff-setup'
export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000

type AccountDeps = { store: Store; clock: Clock; random: Random }

/** True when an active admin exists: then first-run setup is over. */
export async function hasActiveAdmin(store: Store): Promise<boolean> {
  return (await store.accounts.list()).some(
    (a) => a.status === 'active' && a.roles.includes('admin')
  )
}

/**
 * First run: while no active admin exists, issues a single-use setup token (valid 24 hours) and
 * returns it; null once an admin exists. The server prints `<PUBLIC_URL>/staff/setup?token=…`
 * at start, so each start while unconfigured gives a fresh link.
 */
export async function ensureSetupToken(deps: AccountDeps): Promise<string | null> {
  if (await hasActiveAdmin(deps.store)) return null
  const token = newToken(deps.random)
  const expiresAt = new Date(deps.clock.now().getTime() + SETUP_TOKEN_TTL_MS)
  await deps.store.tokens.issue(tokenHash(token), SETUP_TOKEN_PURPOSE, expiresAt)
  return token
}

/** True exactly once for a setup token ensureSetupToken issued and that has not expired. */
export function consumeSetupToken(deps: AccountDeps, token: string): Promise<boolean> {
  if (!token || token.length > 100) return Promise.resolve(false)
  return deps.store.tokens.consume(tokenHash(token), SETUP_TOKEN_PURPOSE, deps.clock.now())
}

export interface InviteInput {
  email: string
  displayName: string
  roles: Role[]
}

/** The form field an invitation's first problem is in. */
export function inviteField(key: PropertyKey | undefined): 'email' | 'displayName' | 'roles' {
  return key === 'displayName' || key === 'roles' ? key : 'email'
}

export class InviteError extends Error {
  override readonly name = 'InviteError'
  constructor(readonly field: 'email' | 'displayName' | 'roles' | 'exists') {
    super(`invitation refused: ${field}`)
  }
}

export interface Invitation {
  account: Account
  /** The enrolment link with the one-time token; shown or mailed once, never stored. */
  url: string
  /** The same link as a local path. */
  path: string
  expiresAt: Date
}

/**
 * Creates an invited account, or gives a still-invited account a new link (the old one stops
 * working). Refuses an address that belongs to an enrolled or disabled account.
 */
export async function issueInvite(
  deps: AccountDeps & { config: Pick<Config, 'publicUrl'> },
  input: InviteInput
): Promise<Invitation> {
  // The admin's form checked this at the boundary already; the CLI and a re-invitation did not.
  const parsed = inviteInput.safeParse(input)
  if (!parsed.success) throw new InviteError(inviteField(parsed.error.issues[0]?.path[0]))
  const { email, displayName, roles } = parsed.data

  const token = newToken(deps.random)
  const now = deps.clock.now()
  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS)
  const invite = { inviteTokenHash: tokenHash(token), inviteExpiresAt: expiresAt }
  const path = `/staff/enrol?token=${token}`
  const url = `${deps.config.publicUrl}${path}`

  const existing = await deps.store.accounts.getByEmail(email)
  if (existing) {
    if (existing.status !== 'invited') throw new InviteError('exists')
    const account = await deps.store.accounts.update(
      existing.id,
      existing.version,
      { displayName, roles, ...invite },
      now
    )
    return { account, url, path, expiresAt }
  }
  try {
    const account = await deps.store.accounts.create({
      id: newId(deps.random),
      email,
      displayName,
      roles,
      status: 'invited',
      notifyDigest: roles.includes('officer'),
      createdAt: now,
      ...invite,
    })
    return { account, url, path, expiresAt }
  } catch (err) {
    if (err instanceof DuplicateError) throw new InviteError('exists')
    throw err
  }
}

/**
 * CLI hook (`portal admin:invite`): invites a staff member and returns the enrolment URL to
 * pass on. Throws InviteError for a bad address, name or role list, or a taken address.
 */
export async function createInvite(
  deps: AccountDeps & { config: Pick<Config, 'publicUrl'> },
  input: InviteInput
): Promise<string> {
  return (await issueInvite(deps, input)).url
}

/** The invited account a token belongs to, while the invitation is valid. */
export async function findInvite(deps: AccountDeps, token: unknown): Promise<Account | null> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null
  const account = await deps.store.accounts.getByInviteTokenHash(tokenHash(token))
  if (!account || account.status !== 'invited' || !account.inviteExpiresAt) return null
  return account.inviteExpiresAt.getTime() > deps.clock.now().getTime() ? account : null
}

/** Hex fingerprint of the account's public keys (what admins certify), or undefined before enrolment. */
export function accountFingerprint(account: Account): string | undefined {
  if (!account.boxPublicKey || !account.signPublicKey) return undefined
  try {
    return formatFingerprint(
      keyFingerprint(fromBase64(account.boxPublicKey), fromBase64(account.signPublicKey))
    )
  } catch {
    return undefined
  }
}

/** Fingerprints compare without spaces, colons or case, as people read them out. */
export function normalizeFingerprint(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase().replace(/[^0-9a-f]/g, '') : ''
}

/** Records a staff event in the audit trail (who, what, on whom; never a secret). */
export function staffAudit(deps: Pick<AppDeps, 'store' | 'clock'>) {
  const log = createAuditLog({ store: deps.store, clock: deps.clock })
  return (
    actor: Account | undefined,
    action: string,
    subjectId?: string,
    details: AuditDetails = {}
  ) =>
    log.record({
      actorId: actor?.id,
      actorRole: actor ? actor.roles.join('+') : 'system',
      action: `staff.${action}`,
      subjectId,
      details,
    })
}
