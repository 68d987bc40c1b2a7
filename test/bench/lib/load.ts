// The load generator: autocannon as a library, always against 127.0.0.1.
import autocannon from 'autocannon'

export interface LoadResult {
  rps: number
  /** Responses with the expected status per second (for POSTs: accepted reports). */
  okPerS: number
  p50: number
  p99: number
  errors: number
  /** Responses whose status was not the expected one. */
  unexpected: number
  statuses: Record<string, number>
}

export interface LoadOptions {
  url: string
  connections: number
  seconds: number
  expect?: number
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /**
   * The body of each request, made just before it is sent (a sealed report around fresh ids and
   * a fresh form token; see lib/reports.ts, where per-request precomputed work belongs).
   */
  body?: () => string
  /** Headers of each request besides `headers`, made just before it is sent (a proof of work). */
  requestHeaders?: () => Record<string, string>
}

export async function load(opts: LoadOptions): Promise<LoadResult> {
  const expected = opts.expect ?? 200
  const statuses: Record<string, number> = {}
  const body = opts.body
  const extra = opts.requestHeaders ?? (() => ({}))
  let instance: autocannon.Instance | undefined
  const done = new Promise<autocannon.Result>((ok, fail) => {
    instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.seconds,
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
        ...(body
          ? {
              requests: [
                {
                  setupRequest: (req: autocannon.Request) => ({
                    ...req,
                    body: body(),
                    headers: { ...req.headers, ...extra() },
                  }),
                },
              ],
            }
          : {}),
      },
      (err, result) => (err ? fail(err as Error) : ok(result))
    )
  })
  instance!.on('response', (_client: unknown, status: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1
  })
  const result = await done
  const ok = statuses[expected] ?? 0
  const all = Object.values(statuses).reduce((a, b) => a + b, 0)
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000 || opts.seconds
  return {
    rps: all / elapsed,
    okPerS: ok / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    unexpected: all - ok,
    statuses,
  }
}
