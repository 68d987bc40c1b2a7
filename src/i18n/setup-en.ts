import type { Dictionary } from './uk'

export const setupEn: Dictionary['setup'] = {
  title: 'Portal setup',
  intro:
    'What is still to do before the portal takes reports. Each item is checked against the system as it is.',
  done: 'Done',
  notDone: 'Not done',
  nav: 'Setup',
  items: {
    organisation: {
      title: 'Organisation details',
      hint: 'The name in Ukrainian and English, the contact page and the privacy notice: every page links to them at its foot.',
      link: 'Fill in the organisation details',
    },
    orgKey: {
      title: 'Organisation key',
      hint: "The first admin makes the organisation key on the accounts page; it certifies the officers' keys.",
      link: 'Accounts',
    },
    officers: {
      title: 'An officer invited',
      hint: 'Invite at least one anti-corruption officer.',
      link: 'Invite',
    },
    certified: {
      title: "An officer's keys certified",
      hint: 'Until a key is certified, the report form stays closed.',
      link: 'Certify keys',
    },
    smtp: {
      title: 'Mail tested',
      hint: 'Set SMTP_URL and send yourself a test mail.',
      link: 'Send a test mail',
    },
    plan: {
      title: "This year's anti-corruption plan imported",
      hint: 'Plan measures are linked to cases and go into the annual report.',
      link: 'Import the plan',
    },
    holidays: {
      title: 'Holiday calendar for this year',
      hint: "Deadlines count working days; this year's holidays are needed (HOLIDAYS_FILE or the shipped calendar).",
      link: 'About the calendar',
    },
  },
  testMail: {
    submit: 'Send a test mail',
    subject: 'Portal test mail',
    body: 'This mail confirms that the portal can send mail.',
    sent: 'A test mail was sent to {email}.',
    failed: 'The mail was not sent: {reason}. Check SMTP_URL and try again.',
    noSmtp: 'SMTP_URL is not set: mail is not configured.',
  },
}
