// Inbox titles, decrypted here: the rows carry placeholders; this fetches the first sealed item
// of each case shown (one decrypt request per case in the audit trail) and fills them in; and
// the search box that filters those decrypted rows, in this browser only.
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
  applyTextFilter(page, root instanceof Document ? root : document)
}

/**
 * The search box over decrypted subjects: it hides the rows of this page whose decrypted title
 * and registration number do not contain the words typed. It runs here because only this
 * browser can read the titles; the box has no name, so its text is never sent anywhere.
 */
export function initTextFilter(page: OfficerPage, root: Document = document): void {
  const box = root.getElementById('inbox-text-filter')
  const input = root.getElementById('f-text')
  if (!box || !(input instanceof HTMLInputElement)) return
  box.hidden = false
  applyTextFilter(page, root)
  if (input.dataset.officerFilter) return
  input.dataset.officerFilter = 'on'
  input.addEventListener('input', () => applyTextFilter(page, root))
}

/** Re-run after the rows or their titles change (an htmx swap, titles decrypted). */
export function applyTextFilter(page: OfficerPage, root: Document = document): void {
  const input = root.getElementById('f-text')
  const count = root.getElementById('f-text-count')
  if (!(input instanceof HTMLInputElement)) return
  const words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean)
  const rows = [...root.querySelectorAll<HTMLElement>('#case-rows tr.case-row')]
  let shown = 0
  for (const row of rows) {
    const title = row.querySelector('.js-case-title')?.textContent ?? ''
    const reg = row.querySelector('.case-link')?.textContent ?? ''
    const text = `${title} ${reg}`.toLocaleLowerCase()
    const match = words.every((w) => text.includes(w))
    row.hidden = !match
    if (match) shown++
  }
  if (count) {
    count.textContent = words.length ? page.s('textFilterCount', { shown, all: rows.length }) : ''
  }
}
