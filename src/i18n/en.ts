import { auditEn } from './audit-en'
import { setupEn } from './setup-en'
import { orgEn } from './org-en'
import { journalEn } from './journal-en'
import { retentionEn } from './retention-en'
import { officerEn } from './officer-en'
import { planEn } from './plan-en'
import { reportVariantEn } from './report-variant-en'
import { workEn } from './work-en'
import { reporterEn } from './reporter-en'
import type { Dictionary } from './uk'

export const en: Dictionary = {
  officer: officerEn,
  audit: auditEn,
  setup: setupEn,
  org: orgEn,
  journal: journalEn,
  retention: retentionEn,
  planAdmin: planEn,
  reportVariant: reportVariantEn,
  work: workEn,
  reporter: reporterEn,
  langName: 'English',
  skipToContent: 'Skip to content',
  demoBanner:
    'Demonstration: an invented organisation with sample data (portal demo). Do not send real reports here.',
  siteTitle: 'Report corruption',
  staffSiteTitle: 'Staff workspace',
  switchLanguage: 'Українська',
  quickExit: 'Quick exit',
  quickExitHint: 'Opens a neutral website. Clear your browser history if others use this device.',
  footer:
    'This portal sets no tracking cookies, stores no IP addresses and loads nothing from other sites.',
  orgKey: {
    title: 'Organisation key',
    intro:
      'The organisation key certifies the officers’ keys. Your browser encrypts reports only to keys it certified, and shows a reply as verified only when a certified key signed it.',
    fingerprintHex: 'Fingerprint (hex)',
    fingerprintWords: 'Fingerprint (words)',
    publicKey: 'Public key (base64)',
    compare:
      'Compare the fingerprint with the one the organisation publishes elsewhere (its official website, on paper). If it differs, do not send a report.',
    none: 'There is no organisation key yet: reports are not accepted for now.',
    link: 'organisation key',
    receiptNote: 'Fingerprint of the organisation key that certified the recipients:',
  },
  landing: {
    title: 'Report possible corruption — safely and anonymously',
    lead: 'The authorised anti-corruption officer will look into your report. You do not have to tell us who you are.',
    reportButton: 'Make a report',
    statusButton: 'I have a receipt',
    howTitle: 'How this portal protects you',
    how: [
      [
        'Encrypted in your browser',
        'Your answers and files are encrypted on your device before they are sent. The server keeps only ciphertext, which only the authorised officer can open.',
      ],
      [
        'No traces',
        'We do not record your IP address, set no cookie until you sign in with a receipt yourself, and load no third-party counters or fonts.',
      ],
      [
        'A receipt instead of a name',
        'After sending you get a receipt: a list of words. Only with it can you read the reply and add to your report. Write it down: it cannot be recovered.',
      ],
      [
        'Works without JavaScript too',
        'If JavaScript is off (for example Tor Browser "Safest"), the server encrypts your report in memory and forgets the text at once. We label such reports honestly.',
      ],
    ],
    safetyTitle: 'Before you start',
    safety: [
      'Use your own device, not a work computer or your employer\u2019s network.',
      'For the best anonymity, open this site in Tor Browser.',
      'If you want to stay anonymous, leave out details that would easily identify you.',
      'Ukrainian law protects whistleblowers from retaliation (Law "On Prevention of Corruption", section VIII-1).',
    ],
  },
  report: {
    title: 'Report possible corruption',
    intro: 'Fill in what you know. Only the marked fields are required. You can stay anonymous.',
    safetyTitle: 'Safety first',
    safety: [
      'Use a device and network you trust, not your employer\u2019s.',
      'Tor Browser is best. The "Quick exit" button at the top opens another site at once.',
      'After sending you get a receipt. Without it nobody, not even us, can restore access to your report.',
    ],
    noscript:
      'JavaScript is off. The server will encrypt your report in its memory and forget the plain text at once; the case will be labelled "server-encrypted". For encryption in your browser only, turn JavaScript on.',
    required: 'required',
    optional: 'optional',
    choose: '— choose —',
    anonymityTitle: 'Anonymous or confidential?',
    anonymous: 'Anonymous: I do not give my name',
    anonymousHint:
      'Nobody will know who you are. Contact is only through the receipt on this site. An anonymous report is considered if it contains facts that can be checked.',
    confidential: 'Confidential: I say how to reach me',
    confidentialHint:
      'Only the authorised officer sees your details; the law forbids disclosing them without your consent. This way you can be recognised as a whistleblower with full protection.',
    contactTitle: 'Your contact details (encrypted)',
    filesTitle: 'Files (optional)',
    filesLimits:
      'Up to {file} per file and {total} in total. Without JavaScript, up to {nojs} altogether.',
    metadataWarning:
      'Photos and PDFs can carry hidden data: the author, the phone model, the location. If you can, send a screenshot or a copy saved without metadata.',
    fingerprintsTitle: 'Who it is encrypted to',
    fingerprintsHint:
      'Fingerprints of the officers\u2019 keys. Compare them with those published on the council\u2019s official site.',
    submit: 'Send encrypted',
    fixErrors: 'Please correct the marked fields. The text you typed is kept.',
    fieldErrors: {
      required: 'Please fill in this field.',
      'too-long': 'The text is too long.',
      'bad-option': 'Choose an option from the list.',
      'contact-required':
        'For a confidential report give a name or a contact, or choose "Anonymous".',
    },
    tooLarge:
      'The files are too large. Without JavaScript you can send up to {nojs} altogether; with JavaScript, more.',
    closedTitle: 'Reporting is not set up yet',
    closed:
      'The authorised officer has not created an encryption key yet, so reports cannot be accepted safely. Please use another channel, the hotline or the mailbox in the council building, or come back later.',
    formBroken: 'This form arrived damaged. Check what you typed and send again.',
    formExpired: 'This form was already sent or has expired. Check what you typed and send again.',
    notSaved:
      'The report was not saved: the service is temporarily unavailable. Nothing you typed was lost; press Send again in a minute.',
    receiptTitle: 'Report sent. Write down your receipt',
    receiptIntro:
      'This is your receipt. Only with it can you read the reply and add to your report. We do not keep it and cannot restore it.',
    receiptServerNote: 'The report was encrypted on the server (JavaScript was off).',
    receiptHead:
      'To check later that no entry has gone missing, you can also note the number and code of the latest entry:',
    receiptCheck: 'To make sure you wrote the receipt down, type words no. {a} and no. {b}.',
    wordLabel: 'Word no. {n}',
    receiptCheckDigits: 'To make sure you wrote the receipt down, type groups no. {a} and no. {b}.',
    groupLabel: 'Group no. {n}',
    receiptKindTitle: 'Receipt',
    receiptKindHint:
      'After sending you get a receipt: only with it can you read the reply. Choose what is easier for you to write down.',
    receiptKindWords: '8 words (recommended)',
    receiptKindDigits: '32 digits (8 groups of 4)',
    receiptConfirm: 'I have written down my receipt',
    receiptWrong: 'The words do not match. Look at the receipt carefully and type them again.',
    checkTitle: 'Check your receipt',
    receiptLostTitle: 'Did not write the receipt down?',
    receiptLost:
      'Your report has been received and will be considered all the same. But only the receipt opens it: without the receipt you cannot read the reply or add to the report, and nobody, not even us, can show it to you again. You can only come back with the receipt.',
    confirmGoneTitle: 'Your report was received',
    confirmGone: 'This check has expired or was already used, so it cannot be repeated.',
    confirmTooMany: 'Too many wrong answers: the check is over.',
    confirmBroken: 'This check arrived damaged and cannot be repeated.',
    doneTitle: 'Thank you',
    done: 'The authorised officer will receive your report. Come back in a few days with your receipt to read the reply.',
    doneStatus: 'Go to the status check',
  },
  status: {
    title: 'Check the status of your report',
    intro: 'Enter the receipt you were given after sending.',
    receipt: 'Receipt',
    receiptHint:
      '8 words separated by spaces (or 32 digits; 24-digit receipts issued before still work).',
    open: 'Open',
    noMatch: 'No report could be opened with this receipt. Check it and try again.',
    slowDown: 'Too many attempts. Wait a few seconds and try again.',
    caseTitle: 'Your report',
    stateLabel: 'Status',
    states: {
      received: 'Received. The authorised officer has not started the review yet.',
      'preliminary-review': 'The preliminary review is under way.',
      investigation: 'An internal investigation is under way.',
      referred: 'Passed to the authority competent to handle such reports.',
      closed: 'The review is finished.',
    },
    serverEncrypted: 'Encrypted on the server',
    clientEncrypted: 'Encrypted in the browser',
    you: 'You',
    officer: 'Authorised officer',
    system: 'System',
    answersTitle: 'Your report',
    attachments: 'Files',
    unverified: 'signature could not be verified',
    sequenceGap: 'Warning: entries are missing from the conversation or out of order.',
    headRolledBack:
      'Warning: the conversation is shorter than, or different from, what you already saw in this session. The newest entries may have been removed or replaced.',
    threadHead: 'Latest entry:',
    unreadable: 'This entry could not be decrypted.',
    replyTitle: 'Add information',
    replyText: 'Message',
    replyFiles: 'Files',
    send: 'Send',
    replyEmpty: 'Write a message or add a file.',
    signedIn: 'You are signed in to your report in this browser.',
    logoutHint:
      'Sign out when you finish, above all on a shared device. Closing the browser or 20 minutes without activity also ends it; to come back you need the receipt.',
    openCase: 'Open your report',
    logout: 'Sign out',
    download:
      'Files can be downloaded with JavaScript on only (they are decrypted in the browser).',
  },
  annual: {
    title:
      'IMPLEMENTATION OF THE PLAN of measures to prevent corruption and corruption-related offences for {year}\n{org}',
    columns: {
      number: 'No.',
      measure: 'Planned measures',
      deadline: 'Deadline',
      responsible: 'Responsible persons',
      done: 'What was done',
    },
    figuresFrom: 'From the whistleblower reporting system:',
    figuresColumn: 'Reporting-system figures',
    viaWebsite: 'of them through the website',
    received:
      'in {year}, {n} {reports} received, of them through the website {web}, anonymously {anonymous};',
    reviewed: '{n} {reports} reviewed, of them within the deadline {onTime};',
    referred: '{n} {reports} referred to competent bodies;',
    referredTo: 'of them to: {list};',
    investigations:
      '{n} {investigations} opened, extended {extended}, closed {closed} (facts confirmed {confirmed});',
    protection: '{n} whistleblower protection {measures} recorded, of them applied {applied};',
    linked: '{n} {reports} linked to this measure.',
    nouns: {
      reports: { one: 'report', few: 'reports', many: 'reports', other: 'reports' },
      investigations: {
        one: 'internal investigation',
        few: 'internal investigations',
        many: 'internal investigations',
        other: 'internal investigations',
      },
      measures: { one: 'measure', few: 'measures', many: 'measures', other: 'measures' },
    },
    summary: 'Reporting-system figures for {year}',
    quarters: 'Reports received by quarter',
    smallNote: 'In the quarterly breakdown, counts under {k} are shown as “< {k}”.',
    generated: 'Generated on {date}.',
    back: 'Back to reporting',
    print: 'To print or save as PDF, use the browser’s print (A4, landscape).',
  },
  management: {
    title: 'Reporting: reports and deadlines',
    privacy:
      'Counts only, never the content of reports. The year’s totals are exact; in breakdowns finer than the year (quarters, channel × anonymity, categories) counts under {k} are shown as “< {k}”. Zero is 0.',
    year: 'Year',
    show: 'Show',
    received: 'Reports received',
    byQuarter: 'By quarter',
    quarter: 'Q{q}',
    byChannel: 'By channel',
    handling: 'Handling',
    reviewsDone: 'Preliminary reviews completed',
    reviewsOnTime: 'of them on time',
    referred: 'Referred to competent bodies',
    investigations: 'Internal investigations opened',
    nowIn: 'Now in state',
    closedAs: 'Closed as',
    onTime: 'Deadlines met',
    medianDays: 'Median days to acknowledge receipt',
    figure: 'Figure',
    thisYear: '{year}',
    previousYear: '{year} (previous)',
    anonymous: 'anonymous',
    confidential: 'confidential (named)',
    byChannelAnonymity: 'Channel × anonymity',
    byCategory: 'By category',
    noCategory: 'no category',
    acknowledgedOnTime: 'Receipt acknowledged on time',
    shareOf: '{part} of {whole}',
    referredAfterReview: 'after preliminary review',
    referredHead: 'at once (concerns the head)',
    investigationsExtended: 'Investigations extended',
    investigationsClosed: 'Investigations closed: confirmed / not confirmed',
    protectionRequested: 'Whistleblower protection measures recorded',
    protectionApplied: 'of them applied',
    daysToAcknowledge: 'Days to acknowledge: median / 90th percentile',
    daysToClose: 'Days to the decision: median / 90th percentile',
    breaches: 'Missed deadlines by kind',
    stillOpen: 'Still open',
    report: 'Plan-implementation report for {year}',
    reportFormats: 'Download: DOCX, CSV, JSON',
    none: '—',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFound: 'There is no such page. Check the address or go back to the start page.',
    serverErrorTitle: 'Something went wrong',
    serverError:
      'The server hit an error. Nothing you sent was lost; please try again in a minute.',
    forbiddenTitle: 'Access denied',
    forbidden: 'You are not allowed to do this.',
    unavailableTitle: 'Service temporarily unavailable',
    unavailable:
      'The database is unreachable right now. Nothing was lost; please try again shortly.',
    home: 'Start page',
  },
  staff: {
    noscript:
      'This page needs JavaScript: encryption keys are made and opened only in your browser, and the server never sees your passphrase.',
    roles: { admin: 'Administrator', officer: 'Authorised officer', management: 'Management' },
    statuses: { invited: 'Invited', active: 'Active', disabled: 'Disabled' },
    nav: {
      label: 'Staff menu',
      officer: 'Cases',
      management: 'Reporting',
      accounts: 'Accounts',
      plan: 'Anti-corruption plan',
      account: 'My account',
      logout: 'Sign out',
    },
    email: 'Work email',
    displayName: 'Name and position',
    fieldErrors: {
      email: 'Enter a valid email address.',
      displayName: 'Enter a name (up to 100 characters).',
      roles: 'Choose at least one role.',
      exists: 'An account with this address already exists.',
    },
    setup: {
      title: 'First-time setup',
      intro:
        'Create the administrator account. Right after this, your browser makes your keys and your passphrase.',
      extraRoles: 'The same person is also…',
      submit: 'Create and continue',
      invalidTitle: 'This setup link is not valid',
      invalid:
        'The link was already used or has expired. Restart the server: a new link appears in its start-up log.',
      doneTitle: 'The portal is already set up',
      done: 'An administrator exists. Sign in, or ask the administrator to invite you.',
    },
    enrol: {
      title: 'Create your keys and passphrase',
      intro:
        'Your browser will now make your encryption keys and a passphrase of 7 words. The server sees neither: it only receives the keys locked.',
      account: 'Account',
      invalidTitle: 'This invitation is not valid',
      invalid:
        'The invitation link was already used or has expired. Ask the administrator for a new one.',
    },
    totp: {
      title: 'Confirmation code',
      intro: 'Enter the six-digit code from the authenticator app on your phone.',
      code: 'Code',
      submit: 'Confirm',
      wrong: 'That code does not match. Wait for a new code and try again.',
      slowDown: 'Too many attempts. Wait a few minutes and try again.',
      setupTitle: 'Second check: an authenticator app',
      setupIntro:
        'Add the account to an authenticator app (for example Aegis, FreeOTP or Google Authenticator): scan the QR code, type the key in, or open the link on the device with the app.',
      secretLabel: 'Key to type in',
      uriLabel: 'otpauth:// link',
      qrLabel: 'QR code with the otpauth:// link, for the authenticator app to scan',
      setupConfirm: 'To finish, enter the six-digit code the app shows.',
      setupSubmit: 'Finish setup',
    },
    login: {
      title: 'Staff sign-in',
      intro:
        'Your passphrase is turned into keys only in your browser; the server never receives it.',
      passphrase: 'Passphrase',
      submit: 'Sign in',
      jsRequired:
        'Signing in needs JavaScript: the passphrase is turned into keys in your browser.',
      expired: 'The time to enter the code ran out. Please sign in again.',
      forgot: 'Forgot your passphrase? Recover access with your recovery code',
      signedOut: 'You are signed out. The key that protected your keys in this tab is destroyed.',
    },
    unlock: {
      title: 'Unlock your keys',
      intro: 'To decrypt cases in this tab, enter your passphrase again.',
      submit: 'Unlock keys',
    },
    account: {
      title: 'My account',
      roles: 'Roles',
      fingerprintTitle: 'Your key fingerprint',
      fingerprintHint:
        'Read it out to the administrator by phone or in person: they compare it and certify your keys with the organisation key. Reports are encrypted only to certified keys.',
      cert: {
        certified: 'Certified by the administrator.',
        uncertified: 'Not certified by the administrator yet (or the certificate was revoked).',
        'no-keys': 'No keys yet.',
      },
      keysTitle: 'Keys in this tab',
      passphraseTitle: 'Change your passphrase',
      passphraseIntro:
        'You get a new passphrase of 7 words. Your keys stay the same; only the lock on them changes. Your other sessions are ended.',
      currentPassphrase: 'Current passphrase',
      passphraseSubmit: 'Make a new passphrase',
      totpTitle: 'Authenticator app',
      totpOn: 'Set up.',
      totpHint:
        'Lost your phone? Ask the administrator to reset the authenticator: you set up a new one at your next sign-in.',
      recoveryTitle: 'Forgot your passphrase?',
      recoveryHint: 'Recover access with the recovery code you printed when your keys were made.',
      recoveryLink: 'Recover access',
    },
    recover: {
      title: 'Recover access',
      intro:
        'You need the recovery code printed when your keys were made, and a code from your authenticator app. You get a new passphrase; your keys stay the same.',
      recoveryCode: 'Recovery code (52 characters)',
      totpCode: 'Code from the authenticator app',
      submit: 'Recover access',
    },
    admin: {
      title: 'Accounts',
      intro:
        'Reports are encrypted only to officers whose keys are certified with the organisation key. Certify keys only after comparing the fingerprint with the person by phone or in person.',
      name: 'Name',
      roles: 'Roles',
      status: 'Status',
      fingerprint: 'Key fingerprint',
      totp: 'Authenticator',
      actions: 'Actions',
      you: '(you)',
      yes: 'yes',
      no: 'no',
      cert: {
        certified: 'Certified',
        uncertified: 'Not certified',
        'no-keys': 'No keys yet',
      },
      certifyLabel: 'Fingerprint the person read out',
      certifySubmit: 'Compare and certify',
      revokeCertificate: 'Revoke certificate',
      certifyNoscript:
        'Certifying and revoking keys signs with the organisation key in your browser: it needs JavaScript.',
      orgTitle: 'Organisation key',
      orgIntro:
        'The organisation key signs officers’ certificates in administrators’ browsers; the server keeps only its public half. Its fingerprint is published so that anyone can compare it.',
      orgFingerprint: 'Fingerprint of the organisation key',
      orgNone:
        'There is no organisation key yet, so no report can be sent. Create it here: it is made in this browser and stays wrapped to your keys.',
      orgCreate: 'Create the organisation key',
      orgMismatch:
        'The database names another organisation key than the one this server trusts. It is ignored: certificates it signed do not count.',
      disable: 'Disable',
      enable: 'Enable',
      revoke: 'End sessions',
      resetTotp: 'Reset authenticator',
      reinvite: 'New invitation link',
      inviteTitle: 'Invite a staff member',
      inviteRoles: 'Roles (one person may hold several)',
      inviteSubmit: 'Create invitation',
      fixErrors: 'Please correct the marked fields.',
      invitedTitle: 'Invitation created',
      invitedIntro:
        'Pass this link on to the person through a trusted channel. It works once and is valid until {date}.',
      invitedFor: 'For',
      invitedLink: 'Link',
      invitedMailed: 'A mail with the link was also queued for sending.',
      invitedNoMail: 'Mail is not configured, so no mail is sent: pass the link on yourself.',
      back: 'Back to accounts',
      notices: {
        disabled: 'The account is disabled and its sessions are ended.',
        enabled: 'The account is enabled.',
        certified: 'The fingerprint matches: the keys are certified.',
        'cert-revoked': 'The certificate is revoked.',
        'org-created': 'The organisation key is created.',
        revoked: 'Sessions ended.',
        'totp-reset':
          'Authenticator reset and sessions ended. The person sets up a new one at the next sign-in.',
      },
      errors: {
        'fingerprint-mismatch':
          'The fingerprint does not match the account’s keys. Nothing was certified: ask the person again and compare once more.',
        'needs-js': 'This needs JavaScript: the organisation key signs in your browser.',
        'bad-statement':
          'The signature was not made with this server’s organisation key. Nothing was stored.',
        'no-org-key': 'There is no organisation key yet.',
        'org-key-exists': 'There is already an organisation key.',
        'anchor-mismatch': 'This server trusts another organisation key (ORG_PUBLIC_KEY).',
        self: 'You cannot change your own account this way.',
        'not-found': 'There is no such account.',
        conflict: 'The account just changed. Please try again.',
      },
    },
  },
}
