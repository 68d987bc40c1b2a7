// Dates, deadlines and small templates in the officer pages' words. Everything is shown in the
// council's time zone (Kyiv), whatever the server's or the officer's own.
import { KYIV_TIME_ZONE } from '../domain/calendar'
import type { DueSummary } from '../domain/deadlines'
import type { Language } from '../config'
import type { Dictionary } from '../i18n'

const locale = (lang: Language) => (lang === 'en' ? 'en-GB' : 'uk-UA')

/** '{n} days overdue' with n = 2 → '2 days overdue'. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m: string, key: string) =>
    Object.hasOwn(values, key) ? String(values[key]) : m
  )
}

// Making an Intl.DateTimeFormat costs far more than formatting with one (the journal of a busy
// year formats hundreds of thousands of dates): each is made once per language and kept.
const formats = new Map<string, Intl.DateTimeFormat>()
function format(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formats.get(key)
  if (!f) formats.set(key, (f = make()))
  return f
}

export function dateText(d: Date, lang: Language): string {
  return format(
    `date-${lang}`,
    () =>
      new Intl.DateTimeFormat(locale(lang), {
        dateStyle: 'medium',
        timeZone: KYIV_TIME_ZONE,
      })
  ).format(d)
}

export function dateTimeText(d: Date, lang: Language): string {
  return format(
    `datetime-${lang}`,
    () =>
      new Intl.DateTimeFormat(locale(lang), {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: KYIV_TIME_ZONE,
      })
  ).format(d)
}

/** 'YYYY-MM-DDTHH:MM' in Kyiv time, for <input type="datetime-local">. */
export function kyivInputValue(d: Date): string {
  const parts = format(
    'input',
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: KYIV_TIME_ZONE,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
  ).formatToParts(d)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00'
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`
}

export type DueTone = 'none' | 'ok' | 'soon' | 'overdue'

/** "due in 3 days" / "2 days overdue", with a tone the stylesheet colours (and words, not colour alone). */
export function dueText(
  due: DueSummary | null,
  t: Dictionary['officer']
): { text: string; tone: DueTone; kind?: string } {
  if (!due) return { text: t.due.none, tone: 'none' }
  const kind = (t.clocks as Record<string, string>)[due.kind] ?? due.kind
  if (due.status === 'breached') {
    const n = -due.daysLeft
    return {
      text: n <= 0 ? t.due.overdueToday : fill(t.due.overdueDays, { n }),
      tone: 'overdue',
      kind,
    }
  }
  if (due.daysLeft <= 0) return { text: t.due.today, tone: 'soon', kind }
  return {
    text: fill(t.due.inDays, { n: due.daysLeft }),
    tone: due.daysLeft <= 2 ? 'soon' : 'ok',
    kind,
  }
}
