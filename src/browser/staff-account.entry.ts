// Own account (/staff/account): whether the keys are unlocked in this tab, and changing the
// passphrase (re-wrapping the same secrets under a new one). Recovery (/staff/recover): the
// recovery code opens the recovery-wrapped secrets here, a signature proves it to the server,
// and the secrets are wrapped under a new passphrase. Secrets never leave the browser unwrapped.
import nacl from 'tweetnacl'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import {
  officerKeysFromSecrets,
  parseRecoveryCode,
  unwrapSecrets,
  type OfficerKeys,
} from '../../crypto/keys'
import {
  recoveryChallenge,
  type KeysResponse,
  type PassphraseChangeRequest,
  type RecoveryFinishRequest,
  type RecoveryStartResponse,
} from '../staff/api'
import { cryptoAvailable, h, showStep } from './dom'
import { once, onPage } from './page'
import { forgetKeys, rememberKeys, unlockedKeys } from './staff-keys'
import { staffStrings, type StaffStrings } from './staff-i18n'
import {
  derive,
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
  const account = readStaffConfig('account')
  const recover = readStaffConfig('recover')
  const main = document.getElementById('main')
  if (!cryptoAvailable() || !(account || recover) || !main || !once(main, 'Account')) return
  if (account) {
    const s = staffStrings(account.lang)
    void showKeysState(s, account.accountId, account.lang)
    setUpPassphraseChange(s, account)
  }
  if (recover) setUpRecovery(staffStrings(recover.lang), recover)
})

async function showKeysState(s: StaffStrings, accountId: string, lang: 'uk' | 'en'): Promise<void> {
  const el = document.getElementById('keys-state')
  if (!el) return
  const unlocked = await unlockedKeys()
  if (unlocked && unlocked.accountId === accountId) {
    const fingerprint = fingerprintOf(unlocked.keys)
    const lock = h('button', { type: 'button' }, s.lock)
    lock.addEventListener('click', () => {
      forgetKeys()
      void showKeysState(s, accountId, lang)
    })
    el.dataset.state = 'unlocked'
    el.dataset.fingerprint = fingerprint
    el.replaceChildren(
      h('p', { class: 'ok' }, s.keysUnlocked),
      h('p', {}, s.keysFingerprint, ' ', h('code', {}, fingerprint)),
      h('p', {}, lock)
    )
  } else {
    el.dataset.state = 'locked'
    delete el.dataset.fingerprint
    const next = encodeURIComponent('/staff/account')
    el.replaceChildren(
      h('p', {}, s.keysLocked),
      h(
        'p',
        {},
        h(
          'a',
          { class: 'button', href: staffHref(`/staff/unlock?next=${next}`, lang) },
          s.unlockLink
        )
      )
    )
  }
}

function setUpPassphraseChange(
  s: StaffStrings,
  config: { accountId: string; lang: 'uk' | 'en'; kdf: { m: number; t: number; p: number } }
): void {
  const form = document.getElementById('staff-passphrase') as HTMLFormElement | null
  const area = document.getElementById('passphrase-area')
  const status = document.getElementById('passphrase-status')
  if (!form || !area || !status) return
  form.hidden = false
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void run()
  })

  async function run(): Promise<void> {
    if (!form || !area || !status) return
    const field = form.elements.namedItem('current') as HTMLInputElement
    const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement
    submit.disabled = true
    const progress = kdfProgress(s)
    status.replaceChildren(progress.el)
    let keys: OfficerKeys
    let currentAuthSecret: Uint8Array
    try {
      const stored = await staffJson<KeysResponse>('GET', '/staff/keys')
      const current = await derive(
        field.value,
        fromBase64(stored.keys.salt),
        stored.keys.kdf,
        progress
      )
      currentAuthSecret = current.authSecret
      try {
        const secrets = unwrapSecrets(stored.keys.wrapped, current.wrapKey)
        keys = officerKeysFromSecrets(secrets.boxSecretKey, secrets.signSeed)
      } catch {
        say(status, s.wrongPassphrase)
        return
      } finally {
        current.wrapKey.fill(0)
      }
    } catch (e) {
      say(status, requestErrorText(e, s))
      return
    } finally {
      submit.disabled = false
    }
    field.value = ''
    form.hidden = true
    status.replaceChildren()

    const passphrase = generatePassphrase()
    const section = showStep(area, s.newPassphraseTitle)
    await passphraseStep(section, passphrase, s)
    const progress2 = kdfProgress(s)
    section.append(progress2.el)
    try {
      const next = await wrapWithPassphrase(keys, passphrase, config.kdf, progress2)
      const request: PassphraseChangeRequest = {
        currentAuthSecret: toBase64(currentAuthSecret),
        keys: next.wrapped,
        authSecret: toBase64(next.authSecret),
      }
      next.authSecret.fill(0)
      await staffJson('POST', '/staff/account/passphrase', request)
      // The session was rotated (a new Ks): keep the keys under the new one.
      await rememberKeys({ accountId: config.accountId, keys })
      progress2.el.remove()
      say(section, s.changeDone, 'ok')
      void showKeysState(s, config.accountId, config.lang)
    } catch (e) {
      progress2.el.remove()
      const text =
        e instanceof StaffRequestError && e.code === 'login-failed'
          ? s.wrongPassphrase
          : requestErrorText(e, s)
      section.append(h('p', { class: 'error', role: 'alert' }, text))
    } finally {
      currentAuthSecret.fill(0)
    }
  }
}

function setUpRecovery(
  s: StaffStrings,
  config: { lang: 'uk' | 'en'; kdf: { m: number; t: number; p: number } }
): void {
  const form = document.getElementById('staff-recover') as HTMLFormElement | null
  const area = document.getElementById('js-area')
  const status = document.getElementById('js-status')
  if (!form || !area || !status) return
  form.hidden = false
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void run()
  })

  async function run(): Promise<void> {
    if (!form || !area || !status) return
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value
    const email = value('email').trim()
    let recoveryKey: Uint8Array
    try {
      recoveryKey = parseRecoveryCode(value('recoveryCode'))
    } catch {
      say(status, s.recoveryCodeBad)
      return
    }
    const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement
    submit.disabled = true
    let started: RecoveryStartResponse
    try {
      started = await staffJson<RecoveryStartResponse>('POST', '/staff/recover/start', {
        email,
        code: value('code'),
      })
    } catch (e) {
      const failed = e instanceof StaffRequestError && e.status === 401
      say(status, failed ? s.recoverFailed : requestErrorText(e, s))
      submit.disabled = false
      return
    }
    let keys: OfficerKeys
    try {
      const secrets = unwrapSecrets(started.recoveryKeys.wrapped, recoveryKey)
      keys = officerKeysFromSecrets(secrets.boxSecretKey, secrets.signSeed)
    } catch {
      say(status, s.recoveryCodeWrong)
      submit.disabled = false
      return
    } finally {
      recoveryKey.fill(0)
    }
    const signature = nacl.sign.detached(
      recoveryChallenge(started.accountId, started.token),
      keys.sign.secretKey
    )
    form.hidden = true
    status.replaceChildren()

    const passphrase = generatePassphrase()
    const section = showStep(area, s.newPassphraseTitle)
    await passphraseStep(section, passphrase, s)
    const progress = kdfProgress(s)
    section.append(progress.el)
    try {
      const next = await wrapWithPassphrase(keys, passphrase, config.kdf, progress)
      const request: RecoveryFinishRequest = {
        email,
        token: started.token,
        signature: toBase64(signature),
        keys: next.wrapped,
        authSecret: toBase64(next.authSecret),
      }
      next.authSecret.fill(0)
      await staffJson('POST', '/staff/recover/finish', request)
      progress.el.remove()
      section.append(
        h('p', { class: 'ok', role: 'status' }, s.recoverDone),
        h(
          'p',
          {},
          h(
            'a',
            { class: 'button primary', href: staffHref('/staff/login', config.lang) },
            s.loginLink
          )
        )
      )
    } catch (e) {
      progress.el.remove()
      section.append(h('p', { class: 'error', role: 'alert' }, requestErrorText(e, s)))
    } finally {
      keys.box.secretKey.fill(0)
      keys.sign.secretKey.fill(0)
      keys.signSeed.fill(0)
    }
  }
}
