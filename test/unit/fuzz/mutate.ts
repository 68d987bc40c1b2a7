// Mutations of valid bytes for the property tests: flip bits, truncate, extend, overwrite a run.
// Every mutation changes its input, so "never opens" is a real claim about altered data.
import fc from 'fast-check'

/** Runs per property: enough to find shallow crashes, little added to `npm test` time. */
export const RUNS = 200

/** Hundreds of runs per property: more than the default 20 s when the machine is busy. */
export const FUZZ_TIMEOUT = 120_000

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'extend'; extra: Uint8Array }
  | { kind: 'overwrite'; at: number; run: Uint8Array }

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fraction,
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fraction }),
  fc.record({
    kind: fc.constant('extend' as const),
    extra: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fraction,
    run: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  })
)

/** Applies m to a copy of valid; the result always differs from valid. */
export function applyMutation(valid: Uint8Array, m: Mutation): Uint8Array {
  const n = valid.length
  switch (m.kind) {
    case 'flip': {
      const out = valid.slice()
      const i = Math.floor(m.at * n)
      out[i] = out[i]! ^ (1 << m.bit)
      return out
    }
    case 'truncate':
      return valid.slice(0, Math.floor(m.keep * n))
    case 'extend': {
      const out = new Uint8Array(n + m.extra.length)
      out.set(valid)
      out.set(m.extra, n)
      return out
    }
    case 'overwrite': {
      const out = valid.slice()
      const at = Math.floor(m.at * n)
      out.set(m.run.subarray(0, n - at), at)
      // An overwrite with the same bytes changes nothing: flip the first byte of the run then.
      if (out.every((v, i) => v === valid[i])) out[at] = out[at]! ^ 0xff
      return out
    }
  }
}

export const mutated = (valid: Uint8Array) => mutation.map((m) => applyMutation(valid, m))

export const bytes = (maxLength: number) => fc.uint8Array({ maxLength })
