// The count after a load run: every accepted report is stored exactly once, and opens with the
// officer's key to the very text that was sent.
import type { CaseItem, CaseRecord, Store } from '../../src/store/types'
import { officerReadCase, type TestOfficer } from '../helpers/officer'

export interface Count {
  accepted: number
  stored: number
  /** Accepted (201 with a case id) but not stored, or stored under another id. */
  lost: number
  /** A text stored in more than one case. */
  duplicated: number
  /** Stored cases that do not open whole with the officer's key. */
  unreadable: number
  /** Stored, but the sender got no 201 (e.g. a timeout): not lost, noted. */
  unacknowledged: number
  /** Why some cases did not open (case id and error), for the report. */
  problems: string[]
}

/** Every stored item by case, read in one pass (MongoDB), instead of one query a case. */
export type AllItems = () => Promise<Map<string, CaseItem[]>>

/**
 * The store as the count reads it: each case's record from the page that listed it and, with
 * `allItems`, its items from one pass over them all. FerretDB answers a query for one case's
 * items, or one case, by reading the whole collection, so a query a case made the count of a
 * 10-minute soak take hours; what is counted is the same.
 */
async function countingView(
  store: Store,
  known: Map<string, CaseRecord>,
  allItems?: AllItems
): Promise<Store> {
  const byCase = await allItems?.()
  return {
    ...store,
    // The record the list gave (the same the store holds): FerretDB reads every case to find one
    // by `{ _id: { $eq } }`.
    cases: {
      ...store.cases,
      get: (id: string) => {
        const record = known.get(id)
        return record ? Promise.resolve(record) : store.cases.get(id)
      },
    },
    ...(byCase && {
      items: {
        ...store.items,
        list: (caseId: string) => Promise.resolve(byCase.get(caseId) ?? []),
      },
    }),
  }
}

export async function countStored(
  source: Store,
  officer: TestOfficer,
  accepted: Map<string, string>,
  allItems?: AllItems
): Promise<Count> {
  const known = new Map<string, CaseRecord>()
  const store = await countingView(source, known, allItems)
  const seen = new Map<string, string[]>()
  let unreadable = 0
  const problems: string[] = []
  let stored = 0
  for (let page = 1; ; page++) {
    const { items } = await store.cases.list({}, page, 500)
    if (items.length === 0) break
    for (const c of items) {
      known.set(c.id, c)
      stored++
      try {
        const read = await officerReadCase(store, c.id, officer)
        const body = read.envelopes[0]?.body as { answers?: { what?: string } } | undefined
        const marker = /Звернення (\S+):/.exec(body?.answers?.what ?? '')?.[1]
        if (read.envelopes.length !== 1 || !marker) throw new Error('not a load report')
        seen.set(marker, [...(seen.get(marker) ?? []), c.id])
      } catch (e) {
        unreadable++
        problems.push(`${c.id}: ${String(e)} (items ${(await store.items.list(c.id)).length})`)
      }
    }
  }
  let lost = 0
  for (const [marker, caseId] of accepted) {
    const ids = seen.get(marker) ?? []
    if (!ids.includes(caseId)) lost++
  }
  const duplicated = [...seen.values()].filter((ids) => ids.length > 1).length
  const unacknowledged = [...seen.keys()].filter((m) => !accepted.has(m)).length
  return { accepted: accepted.size, stored, lost, duplicated, unreadable, unacknowledged, problems }
}
