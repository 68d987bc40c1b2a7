// Every string the reporter-side scripts show, Ukrainian first (the default language). The
// questionnaire's labels are not repeated here: they come from src/report/questions.default.json,
// the file the server renders the form from.
import { formatSize } from '../lib/sizes'
import type { ReporterPageConfig } from '../report/api'
import questionnaire from '../report/questions.default.json'

export type Lang = ReporterPageConfig['lang']

const uk = {
  // Shared
  working: 'Зачекайте…',
  kdfProgress: 'Обчислюємо ключі з квитанції (кілька секунд)…',
  kdfFailed: 'Не вдалося обчислити ключі шифрування в цьому браузері.',
  workProgress: 'Перевірка від автоматичних розсилок (секунда-дві)…',
  workFailed: 'Цей браузер не зміг виконати перевірку від автоматичних розсилок.',
  workRefused: 'Сервер не прийняв перевірку від автоматичних розсилок. Спробуйте ще раз.',
  honeypotFilled:
    'Форму не надіслано: поле «Залиште це поле порожнім» має бути порожнім. Очистіть його і надішліть ще раз.',
  networkError: 'Немає зв’язку з сервером. Перевірте з’єднання і спробуйте ще раз.',
  serverError: 'Сервер не зміг обробити запит. Спробуйте ще раз за хвилину.',
  tooLarge: 'Файл або повідомлення завеликі для цього сервера.',
  sizeLimits: (file: string, total: string) =>
    `Один файл — до ${file}, усі файли разом — до ${total}.`,
  fileTooBig: (name: string, limit: string) => `Файл «${name}» більший за ${limit}.`,
  totalTooBig: (limit: string) => `Усі файли разом більші за ${limit}. Приберіть частину файлів.`,
  metaJpeg: (name: string) =>
    `«${name}»: фото може містити місце зйомки, модель пристрою і дату (EXIF). Позначте пункт нижче, щоб прибрати їх перед шифруванням (фото може відобразитися повернутим).`,
  metaImage: (name: string) =>
    `«${name}»: зображення може містити приховані дані (місце, пристрій, дату). Браузер не може їх прибрати — за потреби збережіть його як знімок екрана.`,
  metaDocument: (name: string) =>
    `«${name}»: документ може містити ім’я автора, назву організації, історію змін. Перевірте властивості файлу або збережіть його як новий PDF без цих даних.`,
  stripLabel: 'Прибрати дані про місце і пристрій із фото JPEG',
  uploadProgress: (name: string, sent: string, total: string) => `${name}: ${sent} з ${total}`,
  uploadRetry: 'Спробувати надіслати файли ще раз',
  uploadFailed: (name: string) => `Файл «${name}» не вдалося надіслати.`,
  sendServerSide: 'Надіслати з шифруванням на сервері',
  serverSideExplain:
    'Шифрування у вашому браузері не вдалося, тому нічого не надіслано. Можете надіслати повідомлення звичайною формою: тоді сервер зашифрує його у своїй пам’яті, одразу забуде текст і позначить повідомлення як «зашифроване на сервері». Сервер видасть вам нову квитанцію: слова, показані тут раніше, не діятимуть.',
  downloadFailed: 'Не вдалося завантажити або розшифрувати файл.',
  download: (name: string) => `Розшифрувати «${name}»`,
  save: (name: string, size: string) => `Зберегти «${name}» (${size})`,

  // Report: receipt step
  receiptTitle: 'Ваша квитанція',
  receiptIntro:
    'Запишіть ці 8 слів на папері або збережіть у менеджері паролів. Тільки з квитанцією ви зможете прочитати відповідь і доповнити повідомлення. Відновити її неможливо: ми її не знаємо.',
  receiptDont: 'Не фотографуйте її робочим телефоном і не надсилайте собі поштою чи в месенджері.',
  receiptWritten: 'Я записав(ла) квитанцію',
  backToForm: 'Повернутися до форми',
  checkTitle: 'Перевірте, що квитанцію записано',
  checkIntro: (a: number, b: number) => `Введіть слово № ${a} і слово № ${b} зі своєї квитанції.`,
  wordN: (n: number) => `Слово № ${n}`,
  receiptIntroDigits:
    'Запишіть ці 32 цифри (8 груп по 4) на папері або збережіть у менеджері паролів. Тільки з квитанцією ви зможете прочитати відповідь і доповнити повідомлення. Відновити її неможливо: ми її не знаємо.',
  checkIntroDigits: (a: number, b: number) =>
    `Введіть групу цифр № ${a} і групу № ${b} зі своєї квитанції.`,
  groupN: (n: number) => `Група № ${n}`,
  checkWrong: 'Слова не збігаються з квитанцією. Перевірте запис і спробуйте ще раз.',
  showReceiptAgain: 'Показати квитанцію ще раз',
  checkAndSend: 'Перевірити і надіслати',
  sendingTitle: 'Шифруємо і надсилаємо',
  sendingReport: 'Надсилаємо зашифроване повідомлення…',
  doneTitle: 'Повідомлення надіслано',
  doneText:
    'Уповноважена особа розгляне його. Щоб прочитати відповідь або щось додати, відкрийте сторінку перевірки статусу і введіть квитанцію.',
  doneStatusLink: 'Перевірити статус',
  doneFilesFailed:
    'Повідомлення отримано, але деякі файли не надіслано. Спробуйте ще раз або додайте їх пізніше на сторінці статусу.',
  errorTitle: 'Не вдалося надіслати',
  officersChanged:
    'Список уповноважених осіб змінився. Скопіюйте свій текст, оновіть сторінку і надішліть ще раз.',
  formExpired: 'Форма застаріла. Скопіюйте свій текст, оновіть сторінку і надішліть ще раз.',
  noOfficer: 'Портал зараз не може приймати повідомлення: не призначено уповноважену особу.',
  officerKeyMismatch:
    'Ключі уповноважених осіб не засвідчено ключем організації. Нічого не надіслано.',
  orgKeyFingerprint: 'Відбиток ключа організації, який засвідчив одержувачів:',
  orgKeyLink: 'ключ організації',

  // Status
  loginChecking: 'Перевіряємо квитанцію…',
  noMatch: 'Квитанцію не знайдено. Перевірте слова і спробуйте ще раз.',
  slowDown: 'Забагато спроб. Зачекайте кілька секунд і спробуйте знову.',
  sessionExpired: 'Сеанс завершився. Введіть квитанцію ще раз.',
  caseTitle: 'Ваше повідомлення',
  stateLabel: 'Стан:',
  outcomeLabel: 'Результат:',
  threadTitle: 'Листування',
  you: 'Ви',
  officer: 'Уповноважена особа',
  system: 'Система',
  unverified: 'Не перевірено: підпис не підтверджено',
  unreadable: 'Цей запис не вдалося розшифрувати',
  sequenceGap: (from: number, to: number) =>
    from === to
      ? `Пропуск у послідовності: запис № ${from} не показано.`
      : `Пропуск у послідовності: записи № ${from}–${to} не показано.`,
  sequenceProblem: 'Порядок записів порушено: деякі записи повторюються або переставлені.',
  brokenLink: (seq: number) =>
    `Запис № ${seq} не той, після якого написано наступний: його могли замінити.`,
  headRolledBack:
    'Увага: листування коротше або інше, ніж ви вже бачили в цьому сеансі. Найновіші записи могли бути видалені або замінені.',
  threadHead: 'Останній запис:',
  headNote:
    'Щоб згодом перевірити, що жоден запис не зник, можете записати й номер та код останнього запису:',
  serverEncrypted: 'Зашифровано на сервері',
  attachmentsCount: (n: number) => `Файлів додано: ${n}`,
  contactTitle: 'Ваші контактні дані',
  contactName: 'Ім’я',
  contactWay: 'Як зв’язатися',
  files: 'Файли',
  replyTitle: 'Відповісти або доповнити',
  replyText: 'Ваше повідомлення',
  replyFiles: 'Файли (необов’язково)',
  replySend: 'Зашифрувати і надіслати',
  replyEmpty: 'Напишіть повідомлення або додайте файл.',
  replySent: 'Надіслано.',
  logout: 'Вийти',
  states: {
    received: 'Отримано — чекає на розгляд',
    'preliminary-review': 'Попередній розгляд — перевіряємо, чи є підстави для перевірки',
    investigation: 'Перевірка триває',
    referred: 'Передано до іншого органу, уповноваженого розглядати такі питання',
    closed: 'Розгляд завершено',
  } as Record<string, string>,
  outcomes: {
    confirmed: 'Факти підтвердилися',
    'not-confirmed': 'Факти не підтвердилися',
    'left-without-consideration': 'Залишено без розгляду',
    'not-competent': 'Не належить до нашої компетенції',
    referred: 'Передано за належністю',
    spam: 'Не є повідомленням',
  } as Record<string, string>,
  // The questionnaire's labels come from its one source (questionsFor below).
}

/** Question and option labels in one language, from the questionnaire file. */
function questionsFor(lang: Lang) {
  const questions: Record<string, string> = {}
  const options: Record<string, Record<string, string>> = {}
  for (const q of questionnaire.questions) {
    questions[q.id] = q.label[lang]
    if ('options' in q && q.options) {
      options[q.id] = Object.fromEntries(q.options.map((o) => [o.value, o.label[lang]]))
    }
  }
  return { questions, options }
}

export type Strings = typeof uk & ReturnType<typeof questionsFor>

const en: typeof uk = {
  working: 'Please wait…',
  kdfProgress: 'Deriving keys from the receipt (a few seconds)…',
  kdfFailed: 'This browser could not compute the encryption keys.',
  workProgress: 'Anti-spam check (a second or two)…',
  workFailed: 'This browser could not complete the anti-spam check.',
  workRefused: 'The server did not accept the anti-spam check. Please try again.',
  honeypotFilled:
    'The form was not sent: the field “Leave this field empty” must be empty. Clear it and send again.',
  networkError: 'The server cannot be reached. Check your connection and try again.',
  serverError: 'The server could not handle the request. Please try again in a minute.',
  tooLarge: 'A file or the message is too large for this server.',
  sizeLimits: (file, total) => `Each file up to ${file}, all files together up to ${total}.`,
  fileTooBig: (name, limit) => `The file “${name}” is larger than ${limit}.`,
  totalTooBig: (limit) => `All files together are larger than ${limit}. Remove some files.`,
  metaJpeg: (name) =>
    `“${name}”: the photo may contain where it was taken, the device and the date (EXIF). Tick the box below to remove them before encrypting (the photo may then appear rotated).`,
  metaImage: (name) =>
    `“${name}”: the image may contain hidden data (place, device, date). The browser cannot remove it; if that matters, send a screenshot instead.`,
  metaDocument: (name) =>
    `“${name}”: the document may contain the author’s name, the organisation and an edit history. Check the file properties or export a fresh PDF without them.`,
  stripLabel: 'Remove place and device data from JPEG photos',
  uploadProgress: (name, sent, total) => `${name}: ${sent} of ${total}`,
  uploadRetry: 'Try sending the files again',
  uploadFailed: (name) => `The file “${name}” could not be sent.`,
  sendServerSide: 'Send with server-side encryption instead',
  serverSideExplain:
    'Encryption in your browser failed, so nothing was sent. You can send the report with the plain form instead: the server then encrypts it in memory, forgets the text at once and labels the report “server-encrypted”. The server will give you a new receipt: any words shown here before will not work.',
  downloadFailed: 'The file could not be downloaded or decrypted.',
  download: (name) => `Decrypt “${name}”`,
  save: (name, size) => `Save “${name}” (${size})`,

  receiptTitle: 'Your receipt',
  receiptIntro:
    'Write these 8 words down on paper or keep them in a password manager. Only with the receipt can you read the reply and add to your report. It cannot be recovered: we do not know it.',
  receiptDont:
    'Do not photograph it with a work phone and do not e-mail or message it to yourself.',
  receiptWritten: 'I have written the receipt down',
  backToForm: 'Back to the form',
  checkTitle: 'Check that you wrote the receipt down',
  checkIntro: (a, b) => `Type word no. ${a} and word no. ${b} of your receipt.`,
  wordN: (n) => `Word no. ${n}`,
  receiptIntroDigits:
    'Write these 32 digits (8 groups of 4) down on paper or keep them in a password manager. Only with the receipt can you read the reply and add to your report. It cannot be recovered: we do not know it.',
  checkIntroDigits: (a, b) => `Type group no. ${a} and group no. ${b} of your receipt.`,
  groupN: (n) => `Group no. ${n}`,
  checkWrong: 'The words do not match the receipt. Check what you wrote and try again.',
  showReceiptAgain: 'Show the receipt again',
  checkAndSend: 'Check and send',
  sendingTitle: 'Encrypting and sending',
  sendingReport: 'Sending the encrypted report…',
  doneTitle: 'Your report was sent',
  doneText:
    'The authorised officer will look into it. To read the reply or add something, open the status page and enter your receipt.',
  doneStatusLink: 'Check the status',
  doneFilesFailed:
    'The report was received, but some files were not sent. Try again, or add them later on the status page.',
  errorTitle: 'Could not send',
  officersChanged:
    'The list of officers has changed. Copy your text, reload the page and send again.',
  formExpired: 'The form has expired. Copy your text, reload the page and send again.',
  noOfficer: 'The portal cannot accept reports right now: no officer is assigned.',
  officerKeyMismatch:
    'The officers’ keys are not certified by the organisation key. Nothing was sent.',
  orgKeyFingerprint: 'Fingerprint of the organisation key that certified the recipients:',
  orgKeyLink: 'organisation key',

  loginChecking: 'Checking the receipt…',
  noMatch: 'No report matches this receipt. Check the words and try again.',
  slowDown: 'Too many attempts. Wait a few seconds and try again.',
  sessionExpired: 'Your session has ended. Enter the receipt again.',
  caseTitle: 'Your report',
  stateLabel: 'Status:',
  outcomeLabel: 'Outcome:',
  threadTitle: 'Messages',
  you: 'You',
  officer: 'Authorised officer',
  system: 'System',
  unverified: 'Unverified: the signature could not be confirmed',
  unreadable: 'This entry could not be decrypted',
  sequenceGap: (from, to) =>
    from === to
      ? `Sequence gap: entry no. ${from} is not shown.`
      : `Sequence gap: entries no. ${from}–${to} are not shown.`,
  sequenceProblem: 'The order of entries is broken: some are repeated or out of order.',
  brokenLink: (seq) =>
    `Entry no. ${seq} is not the one the next entry was written after: it may have been replaced.`,
  headRolledBack:
    'Warning: the conversation is shorter than, or different from, what you already saw in this session. The newest entries may have been removed or replaced.',
  threadHead: 'Latest entry:',
  headNote:
    'To check later that no entry has gone missing, you can also note the number and code of the latest entry:',
  serverEncrypted: 'Encrypted on the server',
  attachmentsCount: (n) => `Files attached: ${n}`,
  contactTitle: 'Your contact details',
  contactName: 'Name',
  contactWay: 'How to reach you',
  files: 'Files',
  replyTitle: 'Reply or add information',
  replyText: 'Your message',
  replyFiles: 'Files (optional)',
  replySend: 'Encrypt and send',
  replyEmpty: 'Write a message or add a file.',
  replySent: 'Sent.',
  logout: 'Sign out',
  states: {
    received: 'Received — waiting to be reviewed',
    'preliminary-review': 'Preliminary review — we are checking whether it can be investigated',
    investigation: 'Investigation in progress',
    referred: 'Referred to another body that handles such matters',
    closed: 'Review completed',
  },
  outcomes: {
    confirmed: 'The facts were confirmed',
    'not-confirmed': 'The facts were not confirmed',
    'left-without-consideration': 'Left without consideration',
    'not-competent': 'Outside our competence',
    referred: 'Referred to the competent body',
    spam: 'Not a report',
  },
}

const withQuestions = {
  uk: { ...uk, ...questionsFor('uk') },
  en: { ...en, ...questionsFor('en') },
}

export function strings(lang: Lang): Strings {
  return lang === 'en' ? withQuestions.en : withQuestions.uk
}

/** Human size in the page's language, e.g. "20 МБ" / "20 MB" (src/lib/sizes.ts). */
export function formatBytes(n: number, _s: Strings, lang: Lang): string {
  return formatSize(n, lang)
}

/**
 * Answers in questionnaire order. Sealed envelopes are canonical JSON (keys sorted), so the
 * order the reporter saw is restored from the questions this bundle knows; others go last.
 */
export function inQuestionOrder<T>(s: Strings, answers: Record<string, T>): [string, T][] {
  const order = Object.keys(s.questions)
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
  return Object.entries(answers).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
}

/** Question label, or the id itself for questions this bundle does not know. */
export function questionLabel(s: Strings, id: string): string {
  return Object.prototype.hasOwnProperty.call(s.questions, id) ? (s.questions[id] ?? id) : id
}

/** Option label for select questions, or the raw value. */
export function optionLabel(s: Strings, questionId: string, value: string): string {
  const opts = Object.prototype.hasOwnProperty.call(s.options, questionId)
    ? s.options[questionId]
    : undefined
  return opts && Object.prototype.hasOwnProperty.call(opts, value) ? (opts[value] ?? value) : value
}

export function dateTime(iso: string, lang: Lang): string {
  const d = new Date(iso)
  if (isNaN(d.getTime())) return iso
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'uk-UA', {
    dateStyle: 'medium',
    timeStyle: 'short',
    // The organisation's time, as on the server-rendered pages.
    timeZone: 'Europe/Kyiv',
  })
}
