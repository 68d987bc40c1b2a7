// The annual report service: gathers the plan and the year's statistics, builds the model and
// renders it in the format asked for. The web routes and `portal report:annual` both call this.
import { orgNameIn } from '../../branding/service'
import type { Config, Language } from '../../config'
import { localDate } from '../../domain/calendar'
import { dictionaries } from '../../i18n'
import type { Store } from '../../store/types'
import type { StatisticsService } from '../statistics'
import { renderAnnualCsv } from './csv'
import { renderAnnualDocx } from './docx'
import { renderAnnualHtml, type HtmlOptions } from './html'
import { buildAnnualReport, type AnnualReportModel, type ReportVariant } from './model'

export const ANNUAL_FORMATS = ['html', 'docx', 'csv', 'json'] as const
export type AnnualFormat = (typeof ANNUAL_FORMATS)[number]

const CONTENT_TYPES: Record<AnnualFormat, string> = {
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
}

export interface RenderedReport {
  body: string | Uint8Array
  contentType: string
  filename: string
}

export interface AnnualReportService {
  /** `variant`: management's internal copy (the default) or the one for publication. */
  build(year: number, lang: Language, variant?: ReportVariant): Promise<AnnualReportModel>
  render(
    model: AnnualReportModel,
    format: AnnualFormat,
    web?: Pick<HtmlOptions, 'tools' | 'stylesheetHref'>
  ): Promise<RenderedReport>
}

export function createAnnualReportService(deps: {
  config: Pick<Config, 'orgName' | 'statsSmallCount' | 'defaultLanguage'>
  store: Pick<Store, 'plan' | 'org'>
  clock: { now(): Date }
  statistics: StatisticsService
}): AnnualReportService {
  const { config, store, clock, statistics } = deps
  return {
    async build(year, lang, variant = 'internal') {
      const [plan, stats, profile] = await Promise.all([
        store.plan.listYear(year),
        statistics.forYear(year),
        store.org.get(),
      ])
      return buildAnnualReport({
        year,
        lang,
        dict: dictionaries[lang],
        // The name the admin gave for the report's language (src/branding), else ORG_NAME.
        orgName: orgNameIn(profile, lang, config),
        plan,
        stats,
        smallCount: config.statsSmallCount,
        variant,
        generatedOn: localDate(clock.now()),
      })
    },

    async render(model, format, web) {
      const m = dictionaries[model.lang].management
      const labels = {
        figure: m.figure,
        year: String(model.year),
        previous: m.previousYear.replace('{year}', String(model.year - 1)),
      }
      const filename = `annual-report-${model.year}${model.variant === 'public' ? '-public' : ''}.${format}`
      const body =
        format === 'docx'
          ? await renderAnnualDocx(model, labels)
          : format === 'csv'
            ? renderAnnualCsv(model, dictionaries[model.lang].annual.figuresColumn)
            : format === 'json'
              ? `${JSON.stringify(model, null, 2)}\n`
              : renderAnnualHtml(model, { labels, ...web })
      return { body, contentType: CONTENT_TYPES[format], filename }
    },
  }
}
