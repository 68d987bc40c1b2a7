// A new case with its grants and first item (CaseStore.createWhole) without multi-record
// transactions (FerretDB v1 has none): the records in order, the case discarded again when a
// later one fails, so a refused or failed submission leaves nothing behind. Only a cut connection
// or a crash in between can still leave a case without items; src/report/new-case.ts discards
// it again, and a retry with the same receipt replaces it.
import type { CaseStore, GrantStore, ItemStore } from '../types'

export function wholeCase(
  cases: Omit<CaseStore, 'createWhole'>,
  grants: Pick<GrantStore, 'put'>,
  items: Pick<ItemStore, 'insertAt'>
): CaseStore['createWhole'] {
  return async (c, caseGrants, first) => {
    await cases.create(c)
    try {
      for (const g of caseGrants) await grants.put(g)
      await items.insertAt(first)
    } catch (err) {
      await cases.discardIncomplete(c.id).catch(() => false)
      throw err
    }
  }
}
