import type { Dictionary } from './uk'

export const en: Dictionary = {
  langName: 'English',
  skipToContent: 'Skip to content',
  siteTitle: 'Report corruption',
  switchLanguage: 'Українська',
  quickExit: 'Quick exit',
  quickExitHint: 'Opens a neutral website. Clear your browser history if others use this device.',
  footer: 'This portal sets no tracking cookies, stores no IP addresses and loads nothing from other sites.',
  landing: {
    title: 'Report possible corruption — safely and anonymously',
    lead: 'The authorised anti-corruption officer will look into your report. You do not have to tell us who you are.',
    reportButton: 'Make a report',
    statusButton: 'I have a receipt',
    howTitle: 'How this portal protects you',
    how: [
      ['Encrypted in your browser', 'Your answers and files are encrypted on your device before they are sent. The server keeps only ciphertext, which only the authorised officer can open.'],
      ['No traces', 'We do not record your IP address, set no cookie until you sign in with a receipt yourself, and load no third-party counters or fonts.'],
      ['A receipt instead of a name', 'After sending you get a receipt: a list of words. Only with it can you read the reply and add to your report. Write it down: it cannot be recovered.'],
      ['Works without JavaScript too', 'If JavaScript is off (for example Tor Browser "Safest"), the server encrypts your report in memory and forgets the text at once. We label such reports honestly.'],
    ],
    safetyTitle: 'Before you start',
    safety: [
      'Use your own device, not a work computer or your employer\u2019s network.',
      'For the best anonymity, open this site in Tor Browser.',
      'If you want to stay anonymous, leave out details that would easily identify you.',
      'Ukrainian law protects whistleblowers from retaliation (Law "On Prevention of Corruption", section VIII-1).',
    ],
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFound: 'There is no such page. Check the address or go back to the start page.',
    serverErrorTitle: 'Something went wrong',
    serverError: 'The server hit an error. Nothing you sent was lost; please try again in a minute.',
    forbiddenTitle: 'Access denied',
    forbidden: 'You are not allowed to do this.',
    unavailableTitle: 'Service temporarily unavailable',
    unavailable: 'The database is unreachable right now. Nothing was lost; please try again shortly.',
    home: 'Start page',
  },
}
