// Proof of work in Node, as the browser's worker does it (crypto/pow.ts): for tests, and for
// load and bench scripts that want to precompute work before they start the clock.
import { createHash } from 'node:crypto'
import {
  challengeBits,
  leadingZeroBits,
  proofOf,
  type WorkChallenge,
  type WorkPurpose,
} from '../../crypto/pow'

type Requester = { request(path: string, init?: RequestInit): Response | Promise<Response> }

/** The first nonce whose proof meets the challenge's difficulty: 2^bits tries on average. */
export function solveChallenge(challenge: string, bits = challengeBits(challenge)): string {
  for (let nonce = 0; ; nonce++) {
    const proof = proofOf(challenge, nonce)
    const hash = createHash('sha256').update(proof, 'utf8').digest()
    if (leadingZeroBits(hash) >= bits) return proof
  }
}

/** A proof whose work does NOT meet the difficulty (for refusal tests). */
export function failingProof(challenge: string, bits = challengeBits(challenge)): string {
  for (let nonce = 0; ; nonce++) {
    const proof = proofOf(challenge, nonce)
    const hash = createHash('sha256').update(proof, 'utf8').digest()
    if (leadingZeroBits(hash) < bits) return proof
  }
}

/** GET /api/work from an app (app.request) or a base URL (fetch). */
export async function fetchChallenge(
  target: Requester | string,
  purpose: WorkPurpose
): Promise<WorkChallenge> {
  const path = `/api/work?purpose=${purpose}`
  const res =
    typeof target === 'string' ? await fetch(`${target}${path}`) : await target.request(path)
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`)
  return (await res.json()) as WorkChallenge
}

/** A solved proof for `purpose`, or undefined when the server asks for none (difficulty 0). */
export async function proofFor(
  target: Requester | string,
  purpose: WorkPurpose
): Promise<string | undefined> {
  const got = await fetchChallenge(target, purpose)
  return got.challenge ? solveChallenge(got.challenge, got.bits) : undefined
}

/** The header a script request carries: `{ 'X-Proof-Of-Work': proof }`, or {} when off. */
export async function workHeaders(
  target: Requester | string,
  purpose: WorkPurpose
): Promise<Record<string, string>> {
  const proof = await proofFor(target, purpose)
  return proof ? { 'X-Proof-Of-Work': proof } : {}
}

/** Precomputes `count` proofs (load scripts: solve first, then measure the server alone). */
export async function precomputeProofs(
  target: Requester | string,
  purpose: WorkPurpose,
  count: number
): Promise<string[]> {
  const out: string[] = []
  // A few requests in flight: the fetches overlap the solving.
  const worker = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const proof = await proofFor(target, purpose)
      if (proof) out.push(proof)
    }
  }
  const lanes = Math.min(8, count)
  await Promise.all(
    Array.from({ length: lanes }, (_, k) =>
      worker(Math.floor(count / lanes) + (k < count % lanes ? 1 : 0))
    )
  )
  return out
}
