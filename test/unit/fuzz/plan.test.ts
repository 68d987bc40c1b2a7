// Property-based tests of the plan importers (text, JSON, CSV, DOCX): random and mutated files are
// refused (undefined) or read into items; nothing throws, whatever the bytes.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planToCsv, planToJson } from '../../../src/plan/files'
import { PLAN_FORMATS, readPlanFile, type PlanFormat } from '../../../src/plan/formats'
import { parsePlan } from '../../../src/plan/import'
import { bytes, FUZZ_TIMEOUT, mutated, RUNS } from './mutate'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../fixtures', name)))
const text = fixture('plan-2020-report.txt')
const docx = fixture('plan-2020-docx.docx')
const items = parsePlan(new TextDecoder().decode(text), 2020)
const utf8 = (s: string) => new TextEncoder().encode(s)
const valid: Record<PlanFormat, Uint8Array> = {
  text,
  json: utf8(planToJson(2020, items)),
  csv: utf8(planToCsv(items)),
  docx,
}

/** Reads input as format; if readable, makes its items for two years. Must never throw. */
function readAll(format: PlanFormat, input: Uint8Array) {
  const read = readPlanFile(format, input)
  if (!read) return undefined
  const year = read.detected ?? 2020
  for (const y of [year, 2031]) {
    for (const it of read.itemsFor(y)) {
      expect(it.year).toBe(y)
      expect(typeof it.measure).toBe('string')
    }
  }
  return read
}

describe('plan importers', { timeout: FUZZ_TIMEOUT }, () => {
  it('read the valid files (the baseline the mutations start from)', () => {
    for (const f of PLAN_FORMATS)
      expect(readAll(f, valid[f])?.itemsFor(2020).length).toBeGreaterThan(10)
  })

  it.each(PLAN_FORMATS)('%s: mutated files are refused or read, never a throw', (format) => {
    // A DOCX is a zip: most mutations break it; a few hit only the stored XML.
    fc.assert(
      fc.property(mutated(valid[format]), (input) => void readAll(format, input)),
      { seed: 4000 + PLAN_FORMATS.indexOf(format), numRuns: format === 'docx' ? 60 : RUNS }
    )
  })

  it.each(PLAN_FORMATS)(
    '%s: random bytes and text are refused or read, never a throw',
    (format) => {
      const inputs = fc.oneof(
        bytes(2000),
        fc.string({ maxLength: 2000 }).map(utf8),
        fc.json().map(utf8),
        fc
          .array(
            fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constant('"'), fc.constant(';')), {
              maxLength: 8,
            }),
            {
              maxLength: 20,
            }
          )
          .map((rows) => utf8(rows.map((r) => r.join(',')).join('\n')))
      )
      fc.assert(
        fc.property(inputs, (input) => void readAll(format, input)),
        { seed: 4100 + PLAN_FORMATS.indexOf(format), numRuns: RUNS }
      )
    }
  )
})
