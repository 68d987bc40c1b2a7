// Staff middleware: sets c.var.staff from the session cookie, guards routes by role, and gives
// handlers behind a guard the signed-in staff member, typed (staffOf).
import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps } from '../deps'
import type { Role } from '../domain/vocab'
import { tokenHash } from '../report/ids'
import { clearStaffCookie, loadStaff, readPendingSession, staffToken } from '../staff/session'
import { STAFF_LOGIN_PATH, type StaffContext } from '../staff/types'
import type { AppEnv } from './env'
import { isHtmx } from './render'

/**
 * Sets c.var.staff on every request that carries a live staff session cookie. A cookie whose
 * session is gone (expired, idle, signed out elsewhere) is deleted, in the store and the browser.
 */
export function staffSession(
  deps: Pick<AppDeps, 'config' | 'store' | 'clock'>
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.path.startsWith('/static/')) return next()
    const token = staffToken(c, deps.config)
    if (token) {
      const staff = await loadStaff(deps, token)
      if (staff) {
        c.set('staff', staff)
      } else if (!(await readPendingSession(deps, token))) {
        await deps.store.sessions.delete(tokenHash(token))
        clearStaffCookie(c, deps.config)
      }
    }
    await next()
  }
}

/** Scripts (fetch with Accept: application/json, or a JSON body) get JSON errors, not pages. */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header('Accept') ?? ''
  const type = c.req.header('Content-Type') ?? ''
  return (
    type.startsWith('application/json') ||
    (accept.includes('application/json') && !accept.includes('text/html'))
  )
}

/**
 * Guards a route: signed in, with at least one of `roles` (any staff member when none given).
 * Pages send the browser to the login page (303), scripts and htmx get 401, a wrong role is 403.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const staff = c.var.staff
    if (!staff) {
      if (isHtmx(c)) {
        c.header('HX-Redirect', STAFF_LOGIN_PATH)
        return c.json({ error: 'unauthorized' }, 401)
      }
      if (wantsJson(c)) return c.json({ error: 'unauthorized' }, 401)
      const here = c.req.method === 'GET' ? `${c.req.path}` : ''
      const query = here && here !== '/staff' ? `?next=${encodeURIComponent(here)}` : ''
      return c.redirect(`${STAFF_LOGIN_PATH}${query}`, 303)
    }
    if (roles.length > 0 && !roles.some((r) => staff.roles.includes(r))) {
      if (wantsJson(c)) return c.json({ error: 'forbidden' }, 403)
      throw new HTTPException(403)
    }
    await next()
  }
}

/**
 * The signed-in staff member, in a handler behind requireRole (which answers every request
 * without one). Reaching here without a session is a wiring mistake: a 401, never a crash.
 */
export function staffOf(c: { var: { staff?: StaffContext | undefined } }): StaffContext {
  const staff = c.var.staff
  if (!staff) throw new HTTPException(401)
  return staff
}
