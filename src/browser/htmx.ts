// The parts of htmx's global API the officer pages call; htmx itself is loaded by the layout
// (/static/vendor/htmx.min.js), so it may be absent, as on a page without it.
interface Htmx {
  ajax(verb: string, path: string, ctx: object): unknown
  config: { responseHandling?: unknown[] }
}

declare global {
  interface Window {
    htmx?: Htmx
  }
}

export function htmx(): Htmx | undefined {
  return window.htmx
}
