// Which uploads may become the logo (src/branding/logo.ts): PNG, JPEG and SVG told apart by
// their bytes, 200 KB at most, and no SVG that could run, load or embed anything.
import { describe, expect, it } from 'vitest'
import { checkLogo, LOGO_MAX_BYTES } from '../../../src/branding/logo'

const utf8 = (s: string) => new TextEncoder().encode(s)
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const code = (data: Uint8Array) => {
  const r = checkLogo(data)
  return r.ok ? r.value.type : r.error.code
}

describe('checkLogo', () => {
  it('knows the type from the bytes and hashes them', () => {
    const r = checkLogo(PNG)
    expect(r.ok && r.value.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(code(PNG)).toBe('image/png')
    expect(code(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]))).toBe('image/jpeg')
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4" fill="url(#g)"/><use href="#c"/></svg>'
    // <use> is refused (it can pull in other documents); a plain drawing is fine.
    expect(code(utf8(svg))).toBe('unsafe-svg')
    expect(
      code(
        utf8(
          '<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/></svg>'
        )
      )
    ).toBe('image/svg+xml')
  })

  it('refuses what is empty, too large, not an image or an SVG that could run something', () => {
    expect(code(new Uint8Array())).toBe('empty')
    const big = new Uint8Array(LOGO_MAX_BYTES + 1)
    big.set(PNG)
    expect(code(big)).toBe('too-large')
    expect(code(utf8('GIF89a....'))).toBe('not-an-image')
    expect(code(utf8('<html><svg></svg></html>'))).toBe('not-an-image')
    for (const bad of [
      '<svg><script>alert(1)</script></svg>',
      '<svg onload="alert(1)"></svg>',
      '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
      '<svg><image href="https://tracker.example/p.png"/></svg>',
      '<svg><image xlink:href = "http://x.example/a.svg"/></svg>',
      '<svg><foreignObject><div>x</div></foreignObject></svg>',
      '<svg><style>@import url(https://x.example/a.css)</style></svg>',
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg></svg>',
    ]) {
      expect(code(utf8(bad)), bad).toBe('unsafe-svg')
    }
  })
})
