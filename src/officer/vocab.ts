// Closed lists of the officer workspace. They are plain case metadata that management counts, so
// they never carry case content. (They belong next to the domain's lists in src/domain/vocab.ts;
// they live here until the domain owner moves them.)
import type { Channel } from '../domain/vocab'

/** What a report is about, chosen by the officer after reading it. */
export const CATEGORIES = [
  'corruption-offence',
  'corruption-related-offence',
  'conflict-of-interest',
  'procurement',
  'asset-declaration',
  'gifts',
  'restrictions-after-service',
  'retaliation',
  'ethics',
  'other',
] as const
export type Category = (typeof CATEGORIES)[number]

/** Whistleblower protection measures (plan item 16 in the seed). */
export const PROTECTION_MEASURE_KINDS = [
  'confidentiality',
  'legal-aid',
  'psychological-aid',
  'transfer-prevented',
  'dismissal-prevented',
  'disciplinary-against-retaliator',
  'referral-to-nazk',
  'other',
] as const
export type ProtectionMeasureKind = (typeof PROTECTION_MEASURE_KINDS)[number]

export const MEASURE_OUTCOMES = ['pending', 'effective', 'not-effective', 'not-needed'] as const
export type MeasureOutcome = (typeof MEASURE_OUTCOMES)[number]

/** Channels an officer registers by hand; web reports come in through the reporter's form. */
export const INTAKE_CHANNELS = [
  'phone',
  'mailbox',
  'in-person',
  'email',
  'nazk-portal',
  'referral',
] as const satisfies readonly Channel[]
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number]

export const MAX_TAGS = 10
export const MAX_TAG_LENGTH = 40

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value)
}
