// Granting a case to a colleague and handing over a leaver's cases: my browser opens each case
// key with my own grant and seals it again to the colleague's box key. The server relays sealed
// keys only. The hand-over runs in batches and can resume: the cursor is kept in the address.
import type { GrantRequest, HandoverBatch, HandoverRequest, OfficerCaseView } from '../officer/api'

import { ApiFailure, type Api } from './http'
import { resealFor } from './officer-open'
import { keysOrPrompt, once, say, type OfficerPage } from './officer-ui'
import { recipientsCertified } from './report-send'

export function initGrantForm(page: OfficerPage, api: Api): void {
  const form = document.getElementById('grant-form')
  if (
    !(form instanceof HTMLFormElement) ||
    !once(form, 'Grant') ||
    page.config.page.kind !== 'access'
  ) {
    return
  }
  // Shown only now: without this script the form could only send its text in the clear.
  form.hidden = false
  const { caseId, officers, orgPublicKey } = page.config.page
  const result = form.querySelector('.js-result')
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void (async () => {
      const me = await keysOrPrompt(page)
      if (!me) return
      const granteeId = new FormData(form).get('granteeId')
      const grantee = officers.find((o) => o.id === granteeId)
      if (!grantee) return
      // The case key goes only to keys the organisation key certified.
      if (!recipientsCertified(orgPublicKey, [grantee])) {
        say(result, page.s('failed', { reason: 'certificate' }), 'error')
        return
      }
      const button = form.querySelector('button')
      if (button) button.disabled = true
      try {
        const view = await api.json<OfficerCaseView>('GET', `/officer/api/cases/${caseId}`)
        const sealed = resealFor(grantee.boxPublicKey, view, me.keys)
        const req: GrantRequest = { granteeId: grantee.id, ...sealed }
        await api.json('POST', `/officer/api/cases/${caseId}/grants`, req)
        say(result, page.s('grantDone'), 'ok')
        // The list of holders is the server's: show it as it is now.
        window.setTimeout(() => window.location.reload(), 600)
      } catch (err) {
        say(
          result,
          page.s('failed', { reason: err instanceof ApiFailure ? String(err.status) : 'crypto' }),
          'error'
        )
      } finally {
        if (button) button.disabled = false
      }
    })()
  })
}

function field(data: FormData, name: string): string {
  const v = data.get(name)
  return typeof v === 'string' ? v : ''
}

/** The hand-over's position in the address (other parameters, like ?lang, stay). */
function remember(values: Record<string, string>): void {
  const url = new URL(window.location.href)
  for (const [k, v] of Object.entries(values)) {
    if (v) url.searchParams.set(k, v)
    else url.searchParams.delete(k)
  }
  history.replaceState(history.state, '', url)
}

export function initHandover(page: OfficerPage, api: Api): void {
  const form = document.getElementById('handover-form')
  if (
    !(form instanceof HTMLFormElement) ||
    !once(form, 'Handover') ||
    page.config.page.kind !== 'handover'
  ) {
    return
  }
  // Shown only now: without this script the form could only send its text in the clear.
  form.hidden = false
  const { officers, orgPublicKey } = page.config.page
  const result = form.querySelector('.js-result')
  const bar = form.querySelector('progress')
  excludeLeaver(form, officers)
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void (async () => {
      const me = await keysOrPrompt(page)
      if (!me) return
      const data = new FormData(form)
      const from = field(data, 'from')
      const found = officers.find((o) => o.id === data.get('to'))
      const to = found && recipientsCertified(orgPublicKey, [found]) ? found : undefined
      const revokeFrom = data.get('revokeFrom') === '1'
      if (!from || !to || from === to.id) return
      let after = field(data, 'after')
      const button = form.querySelector('button[type="submit"]')
      if (button instanceof HTMLButtonElement) button.disabled = true
      let total: number | undefined
      let done = 0
      let skipped = 0
      let granted = 0
      let revoked = 0
      try {
        for (;;) {
          const q = new URLSearchParams({ from, to: to.id, after })
          const batch = await api.json<HandoverBatch>(
            'GET',
            `/officer/api/handover?${q.toString()}`
          )
          total ??= batch.total
          const grants: HandoverRequest['grants'] = []
          for (const item of batch.items) {
            if (item.done) done++
            else if (!item.grant) skipped++
            else {
              grants.push({
                caseId: item.caseId,
                ...resealFor(to.boxPublicKey, { ...item, grant: item.grant }, me.keys),
              })
            }
          }
          if (grants.length > 0) {
            const req: HandoverRequest = { from, to: to.id, revokeFrom, grants }
            const r = await api.json<{ granted: number; revoked: number }>(
              'POST',
              '/officer/api/handover',
              req
            )
            granted += r.granted
            revoked += r.revoked
            done += r.granted
          }
          if (bar instanceof HTMLProgressElement) {
            bar.hidden = false
            bar.max = Math.max(total, 1)
            bar.value = Math.min(done + skipped, total)
          }
          say(
            result,
            `${page.s('handoverProgress', { done, total })}${skipped ? ` · ${page.s('handoverSkipped', { n: skipped })}` : ''}`
          )
          // The cursor is a case id, so revoking the leaver's grants behind it changes nothing ahead.
          if (!batch.next) break
          after = batch.next
          // Kept in the address: a reload resumes from here.
          remember({ from, to: to.id, after })
        }
        remember({ from, to: to.id, after: '' })
        say(result, page.s('handoverDone', { granted, revoked }), 'ok')
      } catch (err) {
        say(
          result,
          page.s('failed', { reason: err instanceof ApiFailure ? String(err.status) : 'crypto' }),
          'error'
        )
      } finally {
        if (button instanceof HTMLButtonElement) button.disabled = false
      }
    })()
  })
}

/** The receivers are the officers with keys other than the one chosen as leaving. */
function excludeLeaver(form: HTMLFormElement, officers: { id: string; displayName: string }[]) {
  const from = form.elements.namedItem('from')
  const to = form.elements.namedItem('to')
  if (!(from instanceof HTMLSelectElement) || !(to instanceof HTMLSelectElement)) return
  const update = (): void => {
    const keep = to.value
    const options = officers
      .filter((o) => o.id !== from.value)
      .map((o) => {
        const opt = document.createElement('option')
        opt.value = o.id
        opt.textContent = o.displayName
        opt.selected = o.id === keep
        return opt
      })
    to.replaceChildren(...options)
  }
  from.addEventListener('change', update)
}
