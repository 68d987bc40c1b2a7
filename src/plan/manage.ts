// Plan items as managed data (the admin's work): create, edit, reorder, delete, copy to the next
// year, and replace a year's plan from a file. Every change goes to the audit trail.
// The plan store keeps no versions: an edit carries a stamp of the item as it was read (a hash
// of its fields) and is refused when the item changed since. The check and the write are two
// steps, so two saves within the same instant can still both pass; the later one then wins.
import { createHash } from 'node:crypto'
import type { AuditLog } from '../audit'
import type { Clock } from '../deps'
import { localDate } from '../domain/calendar'
import type { CaseWorkKind } from '../domain/vocab'
import type { PlanItem, Store } from '../store/types'
import { readPlanFile, type PlanFormat, type ReadPlan } from './formats'
import { planItemId, replacePlan } from './import'

/** What an admin types into an item's form. */
export interface PlanItemFields {
  number: string
  measure: string
  deadlineText: string
  responsible: string
  doneText: string
  covers: CaseWorkKind[]
}

export interface PlanActor {
  accountId: string
}

/** What an item's form was filled from: a hash of the fields a person edits. */
export function planItemStamp(item: PlanItemFields): string {
  const { number, measure, deadlineText, responsible, doneText, covers } = item
  const fields = [number, measure, deadlineText, responsible, doneText, covers.join(' ')]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)
}

export type UpdateResult = { item: PlanItem } | 'missing' | { conflict: PlanItem }
export type DeleteResult = 'deleted' | 'missing' | { linked: number }
/** `linked`: items the new plan would drop while cases link to them (nothing was changed). */
export type Linked = { linked: string[] }
export type CopyResult = { copied: number } | { exists: number } | { empty: true } | Linked

export interface PlanManager {
  /** The current year in Kyiv: the year a new plan is made for when none is chosen. */
  thisYear(): number
  years(): Promise<number[]>
  list(year: number): Promise<PlanItem[]>
  get(id: string): Promise<PlanItem | null>
  create(actor: PlanActor, year: number, fields: PlanItemFields): Promise<PlanItem>
  /** `stamp`: planItemStamp of the item the form showed; a different current one is a conflict. */
  update(
    actor: PlanActor,
    id: string,
    fields: PlanItemFields,
    stamp: string | undefined
  ): Promise<UpdateResult>
  move(actor: PlanActor, id: string, direction: 'up' | 'down'): Promise<PlanItem | null>
  remove(actor: PlanActor, id: string): Promise<DeleteResult>
  copy(actor: PlanActor, from: number, to: number, replace: boolean): Promise<CopyResult>
  /** A plan file read (nothing stored yet); undefined when it is not one in `format`. */
  read(format: PlanFormat, input: Uint8Array): ReadPlan | undefined
  /** Replaces the plan of `year` with `items` (an import); returns how many were stored. */
  replace(
    actor: PlanActor,
    year: number,
    items: PlanItem[],
    format: PlanFormat
  ): Promise<number | Linked>
}

export function createPlanManager(deps: {
  store: Pick<Store, 'plan' | 'cases'>
  audit: AuditLog
  clock: Clock
}) {
  const { store, audit, clock } = deps
  const record = (actor: PlanActor, action: string, subjectId: string | undefined, details = {}) =>
    audit.record({ actorId: actor.accountId, actorRole: 'admin', action, subjectId, details })

  /** Ids stay as they are once made (cases link to them); a new one is the first free. */
  async function freeId(year: number, number: string): Promise<string> {
    const base = planItemId(year, number || 'u')
    let id = base
    for (let n = 2; await store.plan.get(id); n++) id = `${base}-${n}`
    return id
  }

  /** Writes positions 1…n in the given order (only the items whose position changes). */
  async function renumber(items: PlanItem[]): Promise<void> {
    for (const [i, item] of items.entries()) {
      if (item.position !== i + 1) await store.plan.put({ ...item, position: i + 1 })
    }
  }

  /** Items of `year` that `items` would drop although a case links to them. */
  async function droppedLinked(year: number, items: readonly PlanItem[]): Promise<string[]> {
    const keep = new Set(items.map((it) => it.id))
    const dropped = (await store.plan.listYear(year)).filter((it) => !keep.has(it.id))
    const linked: string[] = []
    for (const it of dropped) {
      if ((await store.cases.list({ planItemId: it.id }, 1, 1)).total > 0) linked.push(it.id)
    }
    return linked
  }

  const manager: PlanManager = {
    thisYear: () => Number(localDate(clock.now()).slice(0, 4)),
    years: () => store.plan.years(),
    list: (year) => store.plan.listYear(year),
    get: (id) => store.plan.get(id),

    async create(actor, year, fields) {
      const items = await store.plan.listYear(year)
      const item: PlanItem = {
        ...fields,
        id: await freeId(year, fields.number),
        year,
        position: (items.at(-1)?.position ?? 0) + 1,
      }
      await store.plan.put(item)
      await record(actor, 'plan.item.create', item.id, { year })
      return item
    },

    async update(actor, id, fields, stamp) {
      const old = await store.plan.get(id)
      if (!old) return 'missing'
      if (stamp !== undefined && stamp !== planItemStamp(old)) return { conflict: old }
      const item = { ...old, ...fields }
      await store.plan.put(item)
      await record(actor, 'plan.item.update', id, { year: old.year })
      return { item }
    },

    async move(actor, id, direction) {
      const item = await store.plan.get(id)
      if (!item) return null
      const items = await store.plan.listYear(item.year)
      const i = items.findIndex((it) => it.id === id)
      const j = direction === 'up' ? i - 1 : i + 1
      const other = items[j]
      if (i < 0 || !other) return item
      items[j] = item
      items[i] = other
      await renumber(items)
      await record(actor, 'plan.item.move', id, { year: item.year, direction, position: j + 1 })
      return { ...item, position: j + 1 }
    },

    async remove(actor, id) {
      const item = await store.plan.get(id)
      if (!item) return 'missing'
      // A case's link to a gone item would silently vanish from the annual report.
      const linked = (await store.cases.list({ planItemId: id }, 1, 1)).total
      if (linked > 0) return { linked }
      await store.plan.delete(id)
      await renumber(await store.plan.listYear(item.year))
      await record(actor, 'plan.item.delete', id, { year: item.year })
      return 'deleted'
    },

    async copy(actor, from, to, replace) {
      const items = await store.plan.listYear(from)
      if (items.length === 0) return { empty: true }
      const existing = (await store.plan.listYear(to)).length
      if (existing > 0 && !replace) return { exists: existing }
      const prefix = planItemId(from, '')
      const copies = items.map((it, i) => ({
        ...it,
        // plan-2020-7 becomes plan-2021-7: the same measure keeps a recognisable id.
        id: it.id.startsWith(prefix)
          ? planItemId(to, it.id.slice(prefix.length))
          : planItemId(to, String(i + 1)),
        year: to,
        doneText: '',
        position: i + 1,
      }))
      const linked = await droppedLinked(to, copies)
      if (linked.length > 0) return { linked }
      await replacePlan(store, to, copies)
      await record(actor, 'plan.copy', undefined, { from, to, items: copies.length })
      return { copied: copies.length }
    },

    read: readPlanFile,

    async replace(actor, year, items, format) {
      if (items.length === 0) return 0
      const linked = await droppedLinked(year, items)
      if (linked.length > 0) return { linked }
      const stored = await replacePlan(store, year, items)
      if (stored.length > 0) {
        await record(actor, 'plan.import', undefined, { year, items: stored.length, format })
      }
      return stored.length
    },
  }
  return manager
}
