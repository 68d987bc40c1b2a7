// The officer's cases as plain metadata: the inbox, lifecycle actions and case fields. Every
// read and write is scoped to the cases the officer holds a grant for; a case outside that scope
// is "not found", whatever its id. No content passes through here: the server cannot read it.
import { createAuditLog, type AuditDetails } from '../audit'
import { localDate } from '../domain/calendar'
import { clockStatus, nearestDue, type Clock } from '../domain/deadlines'
import {
  applyAction,
  availableActions,
  findTransition,
  type ActionResult,
  type LifecycleRules,
} from '../domain/lifecycle'
import {
  CATEGORIES,
  isOneOf,
  LIFECYCLE_ACTIONS,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  MEASURE_OUTCOMES,
  OUTCOMES,
  PROTECTION_MEASURE_KINDS,
  REFERRAL_BODIES,
  type Outcome,
} from '../domain/vocab'
import type { AppDeps } from '../deps'
import type { StaffContext } from '../staff/types'
import {
  ConflictError,
  type Account,
  type CasePatch,
  type CaseRecord,
  type Page,
  type ProtectionMeasure,
  type Referral,
} from '../store/types'
import { caseClocks, officerLifecycleRules } from './rules'

export type OfficerDeps = Pick<AppDeps, 'store' | 'clock' | 'random'>

/** Why a change was refused, in words for the officer and a status for the response. */
export interface ChangeRefused {
  status: 404 | 409 | 422
  code: string
  message: string
}
export type Change<T> = { ok: true; value: T } | { ok: false; error: ChangeRefused }

const refused = (status: ChangeRefused['status'], code: string, message: string) =>
  ({ ok: false, error: { status, code, message } }) as const

const NOT_FOUND = refused(404, 'not-found', 'No such case among yours')
const CONFLICT = refused(409, 'conflict', 'Someone else changed this case; reload it and try again')

import {
  INBOX_COUNT_LIMIT,
  INBOX_PAGE_SIZE,
  inboxFilter,
  type ActionInput,
  type CaseDetail,
  type FieldsInput,
  type InboxQuery,
  type InboxRow,
  type MeasureInput,
} from './case-inputs'

export {
  INBOX_COUNT_LIMIT,
  INBOX_MAX_PAGE,
  INBOX_PAGE_SIZE,
  type ActionInput,
  type CaseDetail,
  type ClockRow,
  type FieldsInput,
  type InboxQuery,
  type InboxRow,
  type MeasureInput,
} from './case-inputs'

export function createOfficerCases(
  deps: OfficerDeps,
  rules: LifecycleRules = officerLifecycleRules()
) {
  const { store, clock } = deps
  const audit = createAuditLog({ store, clock })

  const record = (
    staff: StaffContext,
    action: string,
    caseId: string | undefined,
    details: AuditDetails = {}
  ) =>
    audit.record({
      actorId: staff.account.id,
      actorRole: 'officer',
      action,
      subjectId: caseId,
      details,
    })

  /** The case, if this officer holds a grant for it; null otherwise (shown as 404). */
  async function caseFor(officerId: string, caseId: string): Promise<CaseRecord | null> {
    if (caseId.length > 100) return null
    const grant = await store.grants.get(caseId, 'officer', officerId)
    return grant ? store.cases.get(caseId) : null
  }

  /** Officers who hold a grant on the case (active accounts only). */
  async function caseOfficers(caseId: string): Promise<Account[]> {
    const grants = await store.grants.listForCase(caseId)
    const out: Account[] = []
    for (const g of grants) {
      if (g.granteeKind !== 'officer') continue
      const a = await store.accounts.get(g.granteeId)
      if (a && a.status === 'active' && a.roles.includes('officer')) out.push(a)
    }
    return out.sort((x, y) => x.displayName.localeCompare(y.displayName))
  }

  /**
   * Web reports are stored without clocks (see rules.caseClocks); saving their receipt clocks
   * once lets the overdue filter, which the store evaluates, find them too.
   */
  async function saveReceiptClocks(officerId: string): Promise<void> {
    // Only the clockless ones (an index finds them), not every received case of the inbox.
    const received = await store.cases.all({
      grantedTo: officerId,
      states: ['received'],
      withoutClocks: true,
    })
    for (const c of received) {
      if (c.clocks.length > 0) continue
      await store.cases
        .update(c.id, c.version, { clocks: caseClocks(c, rules) }, clock.now())
        .catch((err: unknown) => {
          if (!(err instanceof ConflictError)) throw err
        })
    }
  }

  async function inbox(
    staff: StaffContext,
    q: InboxQuery
  ): Promise<{ page: Page<CaseRecord>; rows: InboxRow[] }> {
    const officerId = staff.account.id
    await saveReceiptClocks(officerId)
    const now = clock.now()
    const page = await store.cases.list(inboxFilter(q, officerId, now), q.page, INBOX_PAGE_SIZE, {
      sort: q.sort,
      direction: q.direction,
      countLimit: INBOX_COUNT_LIMIT,
    })
    const rows = page.items.map((c) => ({ case: c, due: nearestDue(caseClocks(c, rules), now) }))
    return { page, rows }
  }

  /** The case page's data; records that the officer opened the case. */
  async function detail(staff: StaffContext, caseId: string): Promise<CaseDetail | null> {
    let c = await caseFor(staff.account.id, caseId)
    if (!c) return null
    await record(staff, 'case.open', c.id)
    // Read once an officer opens it. Done here, before the page's forms take the version, so
    // the script's fetch of the thread afterwards cannot make those forms stale.
    if (c.unreadForOfficers) {
      c = await store.cases
        .update(c.id, c.version, { unreadForOfficers: false }, clock.now())
        .catch((err: unknown) => {
          if (err instanceof ConflictError) return c!
          throw err
        })
    }
    const now = clock.now()
    const clocks = caseClocks(c, rules)
    const year = Number(localDate(c.receivedAt).slice(0, 4))
    const years = await store.plan.years()
    // The plan of the year the report came in, else the latest plan there is.
    const planYear = years.includes(year) ? year : years.at(-1)
    return {
      case: c,
      clocks: clocks.map((k) => ({ ...k, status: clockStatus(k, now) })),
      due: nearestDue(clocks, now),
      actions: availableActions(c.state, clocks, {
        pendingExtension: c.pendingExtension,
        actorId: staff.account.id,
        now,
      }),
      closeOutcomes: findTransition(c.state, 'close')?.outcomes ?? [],
      officers: await caseOfficers(c.id),
      planItems: planYear === undefined ? [] : await store.plan.listYear(planYear),
    }
  }

  /** Writes a patch with the version the officer's form was rendered from. */
  async function save(
    staff: StaffContext,
    c: CaseRecord,
    version: number,
    patch: CasePatch,
    auditAction: string,
    details: AuditDetails
  ): Promise<Change<CaseRecord>> {
    if (version !== c.version) return CONFLICT
    // Receipt clocks computed for display are stored with the first change (rules.caseClocks).
    const withClocks =
      c.clocks.length === 0 && !patch.clocks ? { ...patch, clocks: caseClocks(c, rules) } : patch
    let updated: CaseRecord
    try {
      updated = await store.cases.update(c.id, version, withClocks, clock.now())
    } catch (err) {
      if (err instanceof ConflictError) return CONFLICT
      throw err
    }
    await record(staff, auditAction, c.id, details)
    return { ok: true, value: updated }
  }

  async function act(
    staff: StaffContext,
    caseId: string,
    input: ActionInput
  ): Promise<Change<ActionResult>> {
    const c = await caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    if (!isOneOf(LIFECYCLE_ACTIONS, input.action)) {
      return refused(422, 'unknown-action', 'Unknown action')
    }
    let outcome: Outcome | undefined
    if (input.outcome) {
      if (!isOneOf(OUTCOMES, input.outcome)) {
        return refused(422, 'invalid-outcome', 'Unknown outcome')
      }
      outcome = input.outcome
    }
    let extensionDays: number | undefined
    if (input.extensionDays) {
      extensionDays = Number(input.extensionDays)
      if (!Number.isInteger(extensionDays)) {
        return refused(422, 'invalid-extension', 'Days must be a whole number')
      }
    }
    let referral: Referral | undefined
    if (input.action === 'refer') {
      const name = input.referralName?.trim()
      if (!isOneOf(REFERRAL_BODIES, input.referralBody)) {
        return refused(422, 'invalid-referral', 'Choose the body the case is sent to')
      }
      if (input.referralBody === 'other' && (!name || name.length > 200)) {
        return refused(422, 'invalid-referral', 'Name the body the case is sent to')
      }
      referral = {
        body: input.referralBody,
        ...(input.referralBody === 'other' ? { name } : {}),
        at: clock.now(),
      }
    }
    const result = applyAction(
      { ...c, clocks: caseClocks(c, rules) },
      input.action,
      { actorId: staff.account.id, at: clock.now(), reason: input.reason, outcome, extensionDays },
      rules
    )
    if (!result.ok) {
      const status = result.error.code === 'illegal-transition' ? 409 : 422
      return refused(status, result.error.code, result.error.message)
    }
    const r = result.value
    const saved = await save(
      staff,
      c,
      input.version,
      {
        state: r.state,
        outcome: r.outcome,
        clocks: r.clocks,
        pendingExtension: r.pendingExtension,
        ...(referral ? { referral } : {}),
      },
      'case.action',
      {
        action: r.event.action,
        from: r.event.from,
        to: r.event.to,
        reason: r.event.reason,
        ...(r.event.outcome ? { outcome: r.event.outcome } : {}),
        ...(r.event.extensionDays !== undefined ? { extensionDays: r.event.extensionDays } : {}),
        ...(referral ? { referredTo: referral.body } : {}),
      }
    )
    return saved.ok ? { ok: true, value: r } : saved
  }

  /** Gives the case the next number of the year it was received in, e.g. 2026/0042. */
  async function register(
    staff: StaffContext,
    caseId: string,
    version: number
  ): Promise<Change<CaseRecord>> {
    const c = await caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    if (c.registrationNo) {
      return refused(409, 'registered', 'The case already has a registration number')
    }
    if (version !== c.version) return CONFLICT
    const year = Number(localDate(c.receivedAt).slice(0, 4))
    const n = await store.cases.nextRegistrationNumber(year)
    const registrationNo = `${year}/${String(n).padStart(4, '0')}`
    return save(staff, c, version, { registrationNo }, 'case.register', { registrationNo })
  }

  async function updateFields(
    staff: StaffContext,
    caseId: string,
    input: FieldsInput
  ): Promise<Change<CaseRecord>> {
    const c = await caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    const patch: CasePatch = {}
    if (input.category !== undefined) {
      if (input.category !== '' && !isOneOf(CATEGORIES, input.category)) {
        return refused(422, 'invalid-category', 'Choose a category from the list')
      }
      patch.category = input.category || undefined
    }
    if (input.tags !== undefined) {
      const tags = parseTags(input.tags)
      if (!tags) {
        return refused(
          422,
          'invalid-tags',
          `At most ${MAX_TAGS} tags of letters, digits and dashes`
        )
      }
      patch.tags = tags
    }
    if (input.assigneeId !== undefined) {
      if (
        input.assigneeId !== '' &&
        !(await caseOfficers(c.id)).some((o) => o.id === input.assigneeId)
      ) {
        return refused(
          422,
          'invalid-assignee',
          'Only an officer who holds this case can be assigned'
        )
      }
      patch.assigneeId = input.assigneeId || undefined
    }
    if (input.planItemIds !== undefined) {
      const ids = [...new Set(input.planItemIds)].slice(0, 50)
      for (const id of ids) {
        if (!(await store.plan.get(id))) {
          return refused(422, 'invalid-plan-item', 'Unknown plan item')
        }
      }
      patch.planItemIds = ids
    }
    const details: AuditDetails = {}
    for (const key of Object.keys(patch)) details[key] = true
    if (patch.category !== undefined) details.category = patch.category
    if (patch.planItemIds) details.planItemIds = patch.planItemIds.join(',')
    if ('assigneeId' in patch) details.assigneeId = patch.assigneeId ?? ''
    return save(staff, c, input.version, patch, 'case.update', details)
  }

  async function addMeasure(
    staff: StaffContext,
    caseId: string,
    input: MeasureInput
  ): Promise<Change<CaseRecord>> {
    const c = await caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    if (!isOneOf(PROTECTION_MEASURE_KINDS, input.kind)) {
      return refused(422, 'invalid-measure', 'Choose a measure from the list')
    }
    if (!isOneOf(MEASURE_OUTCOMES, input.outcome)) {
      return refused(422, 'invalid-outcome', 'Choose an outcome from the list')
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.takenOn) || Number.isNaN(Date.parse(input.takenOn))) {
      return refused(422, 'invalid-date', 'Give the date the measure was taken')
    }
    if (input.takenOn > localDate(clock.now())) {
      return refused(422, 'invalid-date', 'The date is in the future')
    }
    const measure: ProtectionMeasure = {
      id: Buffer.from(deps.random.bytes(9)).toString('base64url'),
      kind: input.kind,
      takenOn: input.takenOn,
      outcome: input.outcome,
      recordedBy: staff.account.id,
      recordedAt: clock.now(),
    }
    return save(
      staff,
      c,
      input.version,
      { protectionMeasures: [...c.protectionMeasures, measure] },
      'case.measure',
      {
        kind: measure.kind,
        takenOn: measure.takenOn,
        outcome: measure.outcome,
      }
    )
  }

  async function updateMeasure(
    staff: StaffContext,
    caseId: string,
    measureId: string,
    outcome: string,
    version: number
  ): Promise<Change<CaseRecord>> {
    const c = await caseFor(staff.account.id, caseId)
    if (!c) return NOT_FOUND
    if (!isOneOf(MEASURE_OUTCOMES, outcome)) {
      return refused(422, 'invalid-outcome', 'Choose an outcome from the list')
    }
    if (!c.protectionMeasures.some((m) => m.id === measureId)) {
      return refused(404, 'not-found', 'No such measure')
    }
    const measures = c.protectionMeasures.map((m) => (m.id === measureId ? { ...m, outcome } : m))
    return save(staff, c, version, { protectionMeasures: measures }, 'case.measure', {
      measureId,
      outcome,
    })
  }

  return {
    caseFor,
    caseOfficers,
    inbox,
    detail,
    act,
    register,
    updateFields,
    addMeasure,
    updateMeasure,
    record,
  }
}

export type OfficerCases = ReturnType<typeof createOfficerCases>

/** "urgent, tender" → ['urgent', 'tender']; null when a tag has anything but letters, digits, dashes. */
export function parseTags(text: string): string[] | null {
  const tags = [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((t) => t.trim().toLowerCase().replace(/\s+/g, '-'))
        .filter(Boolean)
    ),
  ]
  if (tags.length > MAX_TAGS) return null
  return tags.every((t) => t.length <= MAX_TAG_LENGTH && /^[\p{L}\p{N}-]+$/u.test(t)) ? tags : null
}

export type { Clock }
