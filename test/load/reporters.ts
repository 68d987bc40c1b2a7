// Reporters as the browser is one: load /report, read the page's config, seal the report with
// the browser's own code (src/browser/report-send.ts, crypto/), and POST it with the browser's
// HTTP client (src/browser/http.ts, which also honours a 429's Retry-After as the page does).
import nacl from 'tweetnacl'
import type { ReceiptKeys } from '../../crypto/receipt'
import { ApiFailure, createApi } from '../../src/browser/http'
import { buildReportRequest } from '../../src/browser/report-send'
import type {
  ReporterPageConfig,
  SubmitReportRequest,
  SubmitReportResponse,
} from '../../src/report/api'

/**
 * The one place where a submission is made ready before it is sent. Proof-of-work (issue 10,
 * point 1) adds its solved challenge here (test/helpers/pow.ts): solving costs the reporter's
 * device, not the server, so a load run may solve ahead of time and hand the solution in.
 */
export function prepareSubmission(
  _config: ReporterPageConfig,
  request: SubmitReportRequest
): SubmitReportRequest {
  return request
}

export interface Outcome {
  /** Sent text marker → case id, for every 201. */
  accepted: Map<string, string>
  /** Latency of each POST /api/report that got an answer (ms), whatever the status. */
  latencies: number[]
  /** Error kinds (HTTP status and API error, or 'network') and their counts. */
  errors: Map<string, number>
}

/**
 * The receipt keys are random here: deriving them from a receipt (Argon2id) is the reporter's
 * device's work, the server never sees the receipt, so skipping it loads the server the same.
 */
const receiptKeys = (): ReceiptKeys => ({
  authKey: nacl.randomBytes(32),
  box: nacl.box.keyPair(),
  sign: nacl.sign.keyPair(),
})

export async function runReporters(
  base: string,
  opts: { concurrency: number; durationMs: number; label: string }
): Promise<Outcome> {
  const out: Outcome = { accepted: new Map(), latencies: [], errors: new Map() }
  const count = (kind: string) => out.errors.set(kind, (out.errors.get(kind) ?? 0) + 1)
  const api = createApi((path, init) =>
    fetch(base + path, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), Origin: base },
      signal: AbortSignal.timeout(60_000),
    })
  )
  const until = performance.now() + opts.durationMs
  let n = 0

  async function reporter(id: number): Promise<void> {
    while (performance.now() < until) {
      const marker = `${opts.label}-${id}-${n++}`
      let config: ReporterPageConfig
      try {
        const html = await (
          await fetch(`${base}/report`, { signal: AbortSignal.timeout(60_000) })
        ).text()
        const m = /id="portal-config">([^<]+)</.exec(html)
        if (!m) throw new Error('no config')
        config = JSON.parse(m[1]!) as ReporterPageConfig
      } catch {
        count('page')
        continue
      }
      const { request } = buildReportRequest(config, receiptKeys(), {
        answers: {
          what: `Звернення ${marker}: закупівля за завищеними цінами.`,
          how_known: 'work',
        },
        anonymity: 'anonymous',
        attachments: 0,
      })
      const t0 = performance.now()
      try {
        const res = await api.json<SubmitReportResponse>(
          'POST',
          '/api/report',
          prepareSubmission(config, request)
        )
        out.latencies.push(performance.now() - t0)
        out.accepted.set(marker, res.caseId)
      } catch (e) {
        if (e instanceof ApiFailure && e.status > 0) {
          out.latencies.push(performance.now() - t0)
          count(`${e.status} ${e.code}`)
        } else count('network')
      }
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, (_, i) => reporter(i)))
  return out
}
