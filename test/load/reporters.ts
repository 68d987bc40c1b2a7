// Reporters as the browser is one: load /report, read the page's config, seal the report with
// the browser's own code (src/browser/report-send.ts, crypto/), and POST it with the browser's
// HTTP client (src/browser/http.ts, which also honours a 429's Retry-After as the page does).
import nacl from 'tweetnacl'
import type { ReceiptKeys } from '../../crypto/receipt'
import { ApiFailure, createApi } from '../../src/browser/http'
import { buildReportRequest } from '../../src/browser/report-send'
import { proofFor } from '../helpers/pow'
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
  /** From the first report sent (after sealing ahead) to the last answer, in ms. */
  elapsedMs: number
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

/** A sealed report for `config`'s officers: what the page builds once the reporter presses Send. */
function seal(config: ReporterPageConfig, marker: string): SubmitReportRequest {
  return buildReportRequest(config, receiptKeys(), {
    answers: { what: `Звернення ${marker}: закупівля за завищеними цінами.`, how_known: 'work' },
    anonymity: 'anonymous',
    attachments: 0,
  }).request
}

/** The code of a failed fetch's cause (ECONNRESET, UND_ERR_SOCKET…), or the error's name. */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; name?: unknown } } | null)?.cause
  const code = cause?.code ?? cause?.name ?? (e as { name?: unknown } | null)?.name
  return typeof code === 'string' ? code : 'unknown'
}

async function pageConfig(base: string): Promise<ReporterPageConfig> {
  const html = await (await fetch(`${base}/report`, { signal: AbortSignal.timeout(60_000) })).text()
  const m = /id="portal-config">([^<]+)</.exec(html)
  if (!m) throw new Error('the report page has no config')
  return JSON.parse(m[1]!) as ReporterPageConfig
}

export async function runReporters(
  base: string,
  opts: { concurrency: number; durationMs: number; label: string; presealed: number }
): Promise<Outcome> {
  const out: Outcome = { accepted: new Map(), latencies: [], errors: new Map(), elapsedMs: 0 }
  const count = (kind: string) => out.errors.set(kind, (out.errors.get(kind) ?? 0) + 1)
  // The browser's client turns a failed fetch into 'network'; the cause is noted here first.
  const api = createApi((path, init) =>
    fetch(base + path, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), Origin: base },
      // A browser waits as long as the server takes; five minutes bounds a stuck run.
      signal: AbortSignal.timeout(300_000),
    }).catch((e: unknown) => {
      count(`network (${causeOf(e)})`)
      throw e
    })
  )
  // Sealing is the reporter's device's work; done ahead (before the clock starts) it does not
  // compete with the server for this machine's CPU. When the stock runs out, reporters seal live.
  let n = 0
  const nextMarker = () => `${opts.label}-${n++}`
  const first = await pageConfig(base)
  const stock: { marker: string; request: SubmitReportRequest }[] = []
  for (let i = 0; i < opts.presealed; i++) {
    const marker = nextMarker()
    stock.push({ marker, request: seal(first, marker) })
  }
  const started = performance.now()
  const until = started + opts.durationMs

  async function reporter(): Promise<void> {
    while (performance.now() < until) {
      let config: ReporterPageConfig
      try {
        config = await pageConfig(base)
      } catch (e) {
        count(`page (${causeOf(e)})`)
        continue
      }
      const ready = stock.pop()
      const marker = ready?.marker ?? nextMarker()
      // The page's own single-use form token goes with each report.
      const request = {
        ...(ready?.request ?? seal(config, marker)),
        formToken: config.formToken ?? '',
      }
      // The proof of work is the reporter's device's job, done before the clock starts; a retry
      // (after a 429) asks for a fresh one, as a proof is taken once.
      let proof: string | undefined
      try {
        proof = await proofFor(base, 'submit')
      } catch (e) {
        count(`work (${causeOf(e)})`)
        continue
      }
      const work = () => {
        const ready = proof
        proof = undefined
        return ready !== undefined ? Promise.resolve(ready) : proofFor(base, 'submit')
      }
      const t0 = performance.now()
      try {
        const res = await api.json<SubmitReportResponse>(
          'POST',
          '/api/report',
          prepareSubmission(config, request),
          { work }
        )
        out.latencies.push(performance.now() - t0)
        out.accepted.set(marker, res.caseId)
      } catch (e) {
        if (e instanceof ApiFailure && e.status > 0) {
          out.latencies.push(performance.now() - t0)
          count(`${e.status} ${e.code}`)
        }
      }
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, () => reporter()))
  out.elapsedMs = performance.now() - started
  return out
}
