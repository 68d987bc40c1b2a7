// The printable acknowledgement after a report sent with JavaScript: the same section, classes
// and strings as views/partials/acknowledgement.eta, from the dates the server returned with the
// submission (the case's own clocks). The receipt copy prints only when its box is ticked
// (print rules in static/css/app.css); printing is the browser's own window.print().
import { reporterEn } from '../i18n/reporter-en'
import { reporterUk } from '../i18n/reporter-uk'
import type { Acknowledgement } from '../report/api'

import { h } from './dom'
import type { Lang } from './i18n'

export function ackStrings(lang: Lang): typeof reporterUk {
  return lang === 'en' ? reporterEn : reporterUk
}

/** A Kyiv calendar date in the page's language, as the server's pages show it. */
export function kyivDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'uk' ? 'uk-UA' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Kyiv',
  }).format(new Date(iso))
}

/** Date received, registration number and expected dates as <dt>/<dd> pairs (/status too). */
export function ackDateRows(ack: Acknowledgement, lang: Lang, onStatusPage = false): HTMLElement[] {
  const r = ackStrings(lang)
  const rows: HTMLElement[] = [
    h('dt', {}, r.ack.received),
    h('dd', {}, kyivDate(ack.receivedAt, lang)),
  ]
  rows.push(
    h('dt', {}, r.ack.registration),
    h(
      'dd',
      { class: 'ack-registration' },
      ack.registrationNo ?? r.ack.registrationPending,
      ack.registrationNo || onStatusPage
        ? null
        : h('span', { class: 'hint' }, ` ${r.ack.registrationLater}`)
    )
  )
  for (const e of ack.expected) {
    const date = kyivDate(e.metAt ?? e.dueAt, lang)
    const text = (e.metAt ? r.ack.metOn : r.ack.dueBy).replace('{date}', date)
    rows.push(
      h('dt', {}, r.ack.expected[e.kind]),
      h('dd', { 'data-kind': e.kind, class: e.metAt ? 'ok' : undefined }, text)
    )
  }
  return rows
}

export interface AckOptions {
  lang: Lang
  orgName: string
  statusUrl: string
  fingerprint: string | undefined
  /** The receipt as shown on screen; a copy goes in, printed only when the box is ticked. */
  receipt: HTMLElement
}

export function acknowledgementSection(ack: Acknowledgement, o: AckOptions): HTMLElement {
  const a = ackStrings(o.lang).ack
  const facts = ackDateRows(ack, o.lang)
  const include = h('input', {
    type: 'checkbox',
    id: 'ack-include-receipt',
    'aria-describedby': 'ack-include-receipt-hint',
  })
  const print = h('button', { type: 'button', class: 'primary', 'data-print': true }, a.print)
  print.addEventListener('click', () => window.print())
  const copy = o.receipt.cloneNode(true) as HTMLElement
  copy.removeAttribute('id')
  return h(
    'section',
    { class: 'ack', id: 'acknowledgement', 'aria-labelledby': 'ack-title' },
    h('h2', { id: 'ack-title', class: 'ack-title' }, a.title),
    h('p', { class: 'ack-org' }, o.orgName),
    h('p', { class: 'hint ack-screen-only' }, a.intro),
    h('dl', { class: 'ack-facts' }, ...facts.slice(0, 4)),
    h('h3', {}, a.expectedTitle),
    h('dl', { class: 'ack-dates' }, ...facts.slice(4)),
    h('p', { class: 'hint' }, a.datesNote),
    h('h3', {}, a.nextTitle),
    h('ol', { class: 'ack-next' }, ...a.next.map((line) => h('li', {}, line))),
    h(
      'p',
      { class: 'ack-status-url' },
      `${a.statusLink} `,
      h('a', { href: o.statusUrl }, o.statusUrl)
    ),
    o.fingerprint
      ? h(
          'p',
          { class: 'ack-fingerprint' },
          `${a.fingerprint} `,
          h('code', { translate: 'no' }, o.fingerprint)
        )
      : null,
    h('div', { class: 'ack-receipt' }, h('h3', {}, a.receipt), copy),
    h(
      'div',
      { class: 'choice ack-controls' },
      include,
      h('label', { for: include.id }, a.includeReceipt),
      h('p', { class: 'hint', id: 'ack-include-receipt-hint' }, a.includeReceiptHint)
    ),
    h('div', { class: 'ack-controls' }, h('p', { class: 'actions' }, print))
  )
}

/** Progressive enhancement of the server pages: print buttons and links print this page. */
export function enhancePrintControls(doc: Document = document): void {
  for (const el of doc.querySelectorAll<HTMLElement>('[data-print]')) {
    if (el.dataset.printReady) continue
    el.dataset.printReady = '1'
    el.hidden = false
    el.addEventListener('click', (e) => {
      e.preventDefault()
      window.print()
    })
  }
}
