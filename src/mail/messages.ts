// Content-free mail. Mail crosses servers the organisation does not control, so a message says
// only that something needs attention and where to log in: no case id or registration number,
// no category, no reporter detail, no text from a case. Not even the precise deadline kind when
// that kind would tell something about the report (see clockGroupOf).
import type { Language } from '../config'

export const MAIL_TEMPLATES = [
  'case-attention',
  'deadline-reminder',
  'daily-digest',
  'invitation',
  'retention-warning',
] as const
export type MailTemplate = (typeof MAIL_TEMPLATES)[number]

export function isMailTemplate(v: unknown): v is MailTemplate {
  return typeof v === 'string' && (MAIL_TEMPLATES as readonly string[]).includes(v)
}

/** Generic words for a deadline clock, the most a reminder may say about which deadline it is. */
export const CLOCK_GROUPS = ['reply', 'review', 'forwarding'] as const
export type ClockGroup = (typeof CLOCK_GROUPS)[number]

/**
 * 'refer' (signs of an offence) and 'forward-head' (the report concerns the head) would reveal
 * the substance of a report to anyone reading the mail, so both are just "forwarding".
 */
export function clockGroupOf(kind: string): ClockGroup | undefined {
  switch (kind) {
    case 'acknowledge':
    case 'inform-preliminary-result':
    case 'feedback':
      return 'reply'
    case 'preliminary-review':
    case 'investigation':
      return 'review'
    case 'refer':
    case 'forward-head':
      return 'forwarding'
    default:
      return undefined
  }
}

export const REMINDER_STATUSES = ['due-soon', 'overdue'] as const
export type ReminderStatus = (typeof REMINDER_STATUSES)[number]

/** Parameters per template; all strings, as the outbox stores them. */
export interface MailParams {
  'case-attention': { publicUrl: string }
  'deadline-reminder': { publicUrl: string; status: ReminderStatus; clockGroup?: ClockGroup }
  'daily-digest': { publicUrl: string; newCases: string; dueSoon: string; breached: string }
  /** `expiresOn`: YYYY-MM-DD, the last day the link works. */
  invitation: { inviteUrl: string; expiresOn?: string; orgName?: string }
  /** `deleteOn`: YYYY-MM-DD, the day a case is deleted under the retention rules (no case named). */
  'retention-warning': { publicUrl: string; deleteOn: string }
}

export interface RenderedMail {
  subject: string
  text: string
}

/** Unknown template or missing/invalid parameters: a programming error, never worth a retry. */
export class MailTemplateError extends Error {
  override readonly name = 'MailTemplateError'
}

type Params = Readonly<Record<string, string | undefined>>

function required(params: Params, name: string): string {
  const v = params[name]
  if (v === undefined || v === '') throw new MailTemplateError(`mail parameter ${name} is missing`)
  return v
}

function httpUrl(params: Params, name: string): string {
  const v = required(params, name)
  let url: URL
  try {
    url = new URL(v)
  } catch {
    throw new MailTemplateError(`mail parameter ${name} is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MailTemplateError(`mail parameter ${name} must be an http(s) URL`)
  }
  return v.replace(/\/+$/, '')
}

function count(params: Params, name: string): string {
  const v = required(params, name)
  if (!/^\d{1,9}$/.test(v)) throw new MailTemplateError(`mail parameter ${name} must be a count`)
  return String(Number(v))
}

function oneOf<T extends string>(params: Params, name: string, allowed: readonly T[]): T {
  const v = required(params, name)
  if (!(allowed as readonly string[]).includes(v)) {
    throw new MailTemplateError(`mail parameter ${name} must be one of ${allowed.join(', ')}`)
  }
  return v as T
}

function optionalOneOf<T extends string>(params: Params, name: string, allowed: readonly T[]) {
  return params[name] === undefined ? undefined : oneOf(params, name, allowed)
}

function optionalLine(params: Params, name: string, pattern: RegExp): string | undefined {
  const v = params[name]
  if (v === undefined || v === '') return undefined
  if (!pattern.test(v)) throw new MailTemplateError(`mail parameter ${name} is not acceptable`)
  return v
}

const officerUrl = (publicUrl: string) => `${publicUrl}/officer`

interface Texts {
  footer: string
  caseAttention: (url: string) => RenderedMail
  deadline: (status: ReminderStatus, group: ClockGroup | undefined, url: string) => RenderedMail
  digest: (c: { newCases: string; dueSoon: string; breached: string }, url: string) => RenderedMail
  invitation: (
    link: string,
    expiresOn: string | undefined,
    orgName: string | undefined
  ) => RenderedMail
  retention: (deleteOn: string, url: string) => RenderedMail
}

const uk: Omit<Texts, 'retention'> = {
  footer:
    'Цей лист надіслано автоматично. Він не містить відомостей про справи; не відповідайте на нього.',
  caseAttention: (url) => ({
    subject: 'Справа потребує вашої уваги',
    text: [
      'Вітаємо!',
      'Справа на порталі повідомлень викривачів потребує вашої уваги.',
      `Увійдіть на портал, щоб переглянути її: ${url}`,
    ].join('\n\n'),
  }),
  deadline: (status, group, url) => {
    const what = group
      ? {
          reply: ' відповіді викривачеві',
          review: ' розгляду',
          forwarding: ' передачі повідомлення',
        }[group]
      : ''
    return {
      subject: status === 'overdue' ? 'Строк минув' : 'Наближається строк',
      text: [
        'Вітаємо!',
        status === 'overdue'
          ? `Минув строк${what} в одній із ваших справ.`
          : `Незабаром спливає строк${what} в одній із ваших справ.`,
        `Увійдіть на портал, щоб побачити, про яку справу йдеться: ${url}`,
      ].join('\n\n'),
    }
  },
  digest: (c, url) => ({
    subject: 'Щоденний підсумок',
    text: [
      'Вітаємо! Ваш підсумок на сьогодні:',
      [
        `Нових справ за вчора: ${c.newCases}`,
        `Справ, строк яких незабаром спливає: ${c.dueSoon}`,
        `Справ із простроченим строком: ${c.breached}`,
      ].join('\n'),
      `Увійдіть на портал, щоб переглянути справи: ${url}`,
    ].join('\n\n'),
  }),
  invitation: (link, expiresOn, orgName) => ({
    subject: 'Запрошення до порталу повідомлень викривачів',
    text: [
      'Вітаємо!',
      `Вас запрошено створити службовий обліковий запис на порталі повідомлень викривачів${
        orgName ? ` (${orgName})` : ''
      }.`,
      `Щоб налаштувати обліковий запис, відкрийте посилання: ${link}` +
        (expiresOn ? `\nПосилання дійсне до ${expiresOn} включно.` : ''),
      'Якщо ви не очікували цього запрошення, просто проігноруйте цей лист.',
    ].join('\n\n'),
  }),
}

const ukRetention: Texts['retention'] = (deleteOn, url) => ({
  subject: 'Справу буде видалено за строком зберігання',
  text: [
    'Вітаємо!',
    `${deleteOn} одну з ваших справ буде видалено, бо минув строк її зберігання.`,
    'Якщо справу потрібно зберегти (наприклад, через судовий розгляд), встановіть на неї заборону видалення на сторінці справи.',
    `Увійдіть на портал, щоб побачити, про яку справу йдеться: ${url}`,
  ].join('\n\n'),
})

const enRetention: Texts['retention'] = (deleteOn, url) => ({
  subject: 'A case will be deleted at the end of its retention period',
  text: [
    'Hello,',
    `On ${deleteOn} one of your cases will be deleted: its retention period is over.`,
    'If the case must be kept (for example because of court proceedings), place a legal hold on it on the case page.',
    `Log in to the portal to see which case: ${url}`,
  ].join('\n\n'),
})

const en: Omit<Texts, 'retention'> = {
  footer:
    'This message was sent automatically. It contains no case details; please do not reply to it.',
  caseAttention: (url) => ({
    subject: 'A case needs your attention',
    text: [
      'Hello,',
      'A case on the whistleblowing portal needs your attention.',
      `Log in to the portal to see it: ${url}`,
    ].join('\n\n'),
  }),
  deadline: (status, group, url) => {
    const what = group
      ? {
          reply: ' for replying to the reporter',
          review: ' for a review',
          forwarding: ' for forwarding a report',
        }[group]
      : ''
    return {
      subject: status === 'overdue' ? 'A deadline has passed' : 'A deadline is coming up',
      text: [
        'Hello,',
        status === 'overdue'
          ? `A deadline${what} in one of your cases has passed.`
          : `A deadline${what} in one of your cases is due soon.`,
        `Log in to the portal to see which case: ${url}`,
      ].join('\n\n'),
    }
  },
  digest: (c, url) => ({
    subject: 'Your daily summary',
    text: [
      'Hello, here is your summary for today:',
      [
        `New cases yesterday: ${c.newCases}`,
        `Cases with a deadline due soon: ${c.dueSoon}`,
        `Cases with a deadline passed: ${c.breached}`,
      ].join('\n'),
      `Log in to the portal to see them: ${url}`,
    ].join('\n\n'),
  }),
  invitation: (link, expiresOn, orgName) => ({
    subject: 'Invitation to the whistleblowing portal',
    text: [
      'Hello,',
      `You have been invited to set up a staff account on the whistleblowing portal${
        orgName ? ` of ${orgName}` : ''
      }.`,
      `Open this link to set up your account: ${link}` +
        (expiresOn ? `\nThe link works until the end of ${expiresOn}.` : ''),
      'If you did not expect this invitation, ignore this message.',
    ].join('\n\n'),
  }),
}

const TEXTS: Record<Language, Texts> = {
  uk: { ...uk, retention: ukRetention },
  en: { ...en, retention: enRetention },
}

// An organisation name is one short line of ordinary text (it lands inside a sentence).
const ORG_NAME = /^[^\r\n\t<>]{1,120}$/u
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Renders a template; throws MailTemplateError for an unknown template or bad parameters. */
export function renderMail(template: string, params: Params, lang: Language): RenderedMail {
  const t = TEXTS[lang]
  let mail: RenderedMail
  switch (template as MailTemplate) {
    case 'case-attention':
      mail = t.caseAttention(officerUrl(httpUrl(params, 'publicUrl')))
      break
    case 'deadline-reminder':
      mail = t.deadline(
        oneOf(params, 'status', REMINDER_STATUSES),
        optionalOneOf(params, 'clockGroup', CLOCK_GROUPS),
        officerUrl(httpUrl(params, 'publicUrl'))
      )
      break
    case 'daily-digest':
      mail = t.digest(
        {
          newCases: count(params, 'newCases'),
          dueSoon: count(params, 'dueSoon'),
          breached: count(params, 'breached'),
        },
        officerUrl(httpUrl(params, 'publicUrl'))
      )
      break
    case 'invitation':
      mail = t.invitation(
        httpUrl(params, 'inviteUrl'),
        optionalLine(params, 'expiresOn', ISO_DATE),
        optionalLine(params, 'orgName', ORG_NAME)
      )
      break
    case 'retention-warning':
      mail = t.retention(
        optionalLine(params, 'deleteOn', ISO_DATE) ?? required(params, 'deleteOn'),
        officerUrl(httpUrl(params, 'publicUrl'))
      )
      break
    default:
      throw new MailTemplateError(`unknown mail template "${template}"`)
  }
  return { subject: mail.subject, text: `${mail.text}\n\n-- \n${t.footer}\n` }
}
