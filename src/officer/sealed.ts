// What the officer's browser reads and writes as ciphertext: the sealed thread and grants of a
// case, replies and internal notes, the officers-only note key, grants to other officers, the
// hand-over of a leaver's cases, and reports registered by hand (intake.ts). The server checks
// shapes, scope and sequence numbers; it never holds a key that opens anything.
import { fromBase64, toBase64 } from '../../crypto/encoding'
import type { AuditDetails } from '../audit'
import type { LifecycleRules } from '../domain/lifecycle'
import type { AppDeps } from '../deps'
import { enqueueMail } from '../mail/outbox'
import type { OfficerKey as ReporterOfficerKey } from '../report/directory'
import { officerAuthors, toItemView } from '../report/items'
import type { Certificates } from '../staff/certificates'
import type { StaffContext } from '../staff/types'
import { ConflictError, DuplicateError, type Account, type CaseItem } from '../store/types'
import type {
  CaseTitleView,
  GrantRequest,
  HandoverBatch,
  HandoverRequest,
  NoteKeyRequest,
  OfficerCaseView,
  OfficerItemRequest,
  OfficerKey,
} from './api'
import type { OfficerCases } from './cases'
import { officerLifecycleRules } from './rules'
import { fail, type ApiResult } from './api-result'
import { createOfficerIntake } from './intake'

const NOT_FOUND = fail(404, 'not-found', 'No such case among yours')

export const HANDOVER_BATCH = 20
export const MAX_TITLES = 50

export interface SealedDeps {
  deps: Pick<AppDeps, 'store' | 'clock' | 'random' | 'config' | 'secrets'>
  cases: OfficerCases
  /** Active officers certified by the org key (the reporter path's list). */
  officerKeys: () => Promise<ReporterOfficerKey[]>
  /** The org key and its statements, which the browser verifies officer items against. */
  certificates: Pick<Certificates, 'signerMaterial'>
  rules?: LifecycleRules
}

export type { ApiFailure, ApiResult } from './api-result'

export function createOfficerSealed({
  deps,
  cases,
  officerKeys,
  certificates,
  rules = officerLifecycleRules(),
}: SealedDeps) {
  const { store, clock, random, config } = deps
  const record = cases.record
  const { intake } = createOfficerIntake({ deps, record, officerKeys, rules })

  async function officersWithNames(): Promise<OfficerKey[]> {
    const keys = await officerKeys()
    const out: OfficerKey[] = []
    for (const k of keys) {
      const a = await store.accounts.get(k.id)
      out.push({ ...k, displayName: a?.displayName ?? k.id })
    }
    return out
  }

  /** Names of the officers who wrote items (current or former officers alike). */
  async function signerNames(items: CaseItem[]) {
    const out: { id: string; displayName: string }[] = []
    for (const id of officerAuthors(items)) {
      const a = await store.accounts.get(id)
      if (a) out.push({ id, displayName: a.displayName })
    }
    return out
  }

  /** The browser asks for the ciphertext to decrypt it: that request is what the audit records. */
  async function caseView(
    staff: StaffContext,
    caseId: string
  ): Promise<ApiResult<OfficerCaseView>> {
    const me = staff.account.id
    const c = await cases.caseFor(me, caseId)
    const grant = c && (await store.grants.get(c.id, 'officer', me))
    if (!c || !grant) return NOT_FOUND
    const items = await store.items.list(c.id)
    const grantees: OfficerCaseView['grantees'] = []
    for (const g of await store.grants.listForCase(c.id)) {
      if (g.granteeKind !== 'officer') continue
      const a = await store.accounts.get(g.granteeId)
      if (!a?.boxPublicKey || a.status !== 'active') continue
      grantees.push({
        id: a.id,
        displayName: a.displayName,
        boxPublicKey: a.boxPublicKey,
        hasNoteKey: !!g.sealedNoteKey,
      })
    }
    await record(staff, 'case.decrypt-request', c.id, { items: items.length })
    if (c.unreadForOfficers) {
      await store.cases
        .update(c.id, c.version, { unreadForOfficers: false }, clock.now())
        .catch((err: unknown) => {
          if (!(err instanceof ConflictError)) throw err
        })
    }
    return {
      ok: true,
      value: {
        caseId: c.id,
        casePublicKey: c.casePublicKey,
        grant: toBase64(grant.sealedKey),
        ...(c.notePublicKey ? { notePublicKey: c.notePublicKey } : {}),
        ...(grant.sealedNoteKey ? { noteGrant: toBase64(grant.sealedNoteKey) } : {}),
        ...(c.reporterSignPublicKey ? { reporterSignPublicKey: c.reporterSignPublicKey } : {}),
        signers: await signerNames(items),
        ...(await certificates.signerMaterial(officerAuthors(items))),
        grantees,
        lastSeq: c.lastSeq,
        items: items.map(toItemView),
      },
    }
  }

  /** The first item of each case (the report itself), for titles decrypted in the inbox. */
  async function titles(staff: StaffContext, caseIds: string[]): Promise<CaseTitleView[]> {
    const me = staff.account.id
    const out: CaseTitleView[] = []
    for (const id of [...new Set(caseIds)].slice(0, MAX_TITLES)) {
      const c = await cases.caseFor(me, id)
      const grant = c && (await store.grants.get(c.id, 'officer', me))
      if (!c || !grant) continue
      const first = (await store.items.list(c.id)).find((i) => i.kind === 'answers')
      await record(staff, 'case.decrypt-request', c.id, { purpose: 'title' })
      out.push({
        caseId: c.id,
        casePublicKey: c.casePublicKey,
        grant: toBase64(grant.sealedKey),
        ...(c.reporterSignPublicKey ? { reporterSignPublicKey: c.reporterSignPublicKey } : {}),
        ...(await certificates.signerMaterial(first ? officerAuthors([first]) : [])),
        ...(first ? { first: toItemView(first) } : {}),
      })
    }
    return out
  }

  /** A reply to the reporter or an internal note, sealed and signed in the officer's browser. */
  async function addItem(
    staff: StaffContext,
    caseId: string,
    req: OfficerItemRequest
  ): Promise<ApiResult<{ seq: number }>> {
    const c = await cases.caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    // Without a note key a note could only be sealed to the case key, which the reporter holds.
    if (req.kind === 'note' && !c.notePublicKey) {
      return fail(409, 'no-note-key', 'This case has no note key yet; make one first')
    }
    for (const blobId of req.blobIds ?? []) {
      const info = await store.blobs.info(blobId)
      if (!info || info.caseId !== c.id || !info.complete) {
        return fail(400, 'incomplete', `Upload ${blobId} is not complete`)
      }
    }
    try {
      await store.items.insertAt({
        caseId: c.id,
        seq: req.seq,
        id: req.itemId,
        kind: req.kind,
        authorRole: 'officer',
        authorId: staff.account.id,
        encMode: 'client',
        sealed: fromBase64(req.sealed),
        createdAt: clock.now(),
      })
    } catch (err) {
      if (err instanceof DuplicateError) {
        const fresh = await store.cases.get(c.id)
        return fail(
          409,
          'seq-taken',
          'Someone else wrote first; seal again with the next number',
          fresh?.lastSeq ?? 0
        )
      }
      throw err
    }
    await record(staff, req.kind === 'note' ? 'case.note' : 'case.reply', c.id, {
      seq: req.seq,
      ...(req.blobIds ? { files: req.blobIds.length } : {}),
    })
    return { ok: true, value: { seq: req.seq } }
  }

  /** Makes the officers-only note key of a case: once, sealed to every officer holding the case. */
  async function setNoteKey(
    staff: StaffContext,
    caseId: string,
    req: NoteKeyRequest
  ): Promise<ApiResult<{ notePublicKey: string }>> {
    const c = await cases.caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    if (c.notePublicKey) {
      return fail(409, 'note-key-exists', 'This case has a note key already; reload')
    }
    const holders = (await store.grants.listForCase(c.id)).filter(
      (g) => g.granteeKind === 'officer'
    )
    const given = new Set(req.grants.map((g) => g.officerId))
    if (
      !given.has(staff.account.id) ||
      req.grants.some((g) => !holders.some((h) => h.granteeId === g.officerId))
    ) {
      return fail(409, 'officers-changed', 'The officers of this case changed; reload')
    }
    try {
      await store.cases.update(c.id, c.version, { notePublicKey: req.notePublicKey }, clock.now())
    } catch (err) {
      if (err instanceof ConflictError) {
        return fail(409, 'note-key-exists', 'The case changed meanwhile; reload')
      }
      throw err
    }
    for (const g of req.grants) {
      await store.grants.setNoteKey(c.id, 'officer', g.officerId, fromBase64(g.sealedNoteKey))
    }
    await record(staff, 'case.note-key', c.id, { officers: req.grants.length })
    return { ok: true, value: { notePublicKey: req.notePublicKey } }
  }

  /** An active officer with keys, by account id. */
  async function officerAccount(id: string): Promise<Account | null> {
    const a = await store.accounts.get(id)
    return a && a.status === 'active' && a.roles.includes('officer') && a.boxPublicKey ? a : null
  }

  async function notifyGrantee(account: Account, dedupeKey: string): Promise<void> {
    try {
      await enqueueMail(store, clock, random, {
        to: account.email,
        template: 'case-attention',
        params: { publicUrl: config.publicUrl },
        dedupeKey,
      })
    } catch {
      // An address the mail module refuses must not undo a grant that is already stored.
    }
  }

  /** Gives another officer the case key (and the note key) the browser re-sealed to them. */
  async function grant(
    staff: StaffContext,
    caseId: string,
    req: GrantRequest
  ): Promise<ApiResult<{ granteeId: string }>> {
    const c = await cases.caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    const grantee = await officerAccount(req.granteeId)
    if (!grantee) {
      return fail(422, 'not-an-officer', 'That person is not an active officer with keys')
    }
    if (c.notePublicKey && !req.sealedNoteKey) {
      return fail(409, 'officers-changed', 'The case has a note key now; reload and grant again')
    }
    await store.grants.put({
      caseId: c.id,
      granteeKind: 'officer',
      granteeId: grantee.id,
      sealedKey: fromBase64(req.sealedKey),
      ...(c.notePublicKey && req.sealedNoteKey
        ? { sealedNoteKey: fromBase64(req.sealedNoteKey) }
        : {}),
      grantedBy: staff.account.id,
      createdAt: clock.now(),
    })
    await record(staff, 'case.grant', c.id, { granteeId: grantee.id })
    await notifyGrantee(
      grantee,
      `grant:${c.id}:${grantee.id}:${clock.now().toISOString().slice(0, 10)}`
    )
    return { ok: true, value: { granteeId: grantee.id } }
  }

  /** Takes an officer's access away; never the case's last officer grant (it would be lost). */
  async function revoke(
    staff: StaffContext,
    caseId: string,
    granteeId: string
  ): Promise<ApiResult<{ self: boolean }>> {
    const c = await cases.caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    const officers = (await store.grants.listForCase(c.id)).filter(
      (g) => g.granteeKind === 'officer'
    )
    if (!officers.some((g) => g.granteeId === granteeId)) {
      return fail(404, 'not-found', 'That officer holds no grant')
    }
    if (officers.length <= 1) {
      return fail(
        409,
        'last-grant',
        'This is the last officer grant: the case would become unreadable'
      )
    }
    await store.grants.revoke(c.id, 'officer', granteeId)
    if (c.assigneeId === granteeId) {
      await store.cases
        .update(c.id, c.version, { assigneeId: undefined }, clock.now())
        .catch((err: unknown) => {
          if (!(err instanceof ConflictError)) throw err
        })
    }
    await record(staff, 'case.revoke', c.id, { granteeId })
    return { ok: true, value: { self: granteeId === staff.account.id } }
  }

  /** The next cases of a leaver, with my own grants to open their keys in the browser. */
  async function handoverBatch(
    staff: StaffContext,
    from: string,
    to: string,
    after: string | undefined
  ): Promise<ApiResult<HandoverBatch>> {
    if (from === to) return fail(422, 'bad-request', 'Choose two different officers')
    if (!(await officerAccount(to))) {
      return fail(422, 'not-an-officer', 'The receiving officer has no keys')
    }
    const me = staff.account.id
    const all = await store.grants.listForGrantee('officer', from)
    const batch = await store.grants.listForGrantee('officer', from, after, HANDOVER_BATCH)
    const items: HandoverBatch['items'] = []
    for (const g of batch) {
      const c = await store.cases.get(g.caseId)
      if (!c) continue
      const mine = await store.grants.get(c.id, 'officer', me)
      const done = !!(await store.grants.get(c.id, 'officer', to))
      items.push({
        caseId: c.id,
        casePublicKey: c.casePublicKey,
        ...(mine ? { grant: toBase64(mine.sealedKey) } : {}),
        ...(c.notePublicKey ? { notePublicKey: c.notePublicKey } : {}),
        ...(mine?.sealedNoteKey ? { noteGrant: toBase64(mine.sealedNoteKey) } : {}),
        done,
      })
      if (mine) await record(staff, 'case.decrypt-request', c.id, { purpose: 'handover' })
    }
    const next = batch.length === HANDOVER_BATCH ? batch.at(-1)?.caseId : undefined
    return { ok: true, value: { items, total: all.length, ...(next ? { next } : {}) } }
  }

  async function handover(
    staff: StaffContext,
    req: HandoverRequest
  ): Promise<ApiResult<{ granted: number; revoked: number }>> {
    const to = await officerAccount(req.to)
    if (!to) return fail(422, 'not-an-officer', 'The receiving officer has no keys')
    const me = staff.account.id
    let granted = 0
    let revoked = 0
    for (const g of req.grants) {
      // Only cases I hold myself (so the key I sealed is one I could open) that the leaver holds.
      const c = await cases.caseFor(me, g.caseId)
      if (!c || !(await store.grants.get(c.id, 'officer', req.from))) continue
      await store.grants.put({
        caseId: c.id,
        granteeKind: 'officer',
        granteeId: to.id,
        sealedKey: fromBase64(g.sealedKey),
        ...(c.notePublicKey && g.sealedNoteKey
          ? { sealedNoteKey: fromBase64(g.sealedNoteKey) }
          : {}),
        grantedBy: me,
        createdAt: clock.now(),
      })
      granted++
      const details: AuditDetails = { granteeId: to.id, via: 'handover', from: req.from }
      await record(staff, 'case.grant', c.id, details)
      if (req.revokeFrom && req.from !== me) {
        if (await store.grants.revoke(c.id, 'officer', req.from)) {
          revoked++
          await record(staff, 'case.revoke', c.id, { granteeId: req.from, via: 'handover' })
        }
      }
    }
    if (granted > 0) {
      await notifyGrantee(
        to,
        `handover:${req.from}:${to.id}:${clock.now().toISOString().slice(0, 10)}`
      )
    }
    return { ok: true, value: { granted, revoked } }
  }

  return {
    officersWithNames,
    caseView,
    titles,
    addItem,
    setNoteKey,
    grant,
    revoke,
    handoverBatch,
    handover,
    intake,
  }
}

export type OfficerSealed = ReturnType<typeof createOfficerSealed>
