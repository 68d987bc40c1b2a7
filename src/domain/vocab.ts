// Closed sets shared by the domain, the store and the routes.

export const CASE_STATES = [
  'received',
  'preliminary-review',
  'investigation',
  'referred',
  'closed',
] as const
export type CaseState = (typeof CASE_STATES)[number]

export const CHANNELS = [
  'web',
  'web-nojs',
  'nazk-portal',
  'phone',
  'mailbox',
  'in-person',
  'email',
  'referral',
] as const
export type Channel = (typeof CHANNELS)[number]

export const OUTCOMES = [
  'confirmed',
  'not-confirmed',
  'left-without-consideration',
  'not-competent',
  'referred',
  'spam',
] as const
export type Outcome = (typeof OUTCOMES)[number]

/** Where a report is sent on when it is another body's to investigate (Law 1700-VII, art. 53-5). */
export const REFERRAL_BODIES = ['nazk', 'nabu', 'national-police', 'prosecutor', 'other'] as const
export type ReferralBody = (typeof REFERRAL_BODIES)[number]

export const ANONYMITY = ['anonymous', 'confidential'] as const
export type Anonymity = (typeof ANONYMITY)[number]

/** Where the sealing happened: in the reporter's/officer's browser, or in server memory (no-JS path). */
export const ENC_MODES = ['client', 'server'] as const
export type EncMode = (typeof ENC_MODES)[number]

export const ROLES = ['admin', 'officer', 'management'] as const
export type Role = (typeof ROLES)[number]

export const ITEM_KINDS = ['answers', 'message', 'note', 'attachment'] as const
export type ItemKind = (typeof ITEM_KINDS)[number]

export const AUTHOR_ROLES = ['reporter', 'officer', 'system'] as const
export type AuthorRole = (typeof AUTHOR_ROLES)[number]

export const GRANTEE_KINDS = ['officer', 'reporter', 'recovery'] as const
export type GranteeKind = (typeof GRANTEE_KINDS)[number]

/** Officer actions on a case; the transition table in lifecycle.ts says which apply in which state. */
export const LIFECYCLE_ACTIONS = [
  'acknowledge',
  'open-investigation',
  'refer',
  'concerns-head',
  'not-competent',
  'no-verifiable-facts',
  'close',
  'mark-spam',
  'inform-reporter',
  'request-extension',
  'approve-extension',
  'reject-extension',
] as const
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number]

/** Deadline clocks a case can carry (rules in deadlines.ts). */
export const CLOCK_KINDS = [
  'acknowledge',
  'preliminary-review',
  'inform-preliminary-result',
  'refer',
  'forward-head',
  'investigation',
  'feedback',
] as const
export type ClockKind = (typeof CLOCK_KINDS)[number]

// Officer-chosen case metadata. Management counts these, so they never carry case content.

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

/** The kinds of case work a plan item can cover; the annual report adds the system's figures for them. */
export const CASE_WORK_KINDS = ['receiving-reports', 'protection', 'investigations'] as const
export type CaseWorkKind = (typeof CASE_WORK_KINDS)[number]

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
