import type { reporterUk } from './reporter-uk'

export const reporterEn: typeof reporterUk = {
  ack: {
    title: 'Acknowledgement of your report',
    intro:
      'Save or print this page: it has the date you reported and the dates by which you should hear back. Your receipt is not on it unless you add it.',
    received: 'Date submitted',
    registration: 'Registration number',
    registrationPending: 'not assigned yet',
    registrationLater:
      'The officer will register the report, and the number will appear on the status page.',
    expectedTitle: 'When to expect an answer',
    expected: {
      acknowledge: 'Acknowledgement that the report was received',
      'preliminary-review': 'Result of the preliminary review',
      feedback: 'Feedback on the action taken',
    },
    dueBy: 'by {date}',
    metOn: 'done on {date}',
    datesNote:
      'Dates follow the legal time limits from the day you reported, counting Ukrainian weekends and public holidays.',
    nextTitle: 'What happens next',
    next: [
      'The anti-corruption officer registers the report and acknowledges that it was received.',
      'In the preliminary review they decide whether there are grounds for an internal investigation or for passing it to NAZK, NABU, the National Police or a prosecutor.',
      'Answers and questions for you appear on the status page. Open it with your receipt: unless you left contact details, nobody can reach you any other way.',
    ],
    statusLink: 'Status page:',
    fingerprint: 'Fingerprint of the organisation key that certified the recipients:',
    receipt: 'Receipt',
    includeReceipt: 'Include the receipt in the printout',
    includeReceiptHint:
      'Not recommended: anyone with the receipt can read your report. If you include it, keep the sheet as safe as a key.',
    print: 'Print or save as PDF',
    printVersion: 'Printable version',
    printHint:
      'To print or save a PDF, use Print in your browser menu (on a phone: Share → Print).',
    back: 'Back',
  },
  statusDates: {
    title: 'Time limits',
  },
  contact: {
    legend: 'Anonymous or with contact details',
    anonymousNote:
      'No contact details needed: the fields appear only if you choose “Confidential”.',
    confidentialTitle: 'Your contact details',
    confidentialRule:
      'Both fields are required: your name and a way to reach you. Only the officer sees them.',
    missing: 'For a confidential report, fill in: {fields}. Or choose “Anonymous”.',
  },
  receiptProblems: {
    empty: 'Enter your receipt: 8 words or 32 digits.',
    wordCount: 'Enter all 8 words of the receipt; you entered {n}.',
    digitCount:
      'Enter all 32 digits of the receipt (or 24 if it was issued earlier); you entered {n}.',
    unknownWords:
      'Word no. {positions} is not in the receipt word list. Check how it is written and enter it again.',
  },
  filesLabel: 'Choose files',
  fileLost: 'Files are not kept until the form is sent: choose them again ({names}).',
}
