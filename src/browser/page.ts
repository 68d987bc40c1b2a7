// One way for a page script to start: on the page it was loaded with, and again on every page
// a boosted navigation puts in place (the module stays loaded in the same document; see
// boot.entry.ts). `everySwap` also re-runs it after fragment swaps (new rows of a list).
// init must tolerate pages that are not its own (it reads its page data and returns).

interface SettleDetail {
  boosted?: boolean
  target?: Element
}

export function onPage(init: () => void, opts: { everySwap?: boolean } = {}): void {
  init()
  document.addEventListener('htmx:afterSettle', (e) => {
    const detail = (e as CustomEvent<SettleDetail>).detail
    const navigation = detail.boosted === true || detail.target === document.body
    if (navigation || opts.everySwap) init()
  })
}

/** Marks an element as done by this script, so re-running after an htmx swap does nothing twice. */
export function once(el: HTMLElement, name: string): boolean {
  const key = `officer${name}`
  if (el.dataset[key]) return false
  el.dataset[key] = '1'
  return true
}

/** Content a script adds follows the page's hx-boost (and other hx- attributes) like the rest. */
export function processForHtmx(el: Element): void {
  const htmx = (window as { htmx?: { process(el: Element): void } }).htmx
  htmx?.process(el)
}
