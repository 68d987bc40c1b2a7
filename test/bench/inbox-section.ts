// The officer's inbox in `npm run bench` (issue 12, points 3 and 7): the first page of each
// filter and sort over ctx.cases cases (100,000 unless told), against /healthz in the same run,
// then the common filters at 1,000 and 10,000 cases, so a reader sees how the cost grows.
// The query plans print above the table (inbox.ts).
import { benchInbox, type InboxBenchRow } from './inbox'
import type { Section } from './lib/context'
import type { Row } from './lib/table'

/** The filters measured at the smaller sizes: newest first, a whole registration number, a prefix. */
const GROWTH_SCENARIOS = 3

export const inbox: Section = {
  name: 'inbox',
  async run(ctx) {
    const rows: Row[] = []
    const sizes = [1000, 10_000, ctx.cases].filter((n, i, all) => all.indexOf(n) === i)
    for (const cases of sizes) {
      const full = cases === ctx.cases
      const got = await benchInbox({
        cases,
        duration: ctx.quick ? 2 : 5,
        connections: 10,
        mongoCases: full ? Math.min(cases, 10_000) : 0,
        ...(full ? {} : { scenarios: GROWTH_SCENARIOS }),
      })
      const [healthz, ...pages] = got
      if (!healthz) continue
      const section = full ? 'inbox' : 'growth'
      const of = (r: InboxBenchRow) =>
        full ? r.name : `${r.name}, ${cases.toLocaleString('en')} cases`
      for (const r of pages) {
        rows.push({
          section,
          name: `inbox p99: ${of(r)}`,
          value: r.p99,
          unit: 'ms',
          baseline: { name: '/healthz p99', value: healthz.p99 },
          ratio: r.p99 / Math.max(healthz.p99, 1),
          target: '≤ 50 ms',
          met: r.p99 <= 50 && r.errors === 0,
          note: `${r.requestsPerSec.toFixed(0)} req/s (healthz ${healthz.requestsPerSec.toFixed(0)}), p50 ${r.p50} ms, ${r.rows} rows shown, 10 connections${r.errors ? `, ${r.errors} errors` : ''}`,
        })
      }
    }
    return rows
  },
}
