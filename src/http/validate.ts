// Boundary validation: one schema library (zod, through @hono/zod-validator) for every input a
// route reads, checked before any service runs. A failure calls the route's own answer (a page
// with the form and its error, or a 400), typed with the app's context; it gets the issues and
// the input as sent, so a form can be shown again with what the person typed.
import { zValidator } from '@hono/zod-validator'
import type { Context, MiddlewareHandler } from 'hono'
import type { ValidationTargets } from 'hono/types'
import { z, type ZodType } from 'zod'
import type { AppEnv } from './env'
import { readJson } from './json-body'

export function valid<Target extends keyof ValidationTargets, T extends ZodType>(
  target: Target,
  schema: T,
  onError: (
    c: Context<AppEnv, string>,
    issues: z.core.$ZodIssue[],
    raw: Record<string, unknown>
  ) => Response | Promise<Response>
) {
  // The validator's hook is typed with Hono's base Env; it only ever runs inside this app.
  return zValidator(target, schema, (result, c) =>
    result.success
      ? undefined
      : onError(
          c as Context<AppEnv, string>,
          result.error.issues,
          result.data as Record<string, unknown>
        )
  )
}

const first = (v: unknown): unknown => (Array.isArray(v) ? (v as unknown[])[0] : v)
const all = (v: unknown): unknown[] =>
  Array.isArray(v) ? (v as unknown[]) : v === undefined ? [] : [v]

/** A form field: the first of a repeated one, '' when absent or not text, at most `max` long. */
export const formText = (max: number) =>
  z.preprocess(
    first,
    z
      .string()
      .catch('')
      .transform((v) => v.slice(0, max))
  )
/** Every text value of a repeated field (checkboxes, multiple select). */
export const formValues = z.preprocess(
  all,
  z.array(z.unknown()).transform((a) => a.filter((x): x is string => typeof x === 'string'))
)
/** The files of a multipart field (empty file inputs, which browsers send, left out). */
export const formFiles = z.preprocess(
  all,
  z.array(z.unknown()).transform((a) => a.filter((f): f is File => f instanceof File && f.size > 0))
)

/** ?year= that picks one of the years shown; anything else reads as absent (the newest). */
export const yearQuery = z.object({
  year: z.coerce.number().int().min(1).max(9999).optional().catch(undefined),
})

/** The form's fields as typed (strings; the first of a repeated field), for showing it again. */
export function typed(raw: Record<string, unknown>, names: readonly string[]) {
  const out: Record<string, string> = {}
  for (const name of names) {
    const v = raw[name]
    const first = Array.isArray(v) ? (v as unknown[])[0] : v
    out[name] = typeof first === 'string' ? first : ''
  }
  return out
}

/** Which fields failed (their top-level names), each once. */
export function failedFields(issues: z.core.$ZodIssue[]): string[] {
  return [...new Set(issues.map((i) => String(i.path[0] ?? '')))]
}

/** Why a JSON body was refused: not JSON at all, or JSON that does not fit the schema. */
export type JsonRefusal = { kind: 'not-json' } | { kind: 'invalid'; issues: z.core.$ZodIssue[] }

/**
 * The JSON body checked against `schema` (read by the one reader, src/http/json-body.ts, so a
 * body that does not parse is "not JSON", never an exception), then `c.req.valid('json')`.
 */
export function validJson<T extends ZodType, E extends AppEnv = AppEnv>(
  schema: T,
  onError: (c: Context<E, string>, why: JsonRefusal) => Response | Promise<Response>
): MiddlewareHandler<E, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }> {
  return async (c, next) => {
    const body = await readJson(c)
    if (body === undefined) return onError(c, { kind: 'not-json' })
    const r = await schema.safeParseAsync(body)
    if (!r.success) return onError(c, { kind: 'invalid', issues: r.error.issues })
    c.req.addValidatedData('json', r.data as object)
    await next()
  }
}

/**
 * The answer of the encrypted paths to a refused body. A key outside the contract could only be
 * plaintext (strict schemas name it `unrecognized_keys`); anything else is malformed.
 */
export function sealedRefusal(why: JsonRefusal, malformed: string) {
  if (why.kind === 'not-json')
    return { error: 'bad-request', message: 'Expected a JSON body' } as const
  return why.issues.some(leaks)
    ? ({
        error: 'plaintext-field',
        message: 'The request carries fields that are not allowed here',
      } as const)
    : ({ error: 'bad-request', message: malformed } as const)
}

/** An unknown key, at any depth (a union reports its options' issues nested). */
function leaks(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'unrecognized_keys') return true
  return issue.code === 'invalid_union' && issue.errors.some((list) => list.some(leaks))
}
