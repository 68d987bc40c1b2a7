// `portal report:annual`: the year's plan-implementation report as a file, the same document
// management downloads from the web pages.
import { writeFile } from 'node:fs/promises'
import { createAuditLog } from '../audit'
import { LANGUAGES, type Language } from '../config'
import { systemClock } from '../deps'
import { isOneOf } from '../domain/vocab'
import { REPORT_VARIANTS } from '../reports/annual/model'
import { ANNUAL_FORMATS, createAnnualReportService } from '../reports/annual/service'
import { createStatisticsService } from '../reports/statistics'
import { EXIT_OK, EXIT_UNUSABLE, type Command } from './command'
import { parseFlags } from './flags'
import { withStore } from './with-store'

const USAGE = `--year YEAR --format ${ANNUAL_FORMATS.join('|')} --out FILE [--lang uk|en] [--variant ${REPORT_VARIANTS.join('|')}]`

export const reportAnnualCommand: Command = {
  name: 'report:annual',
  usage: USAGE,
  summary: 'write the plan-implementation report of a year (plan + the system’s figures)',
  run(args, io) {
    const flags = parseFlags(args)
    const year = Number(flags.year)
    const format = flags.format ?? 'docx'
    const lang = flags.lang ?? ''
    // internal: management's copy; public: the one a council publishes (small counts hidden).
    const variant = flags.variant ?? 'internal'
    if (
      !Number.isInteger(year) ||
      year < 2000 ||
      year > 2100 ||
      !isOneOf(ANNUAL_FORMATS, format) ||
      !flags.out ||
      (lang !== '' && !isOneOf(LANGUAGES, lang)) ||
      !isOneOf(REPORT_VARIANTS, variant)
    ) {
      io.err(`portal: usage: portal report:annual ${USAGE}`)
      return Promise.resolve(EXIT_UNUSABLE)
    }
    return withStore(io, async (store, config) => {
      const statistics = createStatisticsService({ store, clock: systemClock })
      const annual = createAnnualReportService({ config, store, clock: systemClock, statistics })
      const language: Language = isOneOf(LANGUAGES, lang) ? lang : config.defaultLanguage
      const model = await annual.build(year, language, variant)
      const out = await annual.render(model, format)
      await writeFile(flags.out!, out.body)
      await createAuditLog({ store, clock: systemClock }).record({
        actorRole: 'cli',
        action: 'report.annual',
        details: { year, format, variant },
      })
      io.out(
        `${flags.out}: ${model.rows.length} plan items of ${year} (${format}${variant === 'public' ? ', public version' : ''})`
      )
      if (model.rows.length === 0) {
        io.err(`portal: note: no plan is imported for ${year}; see "portal plan:import"`)
      }
      return EXIT_OK
    })
  },
}
