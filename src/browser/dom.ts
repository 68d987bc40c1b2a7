// Tiny DOM builder. Text goes in through textContent only (never innerHTML), so content that
// came out of a decrypted item cannot become markup; no style attributes (CSP style-src 'self').
import type { ReporterPageConfig } from '../report/api'

type Attrs = Record<string, string | number | boolean | undefined>
type Child = Node | string | null | undefined | false

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    if (name === 'style' || name.startsWith('on')) throw new Error(`refused attribute ${name}`)
    el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, ...children)
  return el
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
  }
}

/** Replaces the content of `area` with a step whose heading gets the focus (screen readers
 * announce it, keyboard users continue from there). */
export function showStep(area: HTMLElement, heading: string, ...content: Child[]): HTMLElement {
  const h2 = h('h2', { tabindex: -1, class: 'js-step-title' }, heading)
  const section = h('section', { class: 'js-step' }, h2, ...content)
  area.replaceChildren(section)
  h2.focus()
  return section
}

export function button(label: string, onClick: () => void, primary = false): HTMLButtonElement {
  const b = h('button', { type: 'button', class: primary ? 'primary' : undefined }, label)
  b.addEventListener('click', onClick)
  return b
}

/** Reads the embedded page configuration; null when absent or malformed (then no JS path). */
export function readConfig(doc: Document = document): ReporterPageConfig | null {
  const el = doc.getElementById('portal-config')
  if (!el?.textContent) return null
  try {
    const c = JSON.parse(el.textContent) as Partial<ReporterPageConfig>
    const ok =
      Array.isArray(c.officers) &&
      typeof c.deploymentSalt === 'string' &&
      typeof c.maxFileBytes === 'number' &&
      typeof c.maxReportBytes === 'number' &&
      typeof c.maxPieceBytes === 'number'
    if (!ok) return null
    return { ...(c as ReporterPageConfig), lang: c.lang === 'en' ? 'en' : 'uk' }
  } catch {
    return null
  }
}

/** The browser can do what the JS path needs; otherwise the plain form stays in charge. */
export function cryptoAvailable(): boolean {
  return (
    typeof crypto === 'object' &&
    typeof crypto.getRandomValues === 'function' &&
    typeof Worker === 'function' &&
    typeof Blob === 'function' &&
    typeof fetch === 'function'
  )
}

/** Same path with ?lang=en kept when the page is English (Ukrainian is the default). */
export function localHref(path: string, lang: ReporterPageConfig['lang']): string {
  return lang === 'en' ? `${path}?lang=en` : path
}

export function setBusy(el: HTMLElement, busy: boolean): void {
  if (busy) el.setAttribute('aria-busy', 'true')
  else el.removeAttribute('aria-busy')
}
