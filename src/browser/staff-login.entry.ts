// Signing in (/staff/login) and unlocking the keys again (/staff/unlock). The passphrase becomes
// wrapKey ‖ authSecret in the Argon2id worker; only authSecret is sent. After the TOTP step the
// wrapped secrets are fetched and opened with wrapKey, and kept for this tab (staff-keys.ts).
import { bytesEqual, fromBase64, toBase64 } from '../../crypto/encoding'
import { officerKeysFromSecrets, unwrapSecrets, type OfficerKeys } from '../../crypto/keys'
import type { KeysResponse, LoginParamsResponse, LoginResponse, NextResponse } from '../staff/api'
import { cryptoAvailable, setBusy } from './dom'
import { once, onPage } from './page'
import { forgetKeys, rememberKeys } from './staff-keys'
import { workIndicator } from './progress'
import { solveWork } from './work'
import { staffStrings, type StaffStrings } from './staff-i18n'
import {
  derive,
  kdfProgress,
  readStaffConfig,
  requestErrorText,
  say,
  staffForm,
  staffHref,
  staffJson,
  StaffRequestError,
} from './staff-ui'

onPage(() => {
  const login = readStaffConfig('login')
  const unlock = readStaffConfig('unlock')
  const status = document.getElementById('js-status')
  if (!cryptoAvailable() || !status || !once(status, 'Login')) return
  if (login) setUpLogin(staffStrings(login.lang), login.lang, status)
  if (unlock) setUpUnlock(staffStrings(unlock.lang), unlock.lang, unlock.next, status)
})

function setUpLogin(s: StaffStrings, lang: 'uk' | 'en', status: HTMLElement): void {
  // Whatever an earlier session left in this tab is useless now; clear it.
  forgetKeys()
  const form = document.getElementById('staff-login') as HTMLFormElement | null
  const totpStep = document.getElementById('staff-totp-step')
  const totpForm = document.getElementById('staff-totp') as HTMLFormElement | null
  if (!form || !totpStep || !totpForm) return
  form.hidden = false
  document.getElementById('staff-login-nojs')?.remove()
  let wrapKey: Uint8Array | null = null

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void passphraseStep()
  })
  totpForm.addEventListener('submit', (e) => {
    e.preventDefault()
    void codeStep()
  })

  async function passphraseStep(): Promise<void> {
    if (!form) return
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim()
    const field = form.elements.namedItem('passphrase') as HTMLInputElement
    const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement
    // The honeypot: a person whose browser filled it is told; nothing is sent.
    const trap = form.elements.namedItem('website')
    if (trap instanceof HTMLInputElement && trap.value !== '') {
      say(status, s.honeypotFilled)
      return
    }
    submit.disabled = true
    setBusy(form, true)
    const progress = kdfProgress(s)
    status.replaceChildren(progress.el)
    try {
      const params = await staffJson<LoginParamsResponse>('POST', '/staff/login/params', { email })
      const derived = await derive(
        field.value,
        fromBase64(params.salt),
        params.kdf,
        progress
      ).catch(() => {
        throw new Error('kdf')
      })
      // Proof of work for this one attempt, in its own worker (work.ts), then the sign-in.
      const workBar = workIndicator(s.workProgress)
      status.replaceChildren(workBar.el)
      const proof = await solveWork('staff-login', (f) => workBar.update(f)).catch(() => {
        throw new Error('work')
      })
      workBar.finish()
      const res = await staffJson<LoginResponse>(
        'POST',
        '/staff/login',
        { email, authSecret: toBase64(derived.authSecret) },
        proof ? { 'X-Proof-Of-Work': proof } : {}
      )
      derived.authSecret.fill(0)
      field.value = ''
      if (res.totpSetup) {
        derived.wrapKey.fill(0)
        location.assign(staffHref(res.next, lang))
        return
      }
      wrapKey = derived.wrapKey
      form.hidden = true
      totpStep!.hidden = false
      status.replaceChildren()
      ;(totpForm!.elements.namedItem('code') as HTMLInputElement).focus()
    } catch (e) {
      if (e instanceof StaffRequestError && e.status === 401) say(status, s.loginFailed)
      else if (e instanceof Error && e.message === 'kdf') say(status, s.kdfFailed)
      else if (e instanceof Error && e.message === 'work') say(status, s.workFailed)
      else if (e instanceof StaffRequestError && e.code.startsWith('work-')) {
        say(status, s.workRefused)
      } else say(status, requestErrorText(e, s))
    } finally {
      submit.disabled = false
      setBusy(form, false)
    }
  }

  async function codeStep(): Promise<void> {
    if (!totpForm) return
    const submit = totpForm.querySelector('button[type="submit"]') as HTMLButtonElement
    submit.disabled = true
    try {
      const res = await staffForm<NextResponse>('/staff/login/totp', totpForm)
      const ok = wrapKey ? await openAndRemember(wrapKey) : false
      wrapKey?.fill(0)
      wrapKey = null
      if (!ok) {
        say(status, s.keysProblem)
        return
      }
      location.assign(res.next)
    } catch (e) {
      if (e instanceof StaffRequestError && e.status === 401 && e.code === 'login-failed') {
        say(status, s.codeWrong)
        ;(totpForm.elements.namedItem('code') as HTMLInputElement).select()
      } else if (e instanceof StaffRequestError && e.status === 401) {
        // The pending sign-in expired: back to the passphrase.
        wrapKey?.fill(0)
        wrapKey = null
        totpStep!.hidden = true
        form!.hidden = false
        say(status, s.sessionExpired)
      } else {
        say(status, requestErrorText(e, s))
      }
    } finally {
      submit.disabled = false
    }
  }
}

function setUpUnlock(s: StaffStrings, lang: 'uk' | 'en', next: string, status: HTMLElement): void {
  const form = document.getElementById('staff-unlock') as HTMLFormElement | null
  if (!form) return
  form.hidden = false
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void run()
  })

  async function run(): Promise<void> {
    if (!form) return
    const field = form.elements.namedItem('passphrase') as HTMLInputElement
    const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement
    submit.disabled = true
    const progress = kdfProgress(s)
    status.replaceChildren(progress.el)
    try {
      const stored = await staffJson<KeysResponse>('GET', '/staff/keys')
      let derived: { wrapKey: Uint8Array; authSecret: Uint8Array }
      try {
        derived = await derive(field.value, fromBase64(stored.keys.salt), stored.keys.kdf, progress)
      } catch {
        say(status, s.kdfFailed)
        return
      }
      derived.authSecret.fill(0)
      const ok = await openAndRemember(derived.wrapKey, stored)
      derived.wrapKey.fill(0)
      if (!ok) {
        say(status, s.wrongPassphrase)
        return
      }
      field.value = ''
      location.assign(staffHref(next, lang))
    } catch (e) {
      say(status, requestErrorText(e, s))
    } finally {
      submit.disabled = false
    }
  }
}

/**
 * Opens the wrapped secrets with wrapKey, checks they belong to the account's public keys and
 * keeps them for this tab. False when they do not open (wrong passphrase) or do not match.
 */
async function openAndRemember(wrapKey: Uint8Array, known?: KeysResponse): Promise<boolean> {
  const stored = known ?? (await staffJson<KeysResponse>('GET', '/staff/keys'))
  let keys: OfficerKeys
  try {
    const secrets = unwrapSecrets(stored.keys.wrapped, wrapKey)
    keys = officerKeysFromSecrets(secrets.boxSecretKey, secrets.signSeed)
    secrets.boxSecretKey.fill(0)
    secrets.signSeed.fill(0)
  } catch {
    return false
  }
  const matches =
    bytesEqual(keys.box.publicKey, fromBase64(stored.boxPublicKey)) &&
    bytesEqual(keys.sign.publicKey, fromBase64(stored.signPublicKey))
  if (!matches) return false
  await rememberKeys({ accountId: stored.accountId, keys })
  return true
}
