// What the reporter downloads (issue 12, point 6): the report page with its scripts (and the
// modules and worker they import), styles and htmx, raw, gzip and brotli; then the /status page:
// only what the first visit did not already bring is new. As served: the Content-Encoding the
// portal answers with, over plain HTTP on 127.0.0.1.
import { request } from 'node:http'
import { rmSync } from 'node:fs'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Section } from './lib/context'
import { seedPortal, tempDir } from './lib/seed'
import { startPortal } from './lib/server'
import type { Row } from './lib/table'

interface Fetched {
  body: Buffer
  /** Bytes on the wire with Accept-Encoding: br, gzip. */
  wire: number
  encoding: string
  cacheControl: string
}

function get(url: string): Promise<Fetched> {
  return new Promise((ok, fail) => {
    // Two requests: the plain body, and the size on the wire when compression is offered.
    const once = (headers: Record<string, string>) =>
      new Promise<{ body: Buffer; headers: Record<string, unknown> }>((done, err) => {
        request(url, { headers }, (res) => {
          const parts: Buffer[] = []
          res.on('data', (d: Buffer) => parts.push(d))
          res.on('end', () => done({ body: Buffer.concat(parts), headers: res.headers }))
          res.on('error', err)
        })
          .on('error', err)
          .end()
      })
    Promise.all([once({}), once({ 'accept-encoding': 'br, gzip' })]).then(([plain, packed]) => {
      ok({
        body: plain.body,
        wire: packed.body.length,
        encoding:
          typeof packed.headers['content-encoding'] === 'string'
            ? packed.headers['content-encoding']
            : 'identity',
        cacheControl:
          typeof packed.headers['cache-control'] === 'string'
            ? packed.headers['cache-control']
            : '',
      })
    }, fail)
  })
}

/** Static URLs a page or module pulls in: script and style tags, ES imports, the Argon2 worker. */
function references(text: string, from: string): string[] {
  const out = new Set<string>()
  for (const m of text.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/g)) {
    if (m[1]!.startsWith('/static/')) out.add(m[1]!)
  }
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"(\.{1,2}\/[^"]+\.js)"/g)) {
    out.add(new URL(m[1]!, `http://x${from}`).pathname)
  }
  for (const m of text.matchAll(/"(\/static\/[^"]+\.(?:js|txt|json))"/g)) out.add(m[1]!)
  return [...out]
}

async function pageSet(base: string, path: string, seen: Map<string, Fetched>) {
  const fresh: string[] = []
  const visit = async (url: string) => {
    if (seen.has(url)) return
    const f = await get(`${base}${url}`)
    seen.set(url, f)
    fresh.push(url)
    if (/\.(html?|js)$|^\/[^.]*$/.test(url) || url === path) {
      for (const ref of references(f.body.toString('utf8'), url)) await visit(ref)
    }
  }
  await visit(path)
  return fresh
}

const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length
const br = (b: Buffer) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length

export const downloads: Section = {
  name: 'downloads',
  async run() {
    const dir = tempDir('downloads')
    const portal = await startPortal(await seedPortal({ dataDir: dir }))
    try {
      const seen = new Map<string, Fetched>()
      const first = await pageSet(portal.url, '/report', seen)
      const later = await pageSet(portal.url, '/status', seen)
      const sum = (urls: string[], f: (x: Fetched) => number) =>
        urls.reduce((a, u) => a + f(seen.get(u)!), 0)
      const kB = (n: number) => n / 1000
      const rows: Row[] = []
      for (const [name, urls, target] of [
        ['report page, first visit', first, 120],
        ['/status after it, new bytes', later, 20],
      ] as const) {
        const wire = sum(urls, (f) => f.wire)
        rows.push({
          section: 'downloads',
          name: `${name}: as served (Accept-Encoding br, gzip)`,
          value: kB(wire),
          unit: 'kB',
          baseline: { name: 'kB raw', value: kB(sum(urls, (f) => f.body.length)) },
          ratio: wire / sum(urls, (f) => f.body.length),
          target: `≤ ${target} kB`,
          met: kB(wire) <= target,
          note: `${urls.length} files; gzip ${kB(sum(urls, (f) => gz(f.body))).toFixed(0)} kB, brotli ${kB(sum(urls, (f) => br(f.body))).toFixed(0)} kB possible`,
        })
      }
      for (const url of first) {
        const f = seen.get(url)!
        rows.push({
          section: 'downloads',
          name: `  ${url}`,
          value: kB(f.body.length),
          unit: 'kB raw',
          note: `${f.encoding} ${kB(f.wire).toFixed(1)} kB on the wire; brotli ${kB(br(f.body)).toFixed(1)} kB; ${f.cacheControl}`,
        })
      }
      return rows
    } finally {
      await portal.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
