// A year's anti-corruption plan from the command line: the shipped sample (the 2020 plan of the
// seed report) or the text of a plan-implementation report, replacing that year's plan.
import { readFile } from 'node:fs/promises'
import { createAuditLog } from '../audit'
import { systemClock } from '../deps'
import { parsePlan, planYearOf, replacePlan } from '../plan/import'
import { planSample, SAMPLE_YEARS } from '../plan/samples'
import type { PlanItem } from '../store/types'
import { EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, type CliIo, type Command } from './command'
import { parseFlags } from './flags'
import { withStore } from './with-store'

const USAGE = '--sample YEAR | --file REPORT.txt [--year YEAR]'

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
      let text: string
      try {
        text = await readFile(flags.file, 'utf8')
      } catch (err) {
        io.err(`portal: cannot read ${flags.file}: ${(err as Error).message}`)
        return EXIT_UNUSABLE
      }
      const detected = planYearOf(text)
      year = flags.year ? Number(flags.year) : (detected ?? Number.NaN)
      if (!Number.isInteger(year) || year < 2000 || year > 2100) {
        return usage(io, 'give the plan year with --year (the title names none)')
      }
      if (detected !== undefined && detected !== year) {
        io.err(`portal: note: the report's title says ${detected}; importing as ${year}`)
      }
      items = parsePlan(text, year)
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
