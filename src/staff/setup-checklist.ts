// The admin's setup checklist: each item done or not from the system's real state (accounts,
// certificates, the settings the test mail leaves, the plan, the calendar, the organisation's
// profile), with where to do it.
import { detailsComplete } from '../branding/service'
import type { AppDeps } from '../deps'
import { uaCalendar } from '../officer/rules'
import type { Certificates } from './certificates'

export const SETUP_ITEMS = [
  'organisation',
  'orgKey',
  'officers',
  'certified',
  'smtp',
  'plan',
  'holidays',
] as const
export type SetupItem = (typeof SETUP_ITEMS)[number]

/** Set (an ISO time) once a test mail went out; cleared by nothing: mail once worked. */
export const MAIL_TESTED_KEY = 'setup.mailTestedAt'

const WHERE: Record<SetupItem, string> = {
  organisation: '/staff/admin/organisation',
  orgKey: '/staff/admin/accounts',
  officers: '/staff/admin/accounts#invite-form',
  certified: '/staff/admin/accounts',
  smtp: '/staff/admin/setup#test-mail',
  plan: '/officer/plan/import',
  holidays: '/staff/admin/setup#holidays',
}

export interface SetupState {
  item: SetupItem
  done: boolean
  href: string
}

export function createSetupChecklist(
  deps: Pick<AppDeps, 'store' | 'config' | 'clock' | 'calendar' | 'mailer'>,
  certificates: Certificates
) {
  const { store, config, clock } = deps

  async function state(): Promise<SetupState[]> {
    const year = clock.now().getUTCFullYear()
    const accounts = await store.accounts.list()
    const officers = accounts.filter((a) => a.roles.includes('officer') && a.status !== 'disabled')
    const calendar = deps.calendar ?? uaCalendar({ observeHolidays: config.observeHolidays })
    const done: Record<SetupItem, boolean> = {
      organisation: detailsComplete(await store.org.get(), config),
      orgKey: (await certificates.orgKeyState()) === 'ok',
      officers: officers.length > 0,
      certified: (await certificates.recipients()).length > 0,
      smtp: !!config.smtpUrl && !!(await store.settings.get(MAIL_TESTED_KEY)),
      plan: (await store.plan.listYear(year)).length > 0,
      holidays: [...calendar.holidays].some((d) => d.startsWith(`${year}-`)),
    }
    return SETUP_ITEMS.map((item) => ({ item, done: done[item], href: WHERE[item] }))
  }

  /** Sends a test mail now (not through the outbox: the admin waits for the answer). */
  async function sendTestMail(
    to: string,
    mail: { subject: string; text: string }
    // reason: 'no-smtp', or the mail server's answer.
  ): Promise<{ ok: true } | { ok: false; reason: string }> {
    if (!config.smtpUrl) return { ok: false, reason: 'no-smtp' }
    try {
      await deps.mailer.send({ to, ...mail })
    } catch (err) {
      return { ok: false, reason: (err as Error).message || 'error' }
    }
    await store.settings.set(MAIL_TESTED_KEY, clock.now().toISOString())
    return { ok: true }
  }

  return { state, sendTestMail }
}
export type SetupChecklist = ReturnType<typeof createSetupChecklist>
