// Writes a plan sample (src/plan/samples/plan-YEAR.json) from the text of a plan-implementation
// report, with the project's own importer, so the shipped sample is what an import would store.
//   npx tsx tools/scripts/plan-sample.ts test/fixtures/plan-2020-report.txt
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parsePlan, planTitleOf, planYearOf } from '../../src/plan/import'
import type { PlanSample } from '../../src/plan/samples'

const [file, outArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: tsx tools/scripts/plan-sample.ts REPORT.txt [OUT.json]')
  process.exit(2)
}
const text = readFileSync(file, 'utf8')
const year = planYearOf(text)
if (year === undefined) {
  console.error(`${file}: no year in the title`)
  process.exit(1)
}
const sample: PlanSample = { year, title: planTitleOf(text), items: parsePlan(text, year) }
const out = outArg ?? join(import.meta.dirname, `../../src/plan/samples/plan-${year}.json`)
writeFileSync(out, `${JSON.stringify(sample, null, 2)}\n`)
console.log(`${out}: ${sample.items.length} items of ${year}`)
