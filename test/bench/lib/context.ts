// What every section of `npm run bench` gets, and what it gives back: rows for the one table.
import type { Row } from './table'

export interface BenchContext {
  quick: boolean
  /** Seconds per load run, and connections per run (50 unless told). */
  seconds: number
  connections: number
  /** Stored cases for the growth and 100,000-case figures. */
  cases: number
  /** The MongoDB-protocol server for the Mongo figures ('' when there is none). */
  mongoUri: string
  chromiumPath: string
  log(line: string): void
}

/** A step of the run. Others add theirs in run.ts's SECTIONS list (annual report, inbox). */
export interface Section {
  name: string
  run(ctx: BenchContext): Promise<Row[]>
}
