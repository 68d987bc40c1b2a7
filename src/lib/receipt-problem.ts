// "Enter all 8 words; you entered 7": the message for a receipt of the wrong shape, for the
// no-JS /status page (src/routes/status.ts) and its script (src/browser/status.entry.ts) alike.
import type { ReceiptProblem } from '../../crypto/receipt'
import type { reporterUk } from '../i18n/reporter-uk'

export function describeReceiptProblem(
  m: (typeof reporterUk)['receiptProblems'],
  p: ReceiptProblem
): string {
  switch (p.problem) {
    case 'empty':
      return m.empty
    case 'word-count':
      return m.wordCount.replace('{n}', String(p.count))
    case 'digit-count':
      return m.digitCount.replace('{n}', String(p.count))
    case 'unknown-words':
      return m.unknownWords.replace('{positions}', p.positions.join(', '))
  }
}
