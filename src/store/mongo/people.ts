// Grants, staff accounts and sessions.
import {
  ConflictError,
  DuplicateError,
  type Account,
  type AccountStore,
  type Grant,
  type GrantStore,
  type Session,
  type SessionStore,
  type WrappedKeys,
} from '../types'
import type { Ctx } from './context'
import { isDuplicateKey } from './errors'
import { compact, patchUpdate, toBuffer, toBytes, update } from './map'
import type { AccountDoc, GrantDoc, SessionDoc, WrappedKeysDoc } from './models'

// ---------------------------------------------------------------- grants

const grantKey = (caseId: string, kind: string, id: string) => JSON.stringify([caseId, kind, id])

export function toGrant(d: GrantDoc): Grant {
  return compact({
    caseId: d.caseId,
    granteeKind: d.granteeKind,
    granteeId: d.granteeId,
    sealedKey: toBytes(d.sealedKey),
    sealedNoteKey: d.sealedNoteKey ? toBytes(d.sealedNoteKey) : undefined,
    grantedBy: d.grantedBy,
    createdAt: d.createdAt,
  } as Grant)
}

/** Upserts retry once: two concurrent upserts of a new key both try the insert, one gets 11000. */
export async function upsertRetry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
    return fn()
  }
}

/** A grant's upsert: its key, the fields it sets and the optional ones it clears. */
function grantUpsert(g: Grant) {
  const { grantedBy, sealedNoteKey, ...rest } = g
  const fields = compact({
    caseId: rest.caseId,
    granteeKind: rest.granteeKind,
    granteeId: rest.granteeId,
    sealedKey: toBuffer(rest.sealedKey),
    sealedNoteKey: sealedNoteKey ? toBuffer(sealedNoteKey) : undefined,
    grantedBy,
    createdAt: rest.createdAt,
  })
  const absent = compact({
    grantedBy: grantedBy === undefined ? 1 : undefined,
    sealedNoteKey: sealedNoteKey === undefined ? 1 : undefined,
  })
  return {
    filter: { _id: grantKey(g.caseId, g.granteeKind, g.granteeId) },
    fields,
    change: update({ $set: fields, $unset: absent }),
  }
}

/** True when every failure of a bulk insert was a duplicate key (the grant existed already). */
function onlyDuplicates(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: unknown } | null)?.writeErrors
  if (Array.isArray(writeErrors) && writeErrors.length > 0) {
    return writeErrors.every((e: unknown) => {
      const we = e as { code?: unknown; err?: { code?: unknown } }
      return (we.code ?? we.err?.code) === 11000 || isDuplicateKey(we.err ?? we)
    })
  }
  return isDuplicateKey(err)
}

export function createGrantStore(ctx: Ctx): GrantStore {
  const { grants } = ctx.m
  return {
    async put(g) {
      const { filter, change } = grantUpsert(g)
      await upsertRetry(() => grants.updateOne(filter, change, { upsert: true }))
    },

    async putMany(gs) {
      if (gs.length === 0) return
      // New grants (imports, seeding at scale) go in with one insert: FerretDB v1 runs each
      // upsert of a bulk write as a scan of the collection, so 10,000 grants took minutes,
      // growing with the square of the count. When some exist already, all are upserted (the
      // ones just inserted are rewritten with the same values).
      const docs = gs.map((g) => {
        const { filter, fields } = grantUpsert(g)
        return { ...fields, _id: filter._id }
      })
      try {
        await grants.insertMany(docs, { ordered: true, lean: true })
        return
      } catch (err) {
        if (!onlyDuplicates(err)) throw err
      }
      await upsertRetry(() =>
        grants.bulkWrite(
          gs.map((g) => {
            const { filter, change } = grantUpsert(g)
            return { updateOne: { filter, update: change, upsert: true } }
          })
        )
      )
    },

    async setNoteKey(caseId, granteeKind, granteeId, sealedNoteKey) {
      // No upsert: a grant revoked meanwhile must stay revoked.
      const res = await grants.updateOne(
        { _id: grantKey(caseId, granteeKind, granteeId) },
        { $set: { sealedNoteKey: toBuffer(sealedNoteKey) } }
      )
      return res.matchedCount > 0
    },

    async get(caseId, granteeKind, granteeId) {
      const d = await grants
        .findOne({ _id: grantKey(caseId, granteeKind, granteeId) })
        .lean<GrantDoc>()
      return d ? toGrant(d) : null
    },

    async listForCase(caseId) {
      const docs = await grants
        .find({ caseId: { $eq: caseId } })
        .sort({ createdAt: 1, granteeKind: 1, granteeId: 1 })
        .lean<GrantDoc[]>()
      return docs.map(toGrant)
    },

    async listForGrantee(granteeKind, granteeId, afterCaseId, limit) {
      const q: Record<string, unknown> = {
        granteeKind: { $eq: granteeKind },
        granteeId: { $eq: granteeId },
      }
      if (afterCaseId !== undefined) q.caseId = { $gt: afterCaseId }
      let find = grants.find(q).sort({ caseId: 1 })
      if (limit !== undefined) find = find.limit(limit)
      const docs = await find.lean<GrantDoc[]>()
      return docs.map(toGrant)
    },

    async revoke(caseId, granteeKind, granteeId) {
      const res = await grants.deleteOne({ _id: grantKey(caseId, granteeKind, granteeId) })
      return res.deletedCount > 0
    },
  }
}

// ---------------------------------------------------------------- accounts

const ACCOUNT_PATCH_KEYS = [
  'email',
  'displayName',
  'roles',
  'status',
  'authHash',
  'totpSecretSealed',
  'totpLastStep',
  'boxPublicKey',
  'signPublicKey',
  'keys',
  'recoveryKeys',
  'inviteTokenHash',
  'inviteExpiresAt',
  'notifyDigest',
] as const

function toKeys(k: WrappedKeysDoc | undefined): WrappedKeys | undefined {
  if (!k) return undefined
  return { wrapped: k.wrapped, salt: k.salt, kdf: { m: k.kdf.m, t: k.kdf.t, p: k.kdf.p } }
}

export function toAccount(d: AccountDoc): Account {
  return compact({
    id: d._id,
    email: d.email,
    displayName: d.displayName,
    roles: [...(d.roles ?? [])],
    status: d.status,
    authHash: d.authHash,
    totpSecretSealed: d.totpSecretSealed,
    totpLastStep: d.totpLastStep,
    boxPublicKey: d.boxPublicKey,
    signPublicKey: d.signPublicKey,
    keys: toKeys(d.keys),
    recoveryKeys: toKeys(d.recoveryKeys),
    inviteTokenHash: d.inviteTokenHash,
    inviteExpiresAt: d.inviteExpiresAt,
    notifyDigest: d.notifyDigest ?? false,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    version: d.version,
  } as Account)
}

export function createAccountStore(ctx: Ctx): AccountStore {
  const { accounts } = ctx.m
  return {
    async create(a) {
      const doc: AccountDoc = compact({
        _id: a.id,
        email: a.email,
        displayName: a.displayName,
        roles: [...a.roles],
        status: a.status,
        authHash: a.authHash,
        totpSecretSealed: a.totpSecretSealed,
        totpLastStep: a.totpLastStep,
        boxPublicKey: a.boxPublicKey,
        signPublicKey: a.signPublicKey,
        keys: toKeys(a.keys),
        recoveryKeys: toKeys(a.recoveryKeys),
        inviteTokenHash: a.inviteTokenHash,
        inviteExpiresAt: a.inviteExpiresAt,
        notifyDigest: a.notifyDigest,
        createdAt: a.createdAt,
        updatedAt: a.createdAt,
        version: 1,
      })
      try {
        await accounts.create(doc)
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('account')
        throw err
      }
      return toAccount(doc)
    },

    async get(id) {
      const d = await accounts.findOne({ _id: { $eq: id } }).lean<AccountDoc>()
      return d ? toAccount(d) : null
    },

    async getByEmail(email) {
      const d = await accounts.findOne({ email: { $eq: email } }).lean<AccountDoc>()
      return d ? toAccount(d) : null
    },

    async getByInviteTokenHash(hash) {
      const d = await accounts.findOne({ inviteTokenHash: { $eq: hash } }).lean<AccountDoc>()
      return d ? toAccount(d) : null
    },

    async update(id, expectedVersion, patch, at) {
      const { $set, $unset } = patchUpdate(patch, ACCOUNT_PATCH_KEYS)
      if ($set.keys) $set.keys = toKeys($set.keys as WrappedKeys)
      if ($set.recoveryKeys) $set.recoveryKeys = toKeys($set.recoveryKeys as WrappedKeys)
      return ctx.atomic.run(`account:${id}`, async () => {
        let d: AccountDoc | null
        try {
          d = await accounts
            .findOneAndUpdate(
              { _id: { $eq: id }, version: expectedVersion },
              update({ $set: { ...$set, updatedAt: at }, $unset, $inc: { version: 1 } }),
              { returnDocument: 'after' }
            )
            .lean<AccountDoc>()
        } catch (err) {
          if (isDuplicateKey(err)) throw new DuplicateError('account')
          throw err
        }
        if (!d) throw new ConflictError('account')
        return toAccount(d)
      })
    },

    async list() {
      const docs = await accounts.find().sort({ createdAt: 1, _id: 1 }).lean<AccountDoc[]>()
      return docs.map(toAccount)
    },

    count() {
      return accounts.countDocuments()
    },
  }
}

// ---------------------------------------------------------------- sessions

export function toSession(d: SessionDoc): Session {
  return compact({
    id: d._id,
    kind: d.kind,
    accountId: d.accountId,
    caseId: d.caseId,
    data: d.data == null ? undefined : toBytes(d.data),
    createdAt: d.createdAt,
    lastSeenAt: d.lastSeenAt,
    expiresAt: d.expiresAt,
  } as Session)
}

export function createSessionStore(ctx: Ctx): SessionStore {
  const { sessions } = ctx.m
  return {
    async create(s) {
      try {
        await sessions.create(
          compact({
            _id: s.id,
            kind: s.kind,
            accountId: s.accountId,
            caseId: s.caseId,
            data: s.data && toBuffer(s.data),
            createdAt: s.createdAt,
            lastSeenAt: s.lastSeenAt,
            expiresAt: s.expiresAt,
          })
        )
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError('session')
        throw err
      }
    },

    async get(id, now) {
      const d = await sessions
        .findOne({ _id: { $eq: id }, expiresAt: { $gt: now } })
        .lean<SessionDoc>()
      return d ? toSession(d) : null
    },

    async touch(id, at) {
      await sessions.updateOne({ _id: { $eq: id } }, { $set: { lastSeenAt: at } })
    },

    async setData(id, data) {
      await sessions.updateOne({ _id: { $eq: id } }, { $set: { data: toBuffer(data) } })
    },

    async delete(id) {
      await sessions.deleteOne({ _id: { $eq: id } })
    },

    async deleteForAccount(accountId) {
      const res = await sessions.deleteMany({ accountId: { $eq: accountId } })
      return res.deletedCount
    },
  }
}
