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

/**
 * Who the report is for. `internal`: management's copy, the year's totals exact. `public`: the
 * copy a council publishes, with small counts that could point at a person hidden (README,
 * "Annual report"): breakdowns finer than the year, investigations and protection measures.
 */
export const REPORT_VARIANTS = ['internal', 'public'] as const
export type ReportVariant = (typeof REPORT_VARIANTS)[number]

export interface AnnualReportModel {
  year: number
  lang: Language
  variant: ReportVariant
  /** The variant as the document states it, under the title ("ВЕРСІЯ ДЛЯ ОПРИЛЮДНЕННЯ"). */
  variantLabel: string
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

/** How a suppressed count reads in a sentence: "менше {k}", and the noun's form after it. */
export interface FewerThan {
  text: string
  form: keyof Nouns['reports']
}

const SUPPRESSED = /^< (\d+)$/

/**
 * "{n} {reports}" with the noun in the plural form `n` asks for (Intl.PluralRules). A suppressed
 * count ("< 5") reads as `fewer` says ("менше 5 повідомлень") when given.
 */
export function fillCounted(
  template: string,
  lang: Language,
  nouns: Nouns,
  values: Record<string, number | string>,
  fewer?: FewerThan
): string {
  const rules = new Intl.PluralRules(lang)
  const n = values.n
  const suppressed = typeof n === 'string' ? SUPPRESSED.exec(n) : null
  // Without `fewer`, "< 5" reads like a number above four: "< 5 повідомлень".
  const form: keyof Nouns['reports'] = suppressed
    ? (fewer?.form ?? (rules.select(5) as keyof Nouns['reports']))
    : (rules.select(typeof n === 'number' ? n : 0) as keyof Nouns['reports'])
  const shown = (v: number | string) => {
    const k = typeof v === 'string' && fewer ? SUPPRESSED.exec(v)?.[1] : undefined
    return k === undefined ? String(v) : fill(fewer!.text, { k })
  }
  const words: Record<string, string> = {
    reports: nouns.reports[form],
    investigations: nouns.investigations[form],
    measures: nouns.measures[form],
  }
  return template.replace(/\{(\w+)\}/g, (m: string, key: string) => {
    if (Object.hasOwn(values, key)) return shown(values[key]!)
    return words[key] ?? m
  })
}

/**
 * A count as the report shows it: exact, "< 5" where it is hidden, or withheld where it would
 * give a hidden one away (the pair rule below).
 */
export type Figure = Shown | 'withheld'

/** The year's figures as a variant shows them. */
interface ShownFigures {
  received: Shown
  web: Figure
  anonymous: Figure
  confidential: Figure
  reviewed: Shown
  reviewedOnTime: Figure
  referred: Shown
  referredTo: Record<ReferralBody, Figure>
  investigations: Shown
  extended: Figure
  closed: Figure
  confirmed: Figure
  notConfirmed: Figure
  protectionRequested: Shown
  protectionApplied: Figure
}

/**
 * The variant's rule, in one place. Internal: every year total exact. Public: a count from 1 to
 * k−1 is hidden where it could point at a person: the year split by channel, anonymity or body,
 * investigations and their outcomes, protection measures. What the council did (received,
 * reviewed, referred, on time) stays exact. When one count of a split of a shown total is
 * hidden, the split's other counts are withheld, or subtraction would give the first away.
 */
function shownFigures(f: AnnualFigures, variant: ReportVariant, k: number): ShownFigures {
  const hide = (n: number): Shown => (variant === 'public' ? suppressSmallCounts(n, k) : n)
  // A split of a shown total: once one part is hidden, the others are withheld (zero stays 0).
  const split = (parts: number[]): Figure[] => {
    const shown = parts.map(hide)
    if (!shown.some((x) => typeof x === 'string')) return shown
    return shown.map((x) => (typeof x === 'number' && x > 0 ? 'withheld' : x))
  }
  const [anonymous, confidential] = split([f.anonymous, f.confidential]) as [Figure, Figure]
  const web = f.receivedByChannel.web + f.receivedByChannel['web-nojs']
  const [confirmed, notConfirmed] = split([
    f.investigationsClosed.confirmed,
    f.investigationsClosed['not-confirmed'],
  ]) as [Figure, Figure]
  const bodies = split(REFERRAL_BODIES.map((b) => f.referredTo[b]))
  return {
    received: f.received,
    web: split([web, f.received - web])[0]!,
    anonymous,
    confidential,
    reviewed: f.preliminaryReviewsDone,
    reviewedOnTime: f.preliminaryReviewsOnTime,
    referred: f.referred,
    referredTo: Object.fromEntries(REFERRAL_BODIES.map((b, i) => [b, bodies[i]!])) as Record<
      ReferralBody,
      Figure
    >,
    investigations: hide(f.investigationsOpened),
    extended: hide(f.investigationsExtended),
    closed: hide(f.investigationsClosed.confirmed + f.investigationsClosed['not-confirmed']),
    confirmed,
    notConfirmed,
    protectionRequested: hide(f.protection.requested),
    protectionApplied: hide(f.protection.applied),
  }
}

/** The sentences for a measure covering some case work, from the year's figures as shown. */
function figureSentences(
  item: PlanItem,
  year: number,
  f: ShownFigures,
  linked: Shown | undefined,
  say: (template: string, values: Record<string, number | string>) => string,
  t: Dictionary['annual'],
  bodies: Record<ReferralBody, string>,
  text: (v: Figure) => string
): string[] {
  const out: string[] = []
  if (item.covers.includes('receiving-reports')) {
    out.push(
      say(t.received, {
        year: String(year),
        n: f.received,
        web: text(f.web),
        anonymous: text(f.anonymous),
      }),
      say(t.reviewed, { n: f.reviewed, onTime: f.reviewedOnTime }),
      say(t.referred, { n: f.referred })
    )
    const to = REFERRAL_BODIES.filter((b) => f.referredTo[b] !== 0)
    if (to.length > 0) {
      const list = to.map((b) => `${bodies[b]} — ${text(f.referredTo[b])}`).join(', ')
      out.push(say(t.referredTo, { list }))
    }
  }
  if (item.covers.includes('investigations')) {
    out.push(
      say(t.investigations, {
        n: f.investigations,
        extended: text(f.extended),
        closed: text(f.closed),
        confirmed: text(f.confirmed),
      })
    )
  }
  if (item.covers.includes('protection')) {
    out.push(say(t.protection, { n: f.protectionRequested, applied: text(f.protectionApplied) }))
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
  variant: ReportVariant
  generatedOn: string
}

export function buildAnnualReport(input: AnnualReportInput): AnnualReportModel {
  const { year, lang, dict, stats, smallCount, variant } = input
  const t = dict.annual
  const m = dict.management
  const v = dict.reportVariant
  const f = stats.current.year
  const p = stats.previous
  const sf = shownFigures(f, variant, smallCount)
  const sp = shownFigures(p, variant, smallCount)
  // Dictionaries are widened to strings (i18n/uk.ts): the form is checked against the nouns'.
  const form = Object.hasOwn(t.nouns.reports, v.fewerThanForm)
    ? (v.fewerThanForm as FewerThan['form'])
    : 'other'
  const fewer: FewerThan = { text: v.fewerThan, form }
  const say = (template: string, values: Record<string, number | string>) =>
    fillCounted(template, lang, t.nouns, values, fewer)
  // In a sentence a hidden count reads "менше 5"; in a table cell "< 5", as the note says.
  const sentence = (x: Figure) =>
    x === 'withheld'
      ? v.withheld
      : typeof x === 'number'
        ? String(x)
        : fill(v.fewerThan, { k: x.slice(2) })
  const cell = (x: Figure) => (x === 'withheld' ? v.withheld : String(x))
  const shownLine = (label: string, value: (x: ShownFigures) => string): SummaryLine => ({
    label,
    value: value(sf),
    previous: value(sp),
  })
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
    variant,
    variantLabel: v.label[variant],
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
        figures: figureSentences(
          item,
          year,
          sf,
          linked,
          say,
          t,
          dict.officer.referralBodies,
          sentence
        ),
      }
    }),
    summaryTitle: fill(t.summary, { year }),
    summary: [
      line(m.received, (x) => x.received),
      shownLine(t.viaWebsite, (x) => cell(x.web)),
      shownLine(m.anonymous, (x) => cell(x.anonymous)),
      shownLine(m.confidential, (x) => cell(x.confidential)),
      line(m.acknowledgedOnTime, (x) => share(x.acknowledgedOnTime, x.acknowledged)),
      line(m.reviewsDone, (x) => x.preliminaryReviewsDone),
      line(m.reviewsOnTime, (x) => share(x.preliminaryReviewsOnTime, x.preliminaryReviewsDone)),
      line(m.referred, (x) => x.referred),
      shownLine(m.investigations, (x) => cell(x.investigations)),
      shownLine(m.investigationsExtended, (x) => cell(x.extended)),
      shownLine(m.investigationsClosed, (x) => `${cell(x.confirmed)} / ${cell(x.notConfirmed)}`),
      shownLine(m.protectionRequested, (x) => cell(x.protectionRequested)),
      shownLine(m.protectionApplied, (x) => cell(x.protectionApplied)),
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
      ...(variant === 'public'
        ? [
            smallCount > 0
              ? fill(v.publicNote, { k: smallCount, below: smallCount - 1 })
              : v.publicNoteOff,
          ]
        : smallCount > 0
          ? [fill(t.smallNote, { k: smallCount })]
          : []),
      fill(t.generated, { date: input.generatedOn }),
    ],
    generatedOn: input.generatedOn,
  }
}
