// One message per kind of failure; details stay out of the page (and out of any log).
import { ApiFailure } from './http'
import type { Strings } from './i18n'

export function errorMessage(e: unknown, s: Strings): string {
  if (!(e instanceof ApiFailure)) return s.serverError
  if (e.status === 0) return s.networkError
  if (e.status === 413 || e.code === 'too-large') return s.tooLarge
  if (e.status === 429 || e.code === 'slow-down') return s.slowDown
  if (e.status === 401) return s.sessionExpired
  if (e.code === 'no-officer') return s.noOfficer
  if (e.code.startsWith('work-')) return s.workRefused
  return s.serverError
}
