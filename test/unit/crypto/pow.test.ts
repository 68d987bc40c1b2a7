// The proof-of-work format shared by the server, the browser worker and the test helper.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  challengeBits,
  leadingZeroBits,
  parseProof,
  proofOf,
  workFraction,
} from '../../../crypto/pow'
import { solveChallenge } from '../../helpers/pow'

const CHALLENGE = `receipt.10.1800000000000.${'a'.repeat(22)}.${'B'.repeat(43)}`

describe('proof of work format', () => {
  it('counts leading zero bits across byte boundaries', () => {
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0)
    expect(leadingZeroBits(new Uint8Array([0x01]))).toBe(7)
    expect(leadingZeroBits(new Uint8Array([0x00, 0x00, 0x20, 0xff]))).toBe(18)
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16)
  })

  it('parses a proof into its signed part, MAC and nonce, and refuses anything else', () => {
    const parsed = parseProof(proofOf(CHALLENGE, 42))!
    expect(parsed).toMatchObject({ purpose: 'receipt', bits: 10, expiresAt: 1800000000000 })
    expect(parsed.challenge).toBe(CHALLENGE)
    expect(parsed.signed).toBe(`receipt.10.1800000000000.${'a'.repeat(22)}`)
    expect(parsed.mac).toBe('B'.repeat(43))
    expect(challengeBits(CHALLENGE)).toBe(10)
    for (const bad of [
      CHALLENGE,
      `${CHALLENGE}:`,
      `${CHALLENGE}:-1`,
      `${CHALLENGE}:1e3`,
      `admin.${CHALLENGE.slice(8)}:1`,
      `${CHALLENGE}:1`.replace('.10.', '.100.'),
      `${CHALLENGE}:1:2`,
      `${CHALLENGE}:${'9'.repeat(200)}`,
    ]) {
      expect(parseProof(bad), bad).toBeNull()
    }
  })

  it('is solved by the Node helper exactly as the server checks it', () => {
    const proof = solveChallenge(CHALLENGE)
    const hash = createHash('sha256').update(proof).digest()
    expect(leadingZeroBits(hash)).toBeGreaterThanOrEqual(10)
    expect(proof.startsWith(`${CHALLENGE}:`)).toBe(true)
  })

  it('estimates progress between 0 and 1, about 63 % at the expected number of tries', () => {
    expect(workFraction(0, 10)).toBe(0)
    expect(workFraction(1024, 10)).toBeCloseTo(0.632, 2)
    expect(workFraction(1e9, 10)).toBeCloseTo(1, 5)
  })
})
