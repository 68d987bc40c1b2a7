// Inbox titles, decrypted here: the rows carry placeholders; this fetches the first sealed item
// of each case shown (one decrypt request per case in the audit trail) and fills them in.
import type { CaseTitleView } from '../officer/api'

import type { Api } from './http'
import { openTitle } from './officer-open'
import { keysOrPrompt, type OfficerPage } from './officer-ui'

export async function fillTitles(
  page: OfficerPage,
  api: Api,
  root: ParentNode = document
): Promise<void> {
  const cells = [...root.querySelectorAll<HTMLElement>('[data-case-title]')].filter(
    (el) => !el.dataset.officerTitle
  )
  if (cells.length === 0) return
  const keys = await keysOrPrompt(page)
  if (!keys) return
  for (const el of cells) el.dataset.officerTitle = 'pending'
  let views: CaseTitleView[]
  try {
    const ids = cells.map((el) => el.dataset.caseTitle).filter((x): x is string => !!x)
    views = (
      await api.json<{ cases: CaseTitleView[] }>(
        'GET',
        `/officer/api/titles?ids=${ids.map(encodeURIComponent).join(',')}`
      )
    ).cases
  } catch {
    for (const el of cells) delete el.dataset.officerTitle
    return
  }
  for (const el of cells) {
    const view = views.find((v) => v.caseId === el.dataset.caseTitle)
    const { title, ok } = view ? openTitle(view, keys.keys) : { title: null, ok: false }
    const text = title ?? page.s(ok ? 'untitled' : 'titleUnavailable')
    const span = document.createElement('span')
    span.className = ok ? 'js-case-title' : 'js-case-title error'
    span.textContent = text
    el.replaceChildren(span)
    el.dataset.officerTitle = 'done'
  }
}
