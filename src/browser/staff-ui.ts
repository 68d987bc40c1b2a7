// Shared by the staff pages' scripts: page data, JSON requests, generated passphrases, key
// derivation in the Argon2id worker with a progress bar, and wrapping the officer's secrets.
import { fromBase64, toBase64 } from '../../crypto/encoding'
import {
  deriveOfficerKeys,
  formatFingerprint,
  generateKdfSalt,
  keyFingerprint,
  wrapSecrets,
  type KdfParams,
  type OfficerKeys,
} from '../../crypto/keys'
import type { StaffApiError, StaffPageConfig, WrappedKeys } from '../staff/api'
import { h } from './dom'
import { workerArgon2id } from './kdf'
import type { StaffStrings } from './staff-i18n'

export { generatePassphrase, PASSPHRASE_WORDS } from '../../crypto/passphrase'

/** The page's JSON data block, if it is the expected page. */
export function readStaffConfig<P extends StaffPageConfig['page']>(
  page: P
): Extract<StaffPageConfig, { page: P }> | null {
  const el = document.getElementById('staff-config')
  if (!el?.textContent) return null
  try {
    const c = JSON.parse(el.textContent) as StaffPageConfig
    return c.page === page ? (c as Extract<StaffPageConfig, { page: P }>) : null
  } catch {
    return null
  }
}

/** A request that got no answer (status 0) or an error answer. */
export class StaffRequestError extends Error {
  override readonly name = 'StaffRequestError'
  constructor(
    readonly status: number,
    readonly code: StaffApiError['error'] | 'network' | 'unknown'
  ) {
    super(`staff request ${status} ${code}`)
  }
}

/** Same-origin JSON request with the staff cookie; throws StaffRequestError unless 2xx. */
export async function staffJson<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {}
): Promise<T> {
  return parse<T>(
    await send(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...extraHeaders,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  )
}

/** Posts a plain form (as the no-JS path would) but asks for a JSON answer. */
export async function staffForm<T>(path: string, form: HTMLFormElement): Promise<T> {
  const body = new URLSearchParams()
  for (const [k, v] of new FormData(form)) if (typeof v === 'string') body.append(k, v)
  return parse<T>(
    await send(path, { method: 'POST', headers: { Accept: 'application/json' }, body })
  )
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { ...init, credentials: 'same-origin', cache: 'no-store' })
  } catch {
    throw new StaffRequestError(0, 'network')
  }
}

async function parse<T>(res: Response): Promise<T> {
  if (res.ok) return res.status === 204 ? (undefined as T) : ((await res.json()) as T)
  let code: StaffRequestError['code'] = 'unknown'
  try {
    code = ((await res.json()) as Partial<StaffApiError>).error ?? 'unknown'
  } catch {
    // Not JSON: the status is all there is.
  }
  throw new StaffRequestError(res.status, code)
}

export function requestErrorText(e: unknown, s: StaffStrings): string {
  if (!(e instanceof StaffRequestError)) return s.serverError
  if (e.status === 0) return s.networkError
  if (e.status === 429) return s.slowDown
  if (e.status === 401) return s.sessionExpired
  return s.serverError
}

/** What gets derived: spacing and capitals as typed do not matter (the words are lower case). */
export function normalizePassphrase(typed: string): string {
  return typed.normalize('NFKC').trim().toLowerCase().split(/\s+/).join(' ')
}

export interface Progress {
  el: HTMLElement
  update(fraction: number | null): void
}

/** A <progress> bar for the Argon2id worker, with a readable label. */
export function kdfProgress(s: StaffStrings): Progress {
  const id = `kdf-${Math.random().toString(36).slice(2)}`
  const label = h('span', { class: 'js-progress-label', id }, s.kdfProgress)
  const bar = h('progress', { class: 'js-kdf-progress', max: 100, 'aria-labelledby': id })
  return {
    el: h('div', { class: 'js-progress' }, label, bar),
    update(fraction) {
      if (fraction === null) bar.removeAttribute('value')
      else bar.value = Math.round(fraction * 100)
    },
  }
}

/** wrapKey ‖ authSecret from the passphrase, in the worker; the client's KDF floor applies. */
export function derive(
  passphrase: string,
  salt: Uint8Array,
  kdf: KdfParams,
  progress?: Progress
): Promise<{ wrapKey: Uint8Array; authSecret: Uint8Array }> {
  return deriveOfficerKeys(
    normalizePassphrase(passphrase),
    salt,
    kdf,
    workerArgon2id((f) => progress?.update(f))
  )
}

/** Locks the officer's secrets under a (new) passphrase with a fresh salt. */
export async function wrapWithPassphrase(
  keys: OfficerKeys,
  passphrase: string,
  kdf: KdfParams,
  progress?: Progress
): Promise<{ wrapped: WrappedKeys; authSecret: Uint8Array }> {
  const salt = generateKdfSalt()
  const { wrapKey, authSecret } = await derive(passphrase, salt, kdf, progress)
  const wrapped = wrapSecrets(wrapKey, keys.box.secretKey, keys.signSeed)
  wrapKey.fill(0)
  return { wrapped: { wrapped, salt: toBase64(salt), kdf: { ...kdf } }, authSecret }
}

export function fingerprintOf(keys: Pick<OfficerKeys, 'box' | 'sign'>): string {
  return formatFingerprint(keyFingerprint(keys.box.publicKey, keys.sign.publicKey))
}

export function fromB64(text: string): Uint8Array {
  return fromBase64(text)
}

/** Same path with ?lang=en kept on English pages (Ukrainian is the default). */
export function staffHref(path: string, lang: 'uk' | 'en'): string {
  if (lang !== 'en') return path
  return `${path}${path.includes('?') ? '&' : '?'}lang=en`
}

/** A status line for errors and news, announced to screen readers. */
export function say(
  area: HTMLElement,
  text: string,
  kind: 'error' | 'ok' | 'info' = 'error'
): void {
  area.replaceChildren(
    h(
      'p',
      { class: kind === 'info' ? 'hint' : kind, role: kind === 'error' ? 'alert' : undefined },
      text
    )
  )
}

/**
 * The passphrase step: shows the words with the rules, a "written down" box and a re-typing
 * check. Resolves when both are done.
 */
export function passphraseStep(
  section: HTMLElement,
  passphrase: string,
  s: StaffStrings
): Promise<void> {
  return new Promise((done) => {
    const words = h('p', { class: 'passphrase js-passphrase', translate: 'no' }, passphrase)
    const rules = h(
      'ul',
      { class: 'passphrase-rules' },
      ...s.passphraseRules.map((r) => h('li', {}, r))
    )
    const box = h('input', { type: 'checkbox', id: 'passphrase-written' })
    const retype = h('input', {
      type: 'text',
      id: 'passphrase-retype',
      autocomplete: 'off',
      autocapitalize: 'none',
      spellcheck: 'false',
    })
    const status = h('div', { class: 'js-step-status', 'aria-live': 'polite' })
    const next = h('button', { type: 'submit', class: 'primary', disabled: true }, s.continue)
    box.addEventListener('change', () => (next.disabled = !box.checked))
    const form = h(
      'form',
      { class: 'js-passphrase-form' },
      h('div', { class: 'choice' }, box, h('label', { for: 'passphrase-written' }, s.writtenDown)),
      h('div', { class: 'field' }, h('label', { for: 'passphrase-retype' }, s.retype), retype),
      status,
      h('p', {}, next)
    )
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      if (!box.checked) return
      if (normalizePassphrase(retype.value) !== normalizePassphrase(passphrase)) {
        say(status, s.retypeWrong)
        retype.focus()
        return
      }
      form.remove()
      done()
    })
    section.append(h('p', {}, s.passphraseIntro), words, rules, form)
  })
}
