// A year's anti-corruption plan from the command line: the shipped sample (the 2020 plan of the
// seed report), the text of a plan-implementation report, or a JSON, CSV or DOCX file (as the
// admin's import page reads them), replacing that year's plan.
import { readFile } from 'node:fs/promises'
import { createAuditLog } from '../audit'
import { systemClock } from '../deps'
import { PLAN_FORMATS, readPlanFile, type PlanFormat } from '../plan/formats'
import { replacePlan } from '../plan/import'
import { planSample, SAMPLE_YEARS } from '../plan/samples'
import type { PlanItem } from '../store/types'
import { EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, type CliIo, type Command } from './command'
import { parseFlags } from './flags'
import { withStore } from './with-store'

const USAGE = `--sample YEAR | --file FILE [--format ${PLAN_FORMATS.join('|')}] [--year YEAR]`

/** The format a file's name suggests: .json, .csv, .docx, anything else the report's text. */
function formatOf(file: string, asked: string | undefined): PlanFormat | undefined {
  if (asked !== undefined) return PLAN_FORMATS.find((f) => f === asked)
  const ext = /\.(json|csv|docx)$/i.exec(file)?.[1]?.toLowerCase()
  return PLAN_FORMATS.find((f) => f === ext) ?? 'text'
}

function usage(io: CliIo, problem: string): Promise<number> {
  io.err(`portal: ${problem}`)
  io.err(`portal: usage: portal plan:import ${USAGE}`)
  return Promise.resolve(EXIT_UNUSABLE)
}

export const planImportCommand: Command = {
  name: 'plan:import',
  usage: USAGE,
  summary: `replace a year's plan with a shipped sample (${SAMPLE_YEARS.join(', ')}) or a report's text`,
  async run(args, io) {
    const flags = parseFlags(args)
    let year: number
    let items: PlanItem[]
    if (flags.sample !== undefined) {
      const sample = planSample(Number(flags.sample))
      if (!sample) return usage(io, `no sample plan for "${flags.sample}"`)
      year = sample.year
      items = sample.items
    } else if (flags.file) {
      const format = formatOf(flags.file, flags.format)
      if (!format) return usage(io, `unknown format "${flags.format}"`)
      let bytes: Uint8Array
      try {
        bytes = await readFile(flags.file)
      } catch (err) {
        io.err(`portal: cannot read ${flags.file}: ${(err as Error).message}`)
        return EXIT_UNUSABLE
      }
      const read = readPlanFile(format, bytes)
      if (!read) {
        io.err(`portal: ${flags.file} is not a plan in the ${format} format; nothing imported`)
        return EXIT_PROBLEM
      }
      const detected = read.detected
      year = flags.year ? Number(flags.year) : (detected ?? Number.NaN)
      if (!Number.isInteger(year) || year < 2000 || year > 2100) {
        return usage(io, 'give the plan year with --year (the title names none)')
      }
      if (detected !== undefined && detected !== year) {
        io.err(`portal: note: the report's title says ${detected}; importing as ${year}`)
      }
      items = read.itemsFor(year)
    } else {
      return usage(io, 'give --sample or --file')
    }
    if (items.length === 0) {
      io.err('portal: no numbered plan table found; nothing imported')
      return EXIT_PROBLEM
    }
    return withStore(io, async (store) => {
      await replacePlan(store, year, items)
      await createAuditLog({ store, clock: systemClock }).record({
        actorRole: 'cli',
        action: 'plan.import',
        details: { year, items: items.length },
      })
      io.out(`imported ${items.length} plan items of ${year}`)
      return EXIT_OK
    })
  },
}
