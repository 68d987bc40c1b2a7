// Child of annual-report.ts: times one registration journal file of a year from an existing
// SQLite store, in its own process, so a file too big for the heap ends this process and not
// the bench. Prints {"ms":…,"size":…}, or {"refused":…} when the journal refuses the file (a DOCX
// over its line limit: src/officer/journal.ts). Usage: tsx test/bench/journal-file.ts FILE YEAR csv|docx
import { createJournal } from '../../src/officer/journal'
import { openSqliteStore } from '../../src/store/sqlite'

const [file, year, format] = process.argv.slice(2)
if (!file || !year || (format !== 'csv' && format !== 'docx')) {
  throw new Error('usage: journal-file.ts FILE YEAR csv|docx')
}
const store = await openSqliteStore({ file })
const journal = createJournal({ store, clock: { now: () => new Date('2021-01-20T09:00:00Z') } })
const t0 = performance.now()
const made = await journal.file(format, { year: Number(year) }, {}, 'uk')
const ms = performance.now() - t0
await store.close()
console.log(
  JSON.stringify(made.ok ? { ms, size: made.value.byteLength } : { refused: made.error.message })
)
