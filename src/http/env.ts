import type { Eta } from 'eta'
import type { BrandView } from '../branding/service'
import type { Language } from '../config'
import type { Dictionary } from '../i18n'
import type { StaffContext } from '../staff/types'

/** Per-request values that middleware sets and handlers read (c.var.*). */
export interface AppEnv {
  Variables: {
    requestId: string
    lang: Language
    t: Dictionary
    eta: Eta
    /** The signed-in staff member, on staff routes (see src/staff/session.ts). */
    staff?: StaffContext
    /** The organisation's name and logo for this page's language (src/branding). */
    brand?: BrandView
  }
}
