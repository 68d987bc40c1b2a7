// Enrolment (/staff/enrol?token=…): the officer's keys, the passphrase and the recovery code are
// made here, in the browser. The server receives the public keys, the secrets wrapped twice
// (under the passphrase-derived wrapKey and under the recovery code) and authSecret; never the
// passphrase, wrapKey, the recovery code or a secret key.
import { toBase64 } from '../../crypto/encoding'
import {
  formatRecoveryCode,
  generateOfficerKeys,
  generateRecoveryKey,
  wrapSecrets,
} from '../../crypto/keys'
import {
  RECOVERY_NO_KDF,
  type EnrolRequest,
  type EnrolResponse,
  type StaffPageConfig,
} from '../staff/api'
import { button, cryptoAvailable, h, setBusy, showStep } from './dom'
import { once, onPage } from './page'
import { staffStrings } from './staff-i18n'
import {
  fingerprintOf,
  generatePassphrase,
  kdfProgress,
  passphraseStep,
  readStaffConfig,
  requestErrorText,
  say,
  staffHref,
  staffJson,
  StaffRequestError,
  wrapWithPassphrase,
} from './staff-ui'

onPage(() => {
  const config = readStaffConfig('enrol')
  const area = document.getElementById('js-area')
  if (config && area && cryptoAvailable() && once(area, 'Enrol')) setUpEnrol(config, area)
})

type EnrolConfig = Extract<StaffPageConfig, { page: 'enrol' }>

function setUpEnrol(config: EnrolConfig, area: HTMLElement): void {
  const s = staffStrings(config.lang)
  area.replaceChildren(button(s.start, () => void enrol(area), true))
  area.hidden = false

  async function enrol(area: HTMLElement): Promise<void> {
    if (!config) return
    const keys = generateOfficerKeys()
    const passphrase = generatePassphrase()
    const first = showStep(area, s.passphraseTitle)
    await passphraseStep(first, passphrase, s)

    const progress = kdfProgress(s)
    const status = h('div', { class: 'js-step-status', 'aria-live': 'polite' })
    showStep(area, s.makingKeys, progress.el, status)
    let wrapped: EnrolRequest['keys']
    let authSecret: Uint8Array
    try {
      ;({ wrapped, authSecret } = await wrapWithPassphrase(keys, passphrase, config.kdf, progress))
    } catch {
      say(status, s.kdfFailed)
      return
    }
    const recoveryKey = generateRecoveryKey()
    const recoveryWrapped = wrapSecrets(recoveryKey, keys.box.secretKey, keys.signSeed)
    const recoveryCode = formatRecoveryCode(recoveryKey)
    recoveryKey.fill(0)

    const request: EnrolRequest = {
      token: config.token,
      boxPublicKey: toBase64(keys.box.publicKey),
      signPublicKey: toBase64(keys.sign.publicKey),
      keys: wrapped,
      recoveryKeys: { wrapped: recoveryWrapped, salt: '', kdf: { ...RECOVERY_NO_KDF } },
      authSecret: toBase64(authSecret),
    }
    authSecret.fill(0)
    keys.box.secretKey.fill(0)
    keys.sign.secretKey.fill(0)
    keys.signSeed.fill(0)

    const saved = h('input', { type: 'checkbox', id: 'recovery-saved' })
    const finish = h('button', { type: 'button', class: 'primary', disabled: true }, s.finish)
    const done = h('div', { class: 'js-step-status', 'aria-live': 'polite' })
    saved.addEventListener('change', () => (finish.disabled = !saved.checked))
    finish.addEventListener('click', () => void send(request, finish, done))
    showStep(
      area,
      s.recoveryTitle,
      h('p', {}, s.recoveryIntro),
      h('p', { class: 'recovery-code js-recovery-code', translate: 'no' }, recoveryCode),
      h(
        'p',
        { class: 'no-print' },
        button(s.print, () => window.print())
      ),
      h(
        'p',
        {},
        s.fingerprintLabel,
        ' ',
        h('code', { class: 'js-fingerprint' }, fingerprintOf(keys))
      ),
      h(
        'div',
        { class: 'choice no-print' },
        saved,
        h('label', { for: 'recovery-saved' }, s.recoverySaved)
      ),
      done,
      h('p', { class: 'no-print' }, finish)
    )
  }

  async function send(request: EnrolRequest, finish: HTMLButtonElement, status: HTMLElement) {
    if (!config) return
    finish.disabled = true
    setBusy(finish, true)
    say(status, s.saving, 'info')
    try {
      const res = await staffJson<EnrolResponse>('POST', '/staff/enrol', request)
      location.assign(staffHref(res.next, config.lang))
    } catch (e) {
      const gone = e instanceof StaffRequestError && (e.status === 404 || e.status === 410)
      say(status, gone ? s.inviteGone : requestErrorText(e, s))
      finish.disabled = gone
      setBusy(finish, false)
    }
  }
}
