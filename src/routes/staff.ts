// The staff side, mounted at /staff: first run, enrolment, sign-in, own account, admin pages.
// Mounted once in app.ts; the staff session middleware (src/http/staff.ts) runs before it
// for every request, so c.var.staff is set here and on /officer and /management alike.
import { Hono } from 'hono'
import type { AppDeps } from '../deps'
import type { AppEnv } from '../http/env'
import type { WorkCheck } from '../report/work'
import type { Certificates } from '../staff/certificates'
import { staffAccountRoutes } from './staff-account'
import { staffAdminRoutes } from './staff-admin'
import { staffAuthRoutes } from './staff-auth'
import { staffEnrolRoutes } from './staff-enrol'
import { staffSetupRoutes } from './staff-setup'

export function staffRoutes(deps: AppDeps, certificates: Certificates, work: WorkCheck) {
  const app = new Hono<AppEnv>()
  app.route('/', staffAuthRoutes(deps, work))
  app.route('/', staffEnrolRoutes(deps))
  app.route('/', staffAccountRoutes(deps, certificates))
  app.route('/', staffAdminRoutes(deps, certificates))
  app.route('/', staffSetupRoutes(deps, certificates))
  return app
}
