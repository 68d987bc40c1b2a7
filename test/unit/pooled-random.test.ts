import { describe, expect, it } from 'vitest'
import { pooledRandom } from '../../src/lib/random'

describe('pooledRandom', () => {
  it('hands out fresh bytes of the asked length, never the same slice twice', () => {
    const random = pooledRandom()
    const seen = new Set<string>()
    // Several blocks' worth, so refills are crossed too.
    for (let i = 0; i < 2000; i++) {
      const n = [9, 16, 24, 32][i % 4]!
      const b = random.bytes(n)
      expect(b).toBeInstanceOf(Uint8Array)
      expect(b.length).toBe(n)
      const hex = Buffer.from(b).toString('hex')
      expect(seen.has(hex)).toBe(false)
      seen.add(hex)
    }
  })

  it('gives each caller its own copy: wiping one draw changes no other', () => {
    const random = pooledRandom()
    const a = random.bytes(32)
    const b = random.bytes(32)
    const before = Buffer.from(b).toString('hex')
    a.fill(0)
    expect(Buffer.from(b).toString('hex')).toBe(before)
    expect(b.some((x) => x !== 0)).toBe(true)
  })

  it('draws large requests straight from the source', () => {
    const b = pooledRandom().bytes(1 << 16)
    expect(b.length).toBe(1 << 16)
    expect(new Set(b).size).toBeGreaterThan(200)
  })
})
