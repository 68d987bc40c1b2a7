// Packing encrypted chunks into upload pieces; the uploads themselves run against the real app
// in test/integration/browser-upload.test.ts.
import { describe, expect, it } from 'vitest'
import { planUpload } from '../../../src/browser/upload'

const CHUNK = 65536
const FRAME = CHUNK + 16

describe('planUpload', () => {
  it('packs whole frames into pieces', () => {
    expect(planUpload(0, FRAME)).toEqual({
      chunks: 1,
      chunksPerPiece: 1,
      pieces: 1,
      cipherBytes: 16,
    })
    expect(planUpload(5 * CHUNK + 1, 2 * FRAME + 10)).toMatchObject({
      chunks: 6,
      chunksPerPiece: 2,
      pieces: 3,
    })
    expect(() => planUpload(10, FRAME - 1)).toThrow()
  })
})
