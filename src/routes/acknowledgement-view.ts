// The acknowledgement and the expected dates as the templates show them: Kyiv calendar dates in
// the page's language (views/partials/acknowledgement.eta, views/partials/status-dates.eta).
import type { Language } from '../config'
import { KYIV_TIME_ZONE, localDate } from '../domain/calendar'
import type { Dictionary } from '../i18n'
import type { Acknowledgement } from '../report/api'

export interface AckView {
  receivedIso: string
  receivedText: string
  registrationNo?: string | undefined
  rows: { kind: string; label: string; iso: string; text: string; met: boolean }[]
}

export function ackView(t: Dictionary, lang: Language, ack: Acknowledgement): AckView {
  const day = new Intl.DateTimeFormat(lang === 'uk' ? 'uk-UA' : 'en-GB', {
    dateStyle: 'long',
    timeZone: KYIV_TIME_ZONE,
  })
  const strings = t.reporter.ack
  const received = new Date(ack.receivedAt)
  return {
    receivedIso: localDate(received),
    receivedText: day.format(received),
    registrationNo: ack.registrationNo,
    rows: ack.expected.map((e) => {
      const at = new Date(e.metAt ?? e.dueAt)
      return {
        kind: e.kind,
        label: strings.expected[e.kind],
        iso: localDate(at),
        text: (e.metAt ? strings.metOn : strings.dueBy).replace('{date}', day.format(at)),
        met: e.metAt !== undefined,
      }
    }),
  }
}
