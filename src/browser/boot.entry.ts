// Loaded on every page (views/layouts/base.eta): makes a page reached by hx-boost behave as if
// loaded directly. htmx swaps only the <body> of the new page and drops every <script> in it
// (allowScriptTags: false), so the new page's data blocks and module scripts would be lost and
// its stylesheets never linked. Before the swap they are read from the response (parsed inert,
// nothing runs); after it the data blocks are put back, missing stylesheets linked and the
// page's modules imported. A module already loaded is not run twice: it re-initialises through
// onPage (src/browser/page.ts).

interface Carried {
  data: { id: string; text: string }[]
  styles: string[]
  scripts: string[]
}

let pending: Carried | null = null

function read(html: string): Carried {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const same = (url: string | null): url is string =>
    !!url && new URL(url, location.href).origin === location.origin
  return {
    data: [...doc.querySelectorAll<HTMLScriptElement>('script[type="application/json"][id]')].map(
      (s) => ({ id: s.id, text: s.textContent ?? '' })
    ),
    styles: [...doc.querySelectorAll<HTMLLinkElement>('head link[rel="stylesheet"]')]
      .map((l) => l.getAttribute('href'))
      .filter(same),
    scripts: [...doc.querySelectorAll<HTMLScriptElement>('script[type="module"][src]')]
      .map((s) => s.getAttribute('src'))
      .filter(same),
  }
}

document.addEventListener('htmx:beforeSwap', (e) => {
  const detail = (e as CustomEvent<{ serverResponse?: unknown; shouldSwap?: boolean }>).detail
  pending = null
  if (detail.shouldSwap === false || typeof detail.serverResponse !== 'string') return
  if (!/<script|<link/i.test(detail.serverResponse)) return
  pending = read(detail.serverResponse)
})

document.addEventListener('htmx:afterSwap', () => {
  const carried = pending
  pending = null
  if (!carried) return
  for (const { id, text } of carried.data) {
    let el = document.getElementById(id)
    if (!el) {
      el = document.createElement('script')
      el.setAttribute('type', 'application/json')
      el.id = id
      document.body.append(el)
    }
    el.textContent = text
  }
  const linked = new Set(
    [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((l) => l.href)
  )
  for (const href of carried.styles) {
    if (linked.has(new URL(href, location.href).href)) continue
    const link = document.createElement('link')
    link.rel = 'stylesheet'
    link.href = href
    document.head.append(link)
  }
  for (const src of carried.scripts) {
    // The same URL as a <script type=module> is the same module: imported (and run) once.
    // Should it not load, a full load of the page is what the person would have got anyway.
    import(new URL(src, location.href).href).catch(() => location.reload())
  }
})
