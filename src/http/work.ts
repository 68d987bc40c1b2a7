// Proof of work and the honeypot at the HTTP edge (src/report/work.ts, nojs-budget.ts).
// Script requests carry their proof in the X-Proof-Of-Work header; a form may carry it in a
// `pow` field (the script fills it in). A form without it is a no-JS post: it pays the server's
// delay and budget instead. Every refusal happens before the route does anything else, so a
// request without valid work creates no case, no session and no counter but the no-JS budget.
import type { Context, MiddlewareHandler } from 'hono'
import type { WorkPurpose } from '../../crypto/pow'
import type { NoJsBudget } from '../report/nojs-budget'
import type { WorkCheck, WorkRefusal } from '../report/work'
import type { AppEnv } from './env'

export const WORK_HEADER = 'X-Proof-Of-Work'
/** The form field a script fills with the proof. */
export const WORK_FIELD = 'pow'
/** The honeypot's name: a field bots like to fill and people never see. */
export const HONEYPOT_FIELD = 'website'

export interface WorkGuards {
  work: WorkCheck
  nojs: NoJsBudget
}

/** 400 for work that is not there or not right; 409 for work that was right once. */
export const refusalStatus = (why: WorkRefusal) =>
  why === 'expired' || why === 'reused' ? 409 : 400

/** The JSON answer to refused work: `work-<why>` and a message in the page's language. */
export function workRefused(c: Context<AppEnv>, why: WorkRefusal) {
  return c.json({ error: `work-${why}`, message: c.var.t.work.refused[why] }, refusalStatus(why))
}

/** JSON routes: no valid proof in the header, no entry. */
export function requireWork(work: WorkCheck, purpose: WorkPurpose): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const result = await work.check(purpose, c.req.header(WORK_HEADER))
    if (!result.ok) return workRefused(c, result.why)
    await next()
  }
}

export type FormWork =
  { ok: true } | { ok: false; status: 400 | 409 | 429; message: string; retryAfter?: number }

/** Form routes: the proof in `pow` if a script sent one, else the no-JS delay and budget. */
export async function formWork(
  c: Context<AppEnv>,
  guards: WorkGuards,
  purpose: WorkPurpose,
  fields: Record<string, unknown>
): Promise<FormWork> {
  if (!guards.work.enabled(purpose)) return { ok: true }
  const t = c.var.t.work
  const proof = fields[WORK_FIELD]
  if (typeof proof === 'string' && proof !== '') {
    const result = await guards.work.check(purpose, proof)
    if (result.ok) return result
    return { ok: false, status: refusalStatus(result.why), message: t.refused[result.why] }
  }
  const hold = await guards.nojs.admit(purpose)
  if (hold === null) return { ok: true }
  c.header('Retry-After', String(hold))
  return { ok: false, status: 429, message: t.busy.replace('{s}', String(hold)), retryAfter: hold }
}

/** True when the honeypot holds anything: the request is refused and nothing is stored. */
export function honeypotFilled(fields: Record<string, unknown>): boolean {
  const v = fields[HONEYPOT_FIELD]
  return typeof v === 'string' ? v !== '' : v !== undefined
}
