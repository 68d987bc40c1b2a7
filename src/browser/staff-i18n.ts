// What the staff pages' scripts say, Ukrainian first (the default language).
export type StaffLang = 'uk' | 'en'

const uk = {
  working: 'Зачекайте…',
  kdfProgress: 'Обчислюємо ключі з парольної фрази (кілька секунд)…',
  kdfFailed: 'Цей браузер не зміг обчислити ключі. Спробуйте сучасний Firefox або Chromium.',
  workProgress: 'Перевірка від автоматичних спроб входу (секунда-дві)…',
  workFailed: 'Цей браузер не зміг виконати перевірку від автоматичних спроб входу.',
  workRefused: 'Сервер не прийняв перевірку від автоматичних спроб входу. Спробуйте ще раз.',
  honeypotFilled:
    'Поле «Залиште це поле порожнім» має бути порожнім. Очистіть його і спробуйте ще раз.',
  networkError: 'Немає зв’язку з сервером. Перевірте з’єднання і спробуйте ще раз.',
  serverError: 'Сервер не зміг обробити запит. Спробуйте ще раз за хвилину.',
  slowDown: 'Забагато спроб. Зачекайте кілька хвилин і спробуйте знову.',
  loginFailed: 'Неправильна адреса або парольна фраза.',
  codeWrong: 'Код не підходить. Зачекайте на новий код і спробуйте ще раз.',
  sessionExpired: 'Сеанс завершився. Увійдіть ще раз.',
  wrongPassphrase: 'Парольна фраза не підходить.',
  keysProblem: 'Ключі на сервері не відкриваються цією фразою. Зверніться до адміністратора.',

  start: 'Створити ключі',
  passphraseTitle: 'Ваша парольна фраза',
  passphraseIntro:
    'Цими 7 словами ви входитимете на портал і відкриватимете свої ключі. Запишіть їх на папері і зберігайте як ключ від сейфа.',
  passphraseRules: [
    'Не зберігайте фразу в браузері, пошті чи месенджері.',
    'Нікому її не повідомляйте: адміністратор і сервер її не знають і не можуть відновити.',
    'Якщо забудете фразу, доступ повертає лише код відновлення (наступний крок).',
  ],
  writtenDown: 'Я записав(ла) парольну фразу на папері',
  retype: 'Введіть парольну фразу ще раз, щоб перевірити запис',
  retypeWrong: 'Фраза не збігається. Перевірте запис і слова.',
  continue: 'Далі',
  makingKeys: 'Замикаємо ключі парольною фразою',
  recoveryTitle: 'Ваш код відновлення',
  recoveryIntro:
    'Цей код відкриває ваші ключі, якщо ви забудете парольну фразу. Його показано лише один раз. Надрукуйте або запишіть його і зберігайте окремо від парольної фрази (наприклад, у сейфі).',
  print: 'Надрукувати',
  recoverySaved:
    'Я надрукував(ла) або записав(ла) код відновлення і зберігатиму його окремо від парольної фрази',
  fingerprintLabel: 'Відбиток ваших ключів (продиктуйте його адміністраторові):',
  finish: 'Зберегти ключі і продовжити',
  saving: 'Зберігаємо…',
  inviteGone: 'Запрошення вже недійсне. Попросіть адміністратора надіслати нове.',

  keysUnlocked: 'Ваші ключі відкриті в цій вкладці.',
  keysLocked: 'Ваші ключі в цій вкладці не відкриті.',
  unlockLink: 'Відкрити ключі',
  lock: 'Закрити ключі в цій вкладці',
  keysFingerprint: 'Відбиток відкритих ключів:',
  newPassphraseTitle: 'Ваша нова парольна фраза',
  changeDone: 'Парольну фразу змінено. Інші сеанси завершено; стара фраза більше не діє.',

  recoveryCodeBad: 'Код відновлення має 52 символи (літери і цифри). Перевірте запис.',
  recoveryCodeWrong:
    'Цей код відновлення не відкриває ваші ключі. Перевірте запис і спробуйте ще раз з новим кодом автентифікатора.',
  recoverFailed: 'Адреса або код автентифікатора не підходять.',
  recoverDone: 'Доступ відновлено. Увійдіть з новою парольною фразою.',
  orgNeedsKeys: 'Щоб підписати ключем організації, спершу відкрийте свої ключі в цій вкладці.',
  orgNotHeld:
    'Ви не маєте копії ключа організації. Попросіть адміністратора, який її має, засвідчити ваш обліковий запис.',
  orgWrongKey:
    'Ключ організації, який ви маєте, не збігається з тим, якому довіряє сервер. Нічого не підписано.',
  certifyMismatch:
    'Відбиток не збігається з ключами облікового запису. Нічого не підписано: перепитайте людину і звірте ще раз.',
  loginLink: 'Увійти',
}

export type StaffStrings = typeof uk

const en: StaffStrings = {
  working: 'Please wait…',
  kdfProgress: 'Deriving keys from the passphrase (a few seconds)…',
  kdfFailed: 'This browser could not compute the keys. Try a current Firefox or Chromium.',
  workProgress: 'Check against automated sign-in attempts (a second or two)…',
  workFailed: 'This browser could not complete the check against automated sign-in attempts.',
  workRefused: 'The server did not accept the check against automated sign-ins. Please try again.',
  honeypotFilled: 'The field “Leave this field empty” must be empty. Clear it and try again.',
  networkError: 'The server cannot be reached. Check your connection and try again.',
  serverError: 'The server could not handle the request. Please try again in a minute.',
  slowDown: 'Too many attempts. Wait a few minutes and try again.',
  loginFailed: 'Wrong email address or passphrase.',
  codeWrong: 'That code does not match. Wait for a new code and try again.',
  sessionExpired: 'Your session has ended. Please sign in again.',
  wrongPassphrase: 'That passphrase does not match.',
  keysProblem:
    'The keys on the server do not open with this passphrase. Contact the administrator.',

  start: 'Make my keys',
  passphraseTitle: 'Your passphrase',
  passphraseIntro:
    'With these 7 words you sign in and unlock your keys. Write them down on paper and keep them like the key to a safe.',
  passphraseRules: [
    'Do not save the passphrase in the browser, in mail or in a messenger.',
    'Tell nobody: neither the administrator nor the server knows it or can restore it.',
    'If you forget it, only the recovery code (next step) gets you back in.',
  ],
  writtenDown: 'I have written the passphrase down on paper',
  retype: 'Type the passphrase again to check what you wrote',
  retypeWrong: 'The passphrase does not match. Check what you wrote.',
  continue: 'Continue',
  makingKeys: 'Locking your keys with the passphrase',
  recoveryTitle: 'Your recovery code',
  recoveryIntro:
    'This code unlocks your keys if you forget the passphrase. It is shown only once. Print it or write it down, and keep it apart from the passphrase (in a safe, for example).',
  print: 'Print',
  recoverySaved:
    'I have printed or written down the recovery code and will keep it apart from the passphrase',
  fingerprintLabel: 'Your key fingerprint (read it out to the administrator):',
  finish: 'Save my keys and continue',
  saving: 'Saving…',
  inviteGone: 'The invitation is no longer valid. Ask the administrator for a new one.',

  keysUnlocked: 'Your keys are unlocked in this tab.',
  keysLocked: 'Your keys are not unlocked in this tab.',
  unlockLink: 'Unlock keys',
  lock: 'Lock the keys in this tab',
  keysFingerprint: 'Fingerprint of the unlocked keys:',
  newPassphraseTitle: 'Your new passphrase',
  changeDone: 'Passphrase changed. Your other sessions ended; the old passphrase no longer works.',

  recoveryCodeBad: 'A recovery code is 52 letters and digits. Check what you typed.',
  recoveryCodeWrong:
    'This recovery code does not unlock your keys. Check it and try again with a new authenticator code.',
  recoverFailed: 'The address or the authenticator code does not match.',
  recoverDone: 'Access recovered. Sign in with your new passphrase.',
  orgNeedsKeys: 'To sign with the organisation key, unlock your keys in this tab first.',
  orgNotHeld:
    'You hold no copy of the organisation key. Ask an administrator who holds it to certify your account.',
  orgWrongKey:
    'The organisation key you hold is not the one this server trusts. Nothing was signed.',
  certifyMismatch:
    'The fingerprint does not match the account’s keys. Nothing was signed: ask the person again and compare once more.',
  loginLink: 'Sign in',
}

export function staffStrings(lang: StaffLang): StaffStrings {
  return lang === 'en' ? en : uk
}
