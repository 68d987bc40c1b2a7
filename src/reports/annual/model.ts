// The annual plan-implementation report as plain data (pure): the plan table in the seed's layout
// (№, measure, deadline, responsible, what was done), each covered measure's account followed by
// the system's figures as sentences, a summary of the year against the one before, and quarters.
// Every renderer (HTML, DOCX, CSV, JSON) draws this model and nothing else.
import type { Language } from '../../config'
import { suppressSmallCounts, type AnnualFigures, type Shown } from '../../domain/stats'
import { REFERRAL_BODIES, type ReferralBody } from '../../domain/vocab'
import type { Dictionary } from '../../i18n'
import { fill } from '../../officer/format'
import type { PlanItem } from '../../store/types'
import type { YearReport } from '../statistics'

export interface AnnualReportRow {
  id: string
  number: string
  measure: string
  deadline: string
  responsible: string
  /** The plan's own account of what was done, as imported. */
  done: string
  /** The system's figures for this measure, one sentence each ([] for measures without case work). */
  figures: string[]
}

export interface SummaryLine {
  label: string
  value: string
  previous: string
}

export interface AnnualReportModel {
  year: number
  lang: Language
  title: string
  columns: [string, string, string, string, string]
  rows: AnnualReportRow[]
  summaryTitle: string
  summary: SummaryLine[]
  quartersTitle: string
  quarters: { label: string; received: Shown }[]
  notes: string[]
  /** Kyiv local date the report was drawn up. */
  generatedOn: string
}

type Nouns = Dictionary['annual']['nouns']

/** "{n} {reports}" with the noun in the plural form `n` asks for (Intl.PluralRules). */
export function fillCounted(
  template: string,
  lang: Language,
  nouns: Nouns,
  values: Record<string, number | string>
): string {
  const rules = new Intl.PluralRules(lang)
  // A suppressed "< 5" reads like a number above four: "< 5 повідомлень".
  const n = values.n
  const count = typeof n === 'number' ? n : typeof n === 'string' && n.startsWith('<') ? 5 : 0
  const form = rules.select(count) as keyof Nouns['reports']
  const words: Record<string, string> = {
    reports: nouns.reports[form],
    investigations: nouns.investigations[form],
    measures: nouns.measures[form],
  }
  return template.replace(/\{(\w+)\}/g, (m: string, key: string) => {
    if (Object.hasOwn(values, key)) return String(values[key])
    return words[key] ?? m
  })
}

/** The sentences for a measure covering some case work, from the year's exact totals. */
function figureSentences(
  item: PlanItem,
  f: AnnualFigures,
  linked: Shown | undefined,
  lang: Language,
  t: Dictionary['annual'],
  bodies: Record<ReferralBody, string>
): string[] {
  const say = (template: string, values: Record<string, number | string>) =>
    fillCounted(template, lang, t.nouns, values)
  const out: string[] = []
  if (item.covers.includes('receiving-reports')) {
    out.push(
      say(t.received, {
        year: String(f.year),
        n: f.received,
        web: f.receivedByChannel.web + f.receivedByChannel['web-nojs'],
        anonymous: f.anonymous,
      }),
      say(t.reviewed, { n: f.preliminaryReviewsDone, onTime: f.preliminaryReviewsOnTime }),
      say(t.referred, { n: f.referred })
    )
    const to = REFERRAL_BODIES.filter((b) => f.referredTo[b] > 0)
    if (to.length > 0) {
      const list = to.map((b) => `${bodies[b]} — ${f.referredTo[b]}`).join(', ')
      out.push(say(t.referredTo, { list }))
    }
  }
  if (item.covers.includes('investigations')) {
    out.push(
      say(t.investigations, {
        n: f.investigationsOpened,
        extended: f.investigationsExtended,
        closed: f.investigationsClosed.confirmed + f.investigationsClosed['not-confirmed'],
        confirmed: f.investigationsClosed.confirmed,
      })
    )
  }
  if (item.covers.includes('protection')) {
    out.push(say(t.protection, { n: f.protection.requested, applied: f.protection.applied }))
  }
  if (linked !== undefined) out.push(say(t.linked, { n: linked }))
  if (out.length === 0) return out
  // The list reads as one sentence: the last item ends with a full stop.
  const last = out.length - 1
  out[last] = out[last]!.replace(/;$/, '.')
  return [t.figuresFrom, ...out]
}

export interface AnnualReportInput {
  year: number
  lang: Language
  dict: Dictionary
  orgName: string
  plan: readonly PlanItem[]
  stats: YearReport
  /** Small-count threshold for breakdowns finer than the year (0: off). */
  smallCount: number
  generatedOn: string
}

export function buildAnnualReport(input: AnnualReportInput): AnnualReportModel {
  const { year, lang, dict, stats, smallCount } = input
  const t = dict.annual
  const m = dict.management
  const f = stats.current.year
  const p = stats.previous
  const share = (part: number, whole: number) =>
    whole > 0
      ? `${fill(m.shareOf, { part, whole })} (${Math.round((part / whole) * 100)} %)`
      : m.none
  const spread = (s: AnnualFigures['daysToClose']) =>
    s.median === null ? m.none : `${s.median} / ${s.p90}`
  const line = (label: string, value: (x: AnnualFigures) => string | number): SummaryLine => ({
    label,
    value: String(value(f)),
    previous: String(value(p)),
  })
  return {
    year,
    lang,
    title: fill(t.title, { org: input.orgName, year }),
    columns: [
      t.columns.number,
      t.columns.measure,
      t.columns.deadline,
      t.columns.responsible,
      t.columns.done,
    ],
    rows: input.plan.map((item) => {
      const n = stats.linked[item.id]
      // Cases per measure are a breakdown finer than the year: small counts are hidden.
      const linked = n === undefined ? undefined : suppressSmallCounts(n, smallCount)
      return {
        id: item.id,
        number: item.number,
        measure: item.measure,
        deadline: item.deadlineText,
        responsible: item.responsible,
        done: item.doneText,
        figures: figureSentences(item, f, linked, lang, t, dict.officer.referralBodies),
      }
    }),
    summaryTitle: fill(t.summary, { year }),
    summary: [
      line(m.received, (x) => x.received),
      line(t.viaWebsite, (x) => x.receivedByChannel.web + x.receivedByChannel['web-nojs']),
      line(m.anonymous, (x) => x.anonymous),
      line(m.confidential, (x) => x.confidential),
      line(m.acknowledgedOnTime, (x) => share(x.acknowledgedOnTime, x.acknowledged)),
      line(m.reviewsDone, (x) => x.preliminaryReviewsDone),
      line(m.reviewsOnTime, (x) => share(x.preliminaryReviewsOnTime, x.preliminaryReviewsDone)),
      line(m.referred, (x) => x.referred),
      line(m.investigations, (x) => x.investigationsOpened),
      line(m.investigationsExtended, (x) => x.investigationsExtended),
      line(
        m.investigationsClosed,
        (x) => `${x.investigationsClosed.confirmed} / ${x.investigationsClosed['not-confirmed']}`
      ),
      line(m.protectionRequested, (x) => x.protection.requested),
      line(m.protectionApplied, (x) => x.protection.applied),
      line(m.onTime, (x) => share(x.deadlines.metOnTime, x.deadlines.counted)),
      line(m.daysToAcknowledge, (x) => spread(x.daysToAcknowledge)),
      line(m.daysToClose, (x) => spread(x.daysToClose)),
    ],
    quartersTitle: t.quarters,
    quarters: stats.current.quarters.map((q, i) => ({
      label: fill(m.quarter, { q: i + 1 }),
      received: suppressSmallCounts(q.received, smallCount),
    })),
    notes: [
      ...(smallCount > 0 ? [fill(t.smallNote, { k: smallCount })] : []),
      fill(t.generated, { date: input.generatedOn }),
    ],
    generatedOn: input.generatedOn,
  }
}
