// Proof of work on the three doors anyone can knock on without an account: sending a report,
// signing in with a receipt, and the staff sign-in (crypto/pow.ts, crypto/PROTOCOL.md §15).
// Challenges are stateless and signed with SESSION_SECRET, bound to a purpose, a difficulty and an
// expiry: handing one out writes nothing, so asking for challenges costs the server one HMAC.
// A proof is taken once: its challenge goes into the token store (the spent set every instance
// shares), and only after the signature, the purpose, the expiry and the work itself checked out,
// so a request with bad work costs no database write.
import { createHash } from 'node:crypto'
import {
  leadingZeroBits,
  parseProof,
  WORK_PURPOSES,
  type WorkChallenge,
  type WorkPurpose,
} from '../../crypto/pow'
import type { Clock, Random } from '../deps'
import type { Secrets } from '../secrets'
import { DuplicateError, type TokenStore } from '../store/types'
import { safeEqual, serverMac } from './form-token'
import { tokenHash } from './ids'

/** Long enough for a slow phone at a high difficulty; short, so stale challenges do not pile up. */
export const WORK_TTL_MS = 10 * 60_000

/** Why a request's work was refused; each has its own message (src/i18n/work-*.ts). */
export const WORK_REFUSALS = [
  'missing',
  'malformed',
  'wrong-purpose',
  'expired',
  'insufficient',
  'reused',
] as const
export type WorkRefusal = (typeof WORK_REFUSALS)[number]

export type WorkResult = { ok: true } | { ok: false; why: WorkRefusal }

export interface WorkDeps {
  secrets: Pick<Secrets, 'SESSION_SECRET'>
  clock: Clock
  random: Random
  tokens: TokenStore
}

export function createWorkCheck(deps: WorkDeps, bitsOf: Readonly<Record<WorkPurpose, number>>) {
  const { secrets, clock, random, tokens } = deps
  const mac = (signed: string) => serverMac(secrets.SESSION_SECRET, 'proof-of-work', signed)

  function issue(purpose: WorkPurpose): WorkChallenge {
    const bits = bitsOf[purpose]
    if (bits === 0) return { purpose, bits }
    const expiresAt = clock.now().getTime() + WORK_TTL_MS
    const nonce = Buffer.from(random.bytes(16)).toString('base64url')
    const signed = `${purpose}.${bits}.${expiresAt}.${nonce}`
    return { purpose, bits, challenge: `${signed}.${mac(signed)}` }
  }

  /** Checks a proof for `purpose` and spends it. Off (bits 0): every request passes. */
  async function check(purpose: WorkPurpose, proof: string | undefined): Promise<WorkResult> {
    if (bitsOf[purpose] === 0) return { ok: true }
    if (!proof) return { ok: false, why: 'missing' }
    const parsed = parseProof(proof)
    if (!parsed || !safeEqual(parsed.mac, mac(parsed.signed)))
      return { ok: false, why: 'malformed' }
    if (parsed.purpose !== purpose) return { ok: false, why: 'wrong-purpose' }
    if (parsed.expiresAt <= clock.now().getTime()) return { ok: false, why: 'expired' }
    const hash = createHash('sha256').update(proof, 'utf8').digest()
    if (parsed.bits < 1 || leadingZeroBits(hash) < parsed.bits) {
      return { ok: false, why: 'insufficient' }
    }
    try {
      await tokens.issue(tokenHash(parsed.challenge), 'work-spent', new Date(parsed.expiresAt))
    } catch (err) {
      if (err instanceof DuplicateError) return { ok: false, why: 'reused' }
      throw err
    }
    return { ok: true }
  }

  return {
    issue,
    check,
    enabled: (purpose: WorkPurpose) => bitsOf[purpose] > 0,
    purposes: WORK_PURPOSES,
  }
}

export type WorkCheck = ReturnType<typeof createWorkCheck>
