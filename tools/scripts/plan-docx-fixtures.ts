// Writes the DOCX fixtures of the 2020 plan: one as the `docx` package writes it, and the same
// document saved again by LibreOffice (needs `soffice` on PATH).
//   npx tsx tools/scripts/plan-docx-fixtures.ts
import { execFileSync } from 'node:child_process'
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { planSample } from '../../src/plan/samples'
import { planDocx, planRows } from '../../test/helpers/plan-docx'

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures')
const sample = planSample(2020)
if (!sample) throw new Error('no 2020 sample')
const bytes = await planDocx(sample.title, planRows(sample.items))
const written = join(FIXTURES, 'plan-2020-docx.docx')
writeFileSync(written, bytes)

const tmp = mkdtempSync(join(tmpdir(), 'plan-docx-'))
try {
  const source = join(tmp, 'plan.docx')
  writeFileSync(source, bytes)
  const out = join(tmp, 'out')
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${tmp}/profile`,
      '--headless',
      '--convert-to',
      'docx:MS Word 2007 XML',
      '--outdir',
      out,
      source,
    ],
    { stdio: 'inherit' }
  )
  renameSync(join(out, 'plan.docx'), join(FIXTURES, 'plan-2020-libreoffice.docx'))
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
