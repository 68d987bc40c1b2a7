// The admin accounts page (/staff/admin/accounts): everything the organisation key signs happens
// here, in the admin's browser. Creating the org key (its seed sealed to my box key), certifying
// an account's keys after the read-out fingerprint matched them, revoking a certificate. The
// forms stay ordinary posts: this script fills their hidden fields with the signed statement,
// posts the form itself and follows the redirect; the server only verifies and stores.
import {
  bytesEqual,
  formatFingerprint,
  fromBase64,
  generateOrgKey,
  keyFingerprint,
  orgKeyFromSeed,
  seal,
  sealOpen,
  signCertificate,
  signRevocation,
  toBase64,
  type OrgKey,
} from '../../crypto'
import type { StaffPageConfig } from '../staff/api'
import { cryptoAvailable, h } from './dom'
import { unlockedKeys, type UnlockedKeys } from './staff-keys'
import { staffStrings, type StaffStrings } from './staff-i18n'
import { readStaffConfig, say, staffHref } from './staff-ui'

type AdminConfig = Extract<StaffPageConfig, { page: 'admin' }>

/** A problem to show instead of submitting; the text is one of the page's strings. */
class Refusal extends Error {}

// Capture phase on the document: before any handler on the form itself. Read at each submit,
// so it is the page now shown (after boosted navigation too).
document.addEventListener(
  'submit',
  (e) => {
    const config = readStaffConfig('admin')
    if (config && cryptoAvailable()) void onSubmit(e, config, staffStrings(config.lang))
  },
  true
)

/** The account row a form belongs to, with the public keys the server listed for it. */
function rowOf(form: HTMLFormElement) {
  const row = form.closest('tr')
  const d = row?.dataset
  if (!d?.account || !d.box || !d.sign) throw new Refusal('')
  return { id: d.account, box: d.box, sign: d.sign, roles: (d.roles ?? '').split(' ') }
}

function setField(form: HTMLFormElement, name: string, value: string): void {
  const input = form.elements.namedItem(name)
  if (input instanceof HTMLInputElement) input.value = value
}

async function myKeys(cfg: AdminConfig, s: StaffStrings): Promise<UnlockedKeys> {
  const me = await unlockedKeys()
  if (!me || me.accountId !== cfg.accountId) throw new Refusal(s.orgNeedsKeys)
  return me
}

/** Opens my sealed copy of the org seed and checks it against the anchored public key. */
function openOrgKey(cfg: AdminConfig, me: UnlockedKeys, s: StaffStrings): OrgKey {
  if (!cfg.sealedSeed || !cfg.orgPublicKey) throw new Refusal(s.orgNotHeld)
  let org: OrgKey
  try {
    const seed = sealOpen(fromBase64(cfg.sealedSeed), me.keys.box.publicKey, me.keys.box.secretKey)
    org = orgKeyFromSeed(seed)
    seed.fill(0)
  } catch {
    throw new Refusal(s.orgNotHeld)
  }
  if (!bytesEqual(org.publicKey, fromBase64(cfg.orgPublicKey))) throw new Refusal(s.orgWrongKey)
  return org
}

function certify(
  org: OrgKey,
  who: { id: string; box: string; sign: string; roles: string[] },
  now: string
): string {
  return signCertificate(
    {
      accountId: who.id,
      boxPublicKey: who.box,
      signPublicKey: who.sign,
      roles: who.roles.filter((r) => r !== ''),
      notBefore: now,
      issuedAt: now,
    },
    org.secretKey
  )
}

/** Fills the form's hidden fields; throws Refusal when nothing may be sent. */
async function prepare(form: HTMLFormElement, cfg: AdminConfig, s: StaffStrings): Promise<void> {
  // The earlier clock: a certificate the server already counts as valid, whichever clock is slow.
  const now = new Date(Math.min(Date.now(), Date.parse(cfg.now) || Date.now())).toISOString()
  const me = await myKeys(cfg, s)
  if (form.classList.contains('org-create-form')) {
    const org = generateOrgKey()
    setField(form, 'publicKey', toBase64(org.publicKey))
    setField(form, 'sealedSeed', toBase64(seal(org.seed, me.keys.box.publicKey)))
    // My own keys need no read-out: they are the ones unlocked here.
    const mine = document.querySelector<HTMLElement>(
      `tr[data-account="${CSS.escape(me.accountId)}"]`
    )
    const d = mine?.dataset
    if (d?.box === toBase64(me.keys.box.publicKey) && d.sign === toBase64(me.keys.sign.publicKey)) {
      const who = { id: me.accountId, box: d.box, sign: d.sign, roles: (d.roles ?? '').split(' ') }
      setField(form, 'certificate', certify(org, who, now))
    }
    org.secretKey.fill(0)
    return
  }
  const org = openOrgKey(cfg, me, s)
  const who = rowOf(form)
  if (form.classList.contains('certify-form')) {
    const typed = new FormData(form).get('fingerprint')
    const expected = formatFingerprint(keyFingerprint(fromBase64(who.box), fromBase64(who.sign)))
    const norm = (v: unknown) =>
      typeof v === 'string' ? v.toLowerCase().replace(/[^0-9a-f]/g, '') : ''
    if (norm(typed) !== norm(expected)) throw new Refusal(s.certifyMismatch)
    setField(form, 'statement', certify(org, who, now))
    // A certified admin gets the org key too, sealed to their own box key.
    if (who.roles.includes('admin')) {
      setField(form, 'sealedSeed', toBase64(seal(org.seed, fromBase64(who.box))))
    }
  } else {
    setField(
      form,
      'statement',
      signRevocation({ accountId: who.id, signPublicKey: who.sign, revokedAt: now }, org.secretKey)
    )
  }
  org.secretKey.fill(0)
}

const SIGNED_FORMS = '.org-create-form, .certify-form, .action-revoke-certificate'

async function onSubmit(e: Event, cfg: AdminConfig, s: StaffStrings): Promise<void> {
  const form = e.target
  if (!(form instanceof HTMLFormElement) || !form.matches(SIGNED_FORMS)) return
  e.preventDefault()
  e.stopPropagation()
  const status = document.getElementById('certify-status')
  try {
    await prepare(form, cfg, s)
  } catch (err) {
    if (!status) return
    const text = err instanceof Refusal && err.message ? err.message : s.serverError
    say(status, text)
    if (text === s.orgNeedsKeys) {
      const next = encodeURIComponent('/staff/admin/accounts')
      status.append(
        h(
          'p',
          {},
          h('a', { href: staffHref(`/staff/unlock?next=${next}`, cfg.lang) }, s.unlockLink)
        )
      )
    }
    return
  }
  if (status) say(status, s.working, 'info')
  // Posted here rather than re-submitted, so that no other submit handler (htmx) can drop it.
  try {
    const body = new URLSearchParams()
    for (const [k, v] of new FormData(form)) if (typeof v === 'string') body.append(k, v)
    const res = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin' })
    location.assign(res.url)
  } catch {
    if (status) say(status, s.networkError)
  }
}
