// Second factor: RFC 6238 TOTP (SHA-1, 6 digits, 30 s, what every authenticator app speaks).
// The secret is stored sealed under a sub-key of DATA_KEY; each accepted code records its time
// step, and a code whose step is not newer than the last accepted one is refused (no replay).
import { Secret, TOTP } from 'otpauth'
import { encode } from 'uqr'
import type { Clock, Random } from '../deps'
import { ConflictError, type Account, type Store } from '../store/types'
import { openBytes, sealBytes, subkey } from './server-crypto'

export const TOTP_PERIOD_S = 30
/** One step either side: clocks drift, and people type slowly. */
export const TOTP_WINDOW = 1

/** A fresh 160-bit secret, base32 (the form authenticator apps take). */
export function newTotpSecret(random: Random): string {
  const bytes = random.bytes(20)
  return new Secret({ buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 20) }).base32
}

function totp(secretBase32: string, label = 'staff', issuer = ''): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
  })
}

/** otpauth://totp/… for authenticator apps (shown as a QR code and as text). */
export function totpUri(secretBase32: string, email: string, issuer: string): string {
  return totp(secretBase32, email, issuer).toString()
}

/** The quiet zone a QR code needs around it, in modules (ISO/IEC 18004). */
const QR_QUIET = 4

/**
 * The URI as an SVG QR code, drawn on the server: one path of dark modules (1 unit each) on a
 * white square, so no script, image request or inline style is needed (the CSP allows none).
 * `label` is what a screen reader says for it.
 */
export function qrSvg(text: string, label: string): string {
  const qr = encode(text, { ecc: 'M', border: 0 })
  const side = qr.size + 2 * QR_QUIET
  let path = ''
  qr.data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x + QR_QUIET} ${y + QR_QUIET}h1v1h-1z`
    })
  )
  const escaped = label.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" role="img" ` +
    `aria-label="${escaped}" shape-rendering="crispEdges" class="qr">` +
    `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  )
}

/** Digits only; spaces and dashes people type are dropped. '' when it cannot be a code. */
export function cleanTotpCode(value: unknown): string {
  if (typeof value !== 'string') return ''
  const code = value.replace(/[\s-]/g, '')
  return /^\d{6}$/.test(code) ? code : ''
}

/** The time step the code belongs to (within the window), or null when it matches none. */
export function totpStep(secretBase32: string, code: string, now: Date): number | null {
  if (!cleanTotpCode(code)) return null
  const t = totp(secretBase32)
  const delta = t.validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW })
  return delta === null ? null : t.counter({ timestamp: now.getTime() }) + delta
}

export function sealTotpSecret(dataKey: Uint8Array, secretBase32: string): string {
  return Buffer.from(sealBytes(totpKey(dataKey), Buffer.from(secretBase32, 'utf8'))).toString(
    'base64'
  )
}

export function openTotpSecret(dataKey: Uint8Array, sealed: string | undefined): string | null {
  if (!sealed) return null
  const plain = openBytes(totpKey(dataKey), new Uint8Array(Buffer.from(sealed, 'base64')))
  return plain ? Buffer.from(plain).toString('utf8') : null
}

function totpKey(dataKey: Uint8Array): Uint8Array {
  return subkey(dataKey, 'totp-secret')
}

/**
 * Checks a code against the account's stored secret and, if it is good and newer than the last
 * accepted step, records its step. The write is conditional on the account version, so two
 * requests racing with the same code cannot both win.
 */
export async function acceptTotp(
  deps: { store: Store; clock: Clock; dataKey: Uint8Array },
  account: Account,
  code: string
): Promise<boolean> {
  let current: Account | null = account
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const secret = openTotpSecret(deps.dataKey, current.totpSecretSealed)
    if (!secret) return false
    const now = deps.clock.now()
    const step = totpStep(secret, code, now)
    if (step === null) return false
    if (current.totpLastStep !== undefined && step <= current.totpLastStep) return false
    try {
      await deps.store.accounts.update(current.id, current.version, { totpLastStep: step }, now)
      return true
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      current = await deps.store.accounts.get(current.id)
    }
  }
  return false
}
