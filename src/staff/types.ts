// What a signed-in staff member looks like to handlers. Set by the staff session middleware
// (src/http/staff.ts) as c.var.staff; undefined when nobody is signed in.
import type { Role } from '../domain/vocab'
import type { Account } from '../store/types'

export interface StaffContext {
  account: Account
  /** Store id of the session (SHA-256 of the cookie token). */
  sessionId: string
  roles: readonly Role[]
}

/**
 * URL layout of the staff side, so sub-apps do not collide:
 *   /staff/...       setup, login, logout, enrolment, own account, admin (accounts, keys, plan)
 *   /officer/...     inbox, cases, intake, hand-over (role officer)
 *   /management/...  counts, deadlines, annual report (role management)
 */
export const STAFF_LOGIN_PATH = '/staff/login'
