// How `portal demo` takes a sample report to its state: as an officer would, through the
// officer's case service (src/officer/cases.ts), so each case gets its registration number, its
// audit trail of transitions and its clocks met or running, exactly as a real case does.
import type { CaseState, LifecycleAction, Outcome, ReferralBody } from '../domain/vocab'
import type { OfficerCases } from '../officer/cases'
import type { StaffContext } from '../staff/types'

export interface SampleCase {
  monthsAgo: number
  state: CaseState
  outcome?: Outcome
  referral?: { body: ReferralBody; name?: string }
  text: string
}

interface Step {
  action: LifecycleAction | 'register'
  /** Days after the report was received. */
  day: number
  outcome?: Outcome
}

/** The officer's steps from 'received' to the sample's state (and outcome). */
export function stepsTo(sample: SampleCase): Step[] {
  const start: Step[] = [
    { action: 'register', day: 0 },
    { action: 'acknowledge', day: 1 },
  ]
  switch (sample.state) {
    case 'received':
      return []
    case 'preliminary-review':
      return start
    case 'investigation':
      return [...start, { action: 'open-investigation', day: 8 }]
    case 'referred':
      return [...start, { action: 'refer', day: 6 }, { action: 'inform-reporter', day: 9 }]
    case 'closed':
      switch (sample.outcome) {
        case 'spam':
          return [{ action: 'mark-spam', day: 1 }]
        case 'not-competent':
          return [
            ...start,
            { action: 'not-competent', day: 5 },
            { action: 'inform-reporter', day: 7 },
          ]
        case 'left-without-consideration':
          return [
            ...start,
            { action: 'no-verifiable-facts', day: 5 },
            { action: 'inform-reporter', day: 7 },
          ]
        case 'referred':
          return [...start, { action: 'refer', day: 6 }, { action: 'close', day: 20 }]
        default:
          return [
            ...start,
            { action: 'open-investigation', day: 8 },
            { action: 'inform-reporter', day: 12 },
            { action: 'close', day: 40, outcome: sample.outcome ?? 'confirmed' },
            { action: 'inform-reporter', day: 42 },
          ]
      }
  }
}

/**
 * Walks one case through its steps, moving the demo's clock to each step's day (never past
 * `latest`, the real time of the run). Throws on a refusal: the samples are ours, so a refusal
 * is a bug in them or in the lifecycle.
 */
export async function walkSample(d: {
  cases: OfficerCases
  officer: StaffContext
  caseId: string
  sample: SampleCase
  reasons: Partial<Record<string, string>>
  receivedAt: Date
  latest: Date
  setNow: (at: Date) => void
}): Promise<void> {
  for (const step of stepsTo(d.sample)) {
    const at = new Date(d.receivedAt.getTime() + step.day * 86_400_000 + 3_600_000)
    d.setNow(at < d.latest ? at : d.latest)
    const c = await d.cases.caseFor(d.officer.account.id, d.caseId)
    if (!c) throw new Error(`sample case ${d.caseId} is not the officer's`)
    const done =
      step.action === 'register'
        ? await d.cases.register(d.officer, d.caseId, c.version)
        : await d.cases.act(d.officer, d.caseId, {
            action: step.action,
            reason: d.reasons[step.action] ?? step.action,
            version: c.version,
            ...(step.outcome ? { outcome: step.outcome } : {}),
            ...(step.action === 'refer'
              ? {
                  referralBody: d.sample.referral?.body ?? 'nazk',
                  ...(d.sample.referral?.name ? { referralName: d.sample.referral.name } : {}),
                }
              : {}),
          })
    if (!done.ok) {
      throw new Error(`sample case: ${step.action} refused: ${JSON.stringify(done.error)}`)
    }
  }
}
