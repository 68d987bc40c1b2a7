// What every officer page script shares: the page data, its strings, and the officer's unlocked
// keys (or the prompt to unlock them when this tab has none).
import type { OfficerPageConfig } from '../officer/api'

import { h } from './dom'
import { processForHtmx } from './page'
import { unlockedKeys, type UnlockedKeys } from './staff-keys'

export interface OfficerPage {
  config: OfficerPageConfig
  /** A string of the page's language, with {placeholders} filled. */
  s(key: string, values?: Record<string, string | number>): string
}

const CONFIG_ID = 'officer-config'

export function readOfficerConfig(doc: Document = document): OfficerPage | null {
  const el = doc.getElementById(CONFIG_ID)
  if (!el?.textContent) return null
  let config: OfficerPageConfig
  try {
    config = JSON.parse(el.textContent) as OfficerPageConfig
  } catch {
    return null
  }
  if (typeof config.accountId !== 'string' || typeof config.strings !== 'object' || !config.page) {
    return null
  }
  const strings = config.strings
  const s = (key: string, values: Record<string, string | number> = {}) =>
    (Object.hasOwn(strings, key) ? (strings[key] ?? key) : key).replace(
      /\{(\w+)\}/g,
      (m: string, k: string) => (Object.hasOwn(values, k) ? String(values[k]) : m)
    )
  return { config, s }
}

/**
 * The officer's keys for this tab, checked to be the signed-in account's. Without them the page
 * shows where to unlock them, and the caller shows nothing decrypted.
 */
export async function keysOrPrompt(page: OfficerPage): Promise<UnlockedKeys | null> {
  const keys = await unlockedKeys()
  if (keys && keys.accountId === page.config.accountId) return keys
  const box = document.getElementById('officer-keys')
  if (box) {
    box.replaceChildren(
      h('span', {}, `${page.s('unlock')} `),
      h('a', { href: page.config.unlockUrl, class: 'js-unlock' }, page.s('unlockLink'))
    )
    box.hidden = false
    processForHtmx(box)
  }
  return null
}

/** Writes a status line next to a form (role=status is announced by screen readers). */
export function say(
  el: Element | null,
  text: string,
  kind: 'ok' | 'error' | 'info' = 'info'
): void {
  if (!(el instanceof HTMLElement)) return
  el.textContent = text
  el.classList.toggle('error', kind === 'error')
  el.classList.toggle('ok', kind === 'ok')
}

export { once } from './page'
