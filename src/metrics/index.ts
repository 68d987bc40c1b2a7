// Operational figures for Prometheus (GET /metrics, src/routes/metrics.ts): the process, requests by
// route *pattern* and status, the outbox queue, background jobs, and cases counted by state. Never
// case data: no registration number, no per-case label, no text; only aggregate counts, which
// management may see anyway (docs/deployment.md "Monitoring").
import type { CaseState } from '../domain/vocab'
import type { Store } from '../store/types'

export type JobResult = 'ok' | 'error' | 'skipped'

export interface Metrics {
  /** One answered request; `route` is the matched pattern (bounded), never the URL. */
  request(method: string, route: string, status: number): void
  /** A background job's run on this instance ('skipped': another instance had the period). */
  job(name: string, result: JobResult, at: Date): void
  /** The Prometheus text exposition (format 0.0.4) of everything, read fresh from the store. */
  render(store: Pick<Store, 'cases' | 'outbox'>, now: Date): Promise<string>
}

type Labels = Record<string, string>

/** Prometheus label values: backslash, quote and newline escaped. */
function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
  )
  return parts.length > 0 ? `{${parts.join(',')}}` : ''
}

class Family {
  readonly samples: { labels: Labels; value: number }[] = []
  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge',
    readonly help: string
  ) {}
  add(value: number, labels: Labels = {}): this {
    this.samples.push({ labels, value })
    return this
  }
  text(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`]
    for (const s of this.samples) lines.push(`${this.name}${labelText(s.labels)} ${s.value}`)
    return lines.join('\n')
  }
}

const seconds = (d: Date) => d.getTime() / 1000

export function createMetrics(): Metrics {
  const started = new Date(Date.now() - process.uptime() * 1000)
  const requests = new Map<string, { labels: Labels; count: number }>()
  const jobs = new Map<string, { runs: Record<JobResult, number>; last?: Date; lastOk?: Date }>()

  return {
    request(method, route, status) {
      const key = `${method} ${route} ${status}`
      const seen = requests.get(key)
      if (seen) seen.count++
      else requests.set(key, { labels: { method, route, status: String(status) }, count: 1 })
    },

    job(name, result, at) {
      const j = jobs.get(name) ?? { runs: { ok: 0, error: 0, skipped: 0 } }
      j.runs[result]++
      if (result !== 'skipped') j.last = at
      if (result === 'ok') j.lastOk = at
      jobs.set(name, j)
    },

    async render(store, now) {
      const [byState, pending, failed] = await Promise.all([
        store.cases.countByState(),
        store.outbox.list('pending'),
        store.outbox.list('failed'),
      ])
      const mem = process.memoryUsage()
      const cpu = process.cpuUsage()
      const families: Family[] = [
        new Family('process_cpu_seconds_total', 'counter', 'User and system CPU time.').add(
          (cpu.user + cpu.system) / 1e6
        ),
        new Family('process_resident_memory_bytes', 'gauge', 'Resident memory.').add(mem.rss),
        new Family('process_heap_bytes', 'gauge', 'V8 heap in use.').add(mem.heapUsed),
        new Family('process_start_time_seconds', 'gauge', 'Start of the process (Unix time).').add(
          Math.round(seconds(started))
        ),
        new Family('nodejs_version_info', 'gauge', 'The Node.js version.').add(1, {
          version: process.version,
        }),
      ]

      const req = new Family(
        'portal_http_requests_total',
        'counter',
        'Answered requests by method, route pattern and status, since start.'
      )
      for (const r of requests.values()) req.add(r.count, r.labels)
      families.push(req)

      const cases = new Family('portal_cases', 'gauge', 'Cases by lifecycle state (counts only).')
      for (const [state, n] of Object.entries(byState) as [CaseState, number][]) {
        cases.add(n, { state })
      }
      families.push(cases)

      const oldest = pending.reduce<Date | undefined>(
        (min, m) => (min === undefined || m.createdAt < min ? m.createdAt : min),
        undefined
      )
      families.push(
        new Family('portal_outbox_messages', 'gauge', 'Notifications waiting or given up on.')
          .add(pending.length, { status: 'pending' })
          .add(failed.length, { status: 'failed' }),
        new Family(
          'portal_outbox_oldest_pending_seconds',
          'gauge',
          'Age of the oldest notification still waiting (0: none).'
        ).add(oldest ? Math.max(0, Math.round(seconds(now) - seconds(oldest))) : 0)
      )

      const runs = new Family('portal_job_runs_total', 'counter', 'Background job runs here.')
      const last = new Family(
        'portal_job_last_run_timestamp_seconds',
        'gauge',
        'Last run of a background job on this instance (Unix time).'
      )
      const lastOk = new Family(
        'portal_job_last_success_timestamp_seconds',
        'gauge',
        'Last successful run of a background job on this instance (Unix time).'
      )
      for (const [job, j] of jobs) {
        for (const [result, n] of Object.entries(j.runs)) runs.add(n, { job, result })
        if (j.last) last.add(Math.round(seconds(j.last)), { job })
        if (j.lastOk) lastOk.add(Math.round(seconds(j.lastOk)), { job })
      }
      families.push(runs, last, lastOk)

      return `${families.map((f) => f.text()).join('\n')}\n`
    },
  }
}
