// The annual report's two variants (section `reportVariant`); see report-variant-uk.ts.
import type { reportVariantUk } from './report-variant-uk'

export const reportVariantEn: typeof reportVariantUk = {
  choice: 'Report version',
  page: 'printable page',
  internal: 'for internal use',
  public: 'for publication',
  internalHint: 'The year’s totals are exact. Not for publication.',
  publicHint:
    'For the council’s website: small counts that could point at a person are hidden. These files may be published.',
  label: {
    internal: 'FOR INTERNAL USE',
    public: 'PUBLIC VERSION',
  },
  publicNote:
    'Public version: counts from 1 to {below} are shown as “fewer than {k}” (“< {k}” in tables) in breakdowns finer than the year (quarters, channels, anonymity, bodies reports were referred to, plan measures), in the number of internal investigations and their outcomes and in the number of whistleblower protection measures, so that no figure points at a person. Where a hidden count could be worked out from the other count of a pair and the total, the other count is hidden too.',
  publicNoteOff: 'Public version; hiding small counts is switched off (STATS_SMALL_COUNT=0).',
  fewerThan: 'fewer than {k}',
  fewerThanForm: 'other',
  withheld: 'withheld',
}
