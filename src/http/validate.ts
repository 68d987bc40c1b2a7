// Boundary validation: one schema library (zod, through @hono/zod-validator) for every input a
// route reads, checked before any service runs. A failure calls the route's own answer (a page
// with the form and its error, or a 400), typed with the app's context.
import { zValidator } from '@hono/zod-validator'
import type { Context } from 'hono'
import type { ValidationTargets } from 'hono/types'
import type { ZodType } from 'zod'
import type { AppEnv } from './env'

export function valid<Target extends keyof ValidationTargets, T extends ZodType>(
  target: Target,
  schema: T,
  onError: (c: Context<AppEnv, string>) => Response | Promise<Response>
) {
  // The validator's hook is typed with Hono's base Env; it only ever runs inside this app.
  return zValidator(target, schema, (result, c) =>
    result.success ? undefined : onError(c as Context<AppEnv, string>)
  )
}
