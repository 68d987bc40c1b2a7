// Proof of work (hashcash with SHA-256), the parts the server, the browser worker and the test
// helper share. A proof is the challenge the server signed, a colon and a decimal nonce; it is
// valid when SHA-256 of its UTF-8 bytes starts with at least `bits` zero bits. PROTOCOL.md §15
// describes the whole exchange.

/** What a challenge is for; a challenge of one purpose is refused for another. */
export const WORK_PURPOSES = ['submit', 'receipt', 'staff-login'] as const
export type WorkPurpose = (typeof WORK_PURPOSES)[number]

/** GET /api/work?purpose=…: a challenge, or bits 0 (and none) when the purpose needs no work. */
export interface WorkChallenge {
  purpose: WorkPurpose
  bits: number
  challenge?: string
}

/** Above this a phone would work for hours: config refuses it. */
export const MAX_WORK_BITS = 28

export function isWorkPurpose(v: unknown): v is WorkPurpose {
  return typeof v === 'string' && (WORK_PURPOSES as readonly string[]).includes(v)
}

/** purpose.bits.expiresAtMs.random(22).mac(43), then ':' and the nonce. */
const PROOF =
  /^(submit|receipt|staff-login)\.(\d{1,2})\.(\d{1,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43}):(\d{1,15})$/

export interface ParsedProof {
  purpose: WorkPurpose
  bits: number
  expiresAt: number
  /** Everything before the nonce: what the server signed. */
  challenge: string
  /** The signed part without the MAC. */
  signed: string
  mac: string
}

export const proofOf = (challenge: string, nonce: number): string => `${challenge}:${nonce}`

/** The parts of a proof, or null if it is not one (checked by shape only, not by MAC). */
export function parseProof(proof: string): ParsedProof | null {
  if (proof.length > 200) return null
  const m = PROOF.exec(proof)
  if (!m) return null
  const [, purpose, bits, expiresAt, , mac] = m
  const challenge = proof.slice(0, proof.lastIndexOf(':'))
  return {
    purpose: purpose as WorkPurpose,
    bits: Number(bits),
    expiresAt: Number(expiresAt),
    challenge,
    signed: challenge.slice(0, challenge.length - 44),
    mac: mac!,
  }
}

/** The number of leading zero bits of a hash. */
export function leadingZeroBits(hash: Uint8Array): number {
  let n = 0
  for (const byte of hash) {
    if (byte === 0) {
      n += 8
      continue
    }
    return n + Math.clz32(byte) - 24
  }
  return n
}

/** The bits a challenge asks for, read from its text (the browser needs no other field). */
export function challengeBits(challenge: string): number {
  return Number(challenge.split('.')[1] ?? 'NaN')
}

/**
 * How likely a solver has found a proof after `tries` hashes: a smooth progress figure for a
 * search that has no fixed length (the expected number of tries is 2^bits).
 */
export function workFraction(tries: number, bits: number): number {
  return 1 - Math.exp(-tries / 2 ** bits)
}
