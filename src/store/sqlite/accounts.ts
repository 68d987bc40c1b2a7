import {
  ConflictError,
  type Account,
  type AccountPatch,
  type AccountStore,
  type WrappedKeys,
} from '../types'
import {
  bool,
  date,
  dateOrUndefined,
  guardDuplicate,
  int,
  json,
  jsonOrNull,
  ms,
  msOrNull,
  orNull,
  orUndefined,
  parseJson,
  parseJsonOrUndefined,
  patchAssignments,
  type PatchColumn,
  promised,
  type Sql,
} from './db'

interface AccountRow {
  id: string
  email: string
  display_name: string
  roles: string
  status: Account['status']
  auth_hash: string | null
  totp_secret_sealed: string | null
  totp_last_step: number | null
  box_public_key: string | null
  sign_public_key: string | null
  keys: string | null
  recovery_keys: string | null
  invite_token_hash: string | null
  invite_expires_at: number | null
  notify_digest: number
  created_at: number
  updated_at: number
  version: number
}

function accountFromRow(r: AccountRow): Account {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    roles: parseJson<Account['roles']>(r.roles),
    status: r.status,
    authHash: orUndefined(r.auth_hash),
    totpSecretSealed: orUndefined(r.totp_secret_sealed),
    totpLastStep: orUndefined(r.totp_last_step),
    boxPublicKey: orUndefined(r.box_public_key),
    signPublicKey: orUndefined(r.sign_public_key),
    keys: parseJsonOrUndefined<WrappedKeys>(r.keys),
    recoveryKeys: parseJsonOrUndefined<WrappedKeys>(r.recovery_keys),
    inviteTokenHash: orUndefined(r.invite_token_hash),
    inviteExpiresAt: dateOrUndefined(r.invite_expires_at),
    notifyDigest: bool(r.notify_digest),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    version: r.version,
  }
}

const patchColumns: Record<keyof Required<AccountPatch>, PatchColumn> = {
  email: { column: 'email', optional: false },
  displayName: { column: 'display_name', optional: false },
  roles: { column: 'roles', optional: false, encode: json },
  status: { column: 'status', optional: false },
  authHash: { column: 'auth_hash', optional: true },
  totpSecretSealed: { column: 'totp_secret_sealed', optional: true },
  totpLastStep: { column: 'totp_last_step', optional: true },
  boxPublicKey: { column: 'box_public_key', optional: true },
  signPublicKey: { column: 'sign_public_key', optional: true },
  keys: { column: 'keys', optional: true, encode: json },
  recoveryKeys: { column: 'recovery_keys', optional: true, encode: json },
  inviteTokenHash: { column: 'invite_token_hash', optional: true },
  inviteExpiresAt: { column: 'invite_expires_at', optional: true, encode: ms },
  notifyDigest: { column: 'notify_digest', optional: false, encode: int },
}

export function createAccountStore(sql: Sql): AccountStore {
  const insert = sql(`INSERT INTO accounts (
      id, email, display_name, roles, status, auth_hash, totp_secret_sealed, totp_last_step,
      box_public_key, sign_public_key, keys, recovery_keys,
      invite_token_hash, invite_expires_at, notify_digest, created_at, updated_at, version
    ) VALUES (
      @id, @email, @display_name, @roles, @status, @auth_hash, @totp_secret_sealed,
      @totp_last_step, @box_public_key, @sign_public_key, @keys, @recovery_keys,
      @invite_token_hash, @invite_expires_at, @notify_digest, @created_at,
      @updated_at, @version
    )`)
  const byId = sql<AccountRow>('SELECT * FROM accounts WHERE id = ?')
  const byEmail = sql<AccountRow>('SELECT * FROM accounts WHERE email = ?')
  const byInvite = sql<AccountRow>('SELECT * FROM accounts WHERE invite_token_hash = ?')
  const all = sql<AccountRow>('SELECT * FROM accounts ORDER BY created_at, id')
  const count = sql<{ n: number }>('SELECT count(*) AS n FROM accounts')

  return promised<AccountStore>({
    create(a) {
      const row: AccountRow = {
        id: a.id,
        email: a.email,
        display_name: a.displayName,
        roles: json(a.roles),
        status: a.status,
        auth_hash: orNull(a.authHash),
        totp_secret_sealed: orNull(a.totpSecretSealed),
        totp_last_step: orNull(a.totpLastStep),
        box_public_key: orNull(a.boxPublicKey),
        sign_public_key: orNull(a.signPublicKey),
        keys: jsonOrNull(a.keys),
        recovery_keys: jsonOrNull(a.recoveryKeys),
        invite_token_hash: orNull(a.inviteTokenHash),
        invite_expires_at: msOrNull(a.inviteExpiresAt),
        notify_digest: int(a.notifyDigest),
        created_at: ms(a.createdAt),
        updated_at: ms(a.createdAt),
        version: 1,
      }
      guardDuplicate('account', () => insert.run(row))
      return accountFromRow(row)
    },

    get(id) {
      const row = byId.get(id)
      return row ? accountFromRow(row) : null
    },

    getByEmail(email) {
      const row = byEmail.get(email)
      return row ? accountFromRow(row) : null
    },

    getByInviteTokenHash(hash) {
      const row = byInvite.get(hash)
      return row ? accountFromRow(row) : null
    },

    update(id, expectedVersion, patch, at) {
      const { sets, params } = patchAssignments(patch, patchColumns)
      const row = guardDuplicate('account', () =>
        sql<AccountRow>(
          `UPDATE accounts SET ${[...sets, 'updated_at = ?', 'version = version + 1'].join(', ')}
           WHERE id = ? AND version = ? RETURNING *`
        ).get(...params, ms(at), id, expectedVersion)
      )
      if (!row) throw new ConflictError('account')
      return accountFromRow(row)
    },

    list() {
      return all.all().map(accountFromRow)
    },

    count() {
      return count.get()?.n ?? 0
    },
  })
}
