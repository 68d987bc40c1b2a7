// `portal journal:export`: the registration journal of a year as CSV or DOCX, for the whole
// organisation (whoever runs it on the server holds the database anyway; no content is in it).
import { writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { LANGUAGES } from '../config'
import { systemClock } from '../deps'
import { createJournal } from '../officer/journal'
import { EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, type Command } from './command'
import { parseFlags } from './flags'
import { withStore } from './with-store'

const flagsSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  format: z.enum(['csv', 'docx']),
  out: z.string().min(1),
  lang: z.enum(LANGUAGES).optional(),
})

export const journalExportCommand: Command = {
  name: 'journal:export',
  usage: '--year YYYY --format csv|docx --out FILE [--lang uk|en]',
  summary: 'write the registration journal of a year (metadata only) to a file',
  run(args, io) {
    const flags = flagsSchema.safeParse(parseFlags(args))
    if (!flags.success) {
      const fields = flags.error.issues.map((i) => i.path.join('.')).join(', ')
      io.err(`portal: usage: portal journal:export ${journalExportCommand.usage}`)
      io.err(`portal: check ${fields}`)
      return Promise.resolve(EXIT_UNUSABLE)
    }
    const { year, format, out } = flags.data
    return withStore(io, async (store, config) => {
      const journal = createJournal({ store, clock: systemClock })
      const lang = flags.data.lang ?? config.defaultLanguage
      const made = await journal.file(format, { year }, {}, lang)
      if (!made.ok) {
        io.err(`portal: ${made.error.message}`)
        return EXIT_PROBLEM
      }
      await writeFile(out, made.value)
      const lines = (await journal.rows({ year }, {})).length
      io.out(`journal ${year}: ${lines} line(s) written to ${out}`)
      return EXIT_OK
    })
  },
}
