import type { Dictionary } from './uk'

export const retentionEn: Dictionary['retention'] = {
  title: 'Retention',
  kept: 'The case is kept without a time limit (no term is set for its state).',
  scheduled: 'To be deleted on {date}',
  soon: 'To be deleted soon: {date}',
  due: 'The retention period is over: the case is deleted at the next run.',
  held: 'Legal hold',
  heldSince: 'Set on {date}. Reason: {reason}',
  explain:
    'Deletion removes the content, attachments, messages and access; the statistics keep the case as an anonymous row, so past years’ reports do not change.',
  reason: 'Reason (no case content)',
  setHold: 'Place a legal hold',
  clearHold: 'Lift the legal hold',
  holdSet: 'Legal hold placed.',
  holdCleared: 'Legal hold lifted.',
  errors: {
    'bad-reason': 'Give a reason of 1 to 200 characters.',
    purging: 'The case is being deleted under its retention term; a hold can no longer be placed.',
    'no-hold': 'The case has no legal hold.',
  },
}
