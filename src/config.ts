// Configuration: every variable is read and checked here, once, and every problem is
// reported together in one readable message. Only server.ts passes process.env in.

import { MAX_WORK_BITS, WORK_PURPOSES, type WorkPurpose } from '../crypto/pow'

export const SECRET_NAMES = ['SESSION_SECRET', 'RECEIPT_PEPPER', 'DATA_KEY'] as const
export type SecretName = (typeof SECRET_NAMES)[number]

export const LANGUAGES = ['uk', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

/**
 * The quick exit's default: a neutral page in Ukrainian (Ukrainian Wikipedia), not an English search
 * page that would stand out on a Ukrainian phone. QUICK_EXIT_URL changes it.
 */
export const DEFAULT_QUICK_EXIT_URL = 'https://uk.wikipedia.org/'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
type LogLevel = (typeof LOG_LEVELS)[number]

export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  dataDir: string
  mongoUri?: string | undefined
  smtpUrl?: string | undefined
  mailFrom: string
  publicUrl: string
  /** Public, stable per deployment: the Argon2id salt of receipt derivations. */
  deploymentSalt?: string | undefined
  orgName: string
  /** A data folder made by `portal demo` (src/demo.ts): every page says so. */
  demo?: boolean
  /** Where the public pages' "Quick exit" button goes: a neutral page (QUICK_EXIT_URL). */
  quickExitUrl: string
  /**
   * The organisation signing key's public half (base64 of 32 bytes), the trust anchor officer
   * certificates are verified against. Unset: the first key seen is kept in DATA_DIR.
   */
  orgPublicKey?: string | undefined
  /**
   * The offline backup key's public half (base64 of 32 bytes, BACKUP_PUBLIC_KEY): `portal backup`
   * encrypts to it; its secret half stays off the server (docs/backup.md).
   */
  backupPublicKey?: string | undefined
  defaultLanguage: Language
  logLevel: LogLevel
  /** Per-file and per-report attachment limits, in bytes. */
  /** A council's own holiday calendar (JSON, the shape of src/domain/holidays-ua.json). */
  holidaysFile?: string | undefined
  /**
   * Whether public holidays are days off for the working-day clocks. Off by default: under martial
   * law (Law 2136-IX) they are working days; moved days from decrees always apply.
   */
  observeHolidays: boolean
  maxFileBytes: number
  maxReportBytes: number
  /** Breakdowns finer than the year show counts below this as "< k" outside the officers' view
   *  (STATS_SMALL_COUNT, default 5; 0 shows every count). */
  statsSmallCount: number
  /**
   * Proof-of-work difficulty in leading zero bits per purpose (POW_BITS, and POW_BITS_SUBMIT,
   * POW_BITS_RECEIPT, POW_BITS_STAFF_LOGIN to override one); 0 switches it off for that purpose.
   */
  powBits: Readonly<Record<WorkPurpose, number>>
  /** No-JS posts (no work possible) per purpose and minute, all instances together. */
  powNoJsPerMinute: number
  /**
   * Argon2id parameters for new staff passphrases (STAFF_KDF_MIB, default 64; STAFF_KDF_PASSES,
   * default 3): the design's defaults; never below the floor the browser enforces (19 MiB, 2).
   */
  staffKdf: { m: number; t: number; p: number }
  /**
   * The onion service's name (ONION_HOSTNAME, a v3 address: 56 base32 letters + ".onion"): reporter
   * pages of the clear-web site announce it (Onion-Location), requests for it get no HSTS and no
   * clear-web links (src/http/onion.ts, docs/deployment.md "Onion service").
   */
  onionHostname?: string | undefined
  /** Bearer token of GET /metrics (METRICS_TOKEN, 32+ characters); unset: /metrics answers 404. */
  metricsToken?: string | undefined
  /** 32-byte secrets; `undefined` only in development, where server.ts generates them under dataDir. */
  secrets: Record<SecretName, Uint8Array | undefined>
}

/**
 * 15 bits: about 33,000 SHA-256 tries on average. Chromium's worker did 35,000-57,000 WebCrypto
 * digests a second on the 2-core CI machine under a load average of 20 (README "Proof of work"); an
 * idle desktop does several times more, a mid-range phone about that: a second or so.
 */
export const DEFAULT_POW_BITS = 15

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`Configuration error: ${problems.join('; ')}.`)
  }
}

type Env = Record<string, string | undefined>

/** Parses and validates the environment. Throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env): Config {
  const problems: string[] = []
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim()
    return v === '' ? undefined : v
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = str(name)
    if (v === undefined) return fallback
    if ((allowed as readonly string[]).includes(v)) return v as T
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${v}")`)
    return fallback
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const v = str(name)
    if (v === undefined) return fallback
    const n = Number(v)
    if (!/^\d+$/.test(v) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}")`)
      return fallback
    }
    return n
  }
  const url = (name: string, protocols: string[]): string | undefined => {
    const v = str(name)
    if (v === undefined) return undefined
    try {
      const u = new URL(v)
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`)
      }
      return v
    } catch {
      problems.push(`${name} is not a valid URL`)
      return undefined
    }
  }

  const nodeEnv = oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development')
  const port = int('PORT', 3000, 1, 65535)
  const host = str('HOST') ?? '127.0.0.1'
  const publicUrl = url('PUBLIC_URL', ['http:', 'https:']) ?? `http://${hostForUrl(host)}:${port}`
  if (nodeEnv === 'production' && !publicUrl.startsWith('https:') && str('PUBLIC_URL')) {
    problems.push('PUBLIC_URL must use https:// in production')
  }

  const secrets = {} as Record<SecretName, Uint8Array | undefined>
  for (const name of SECRET_NAMES) {
    const v = str(name)
    if (v === undefined) {
      if (nodeEnv === 'production') problems.push(`${name} is required in production`)
      secrets[name] = undefined
      continue
    }
    const bytes = decodeSecret(v)
    if (!bytes || bytes.length < 32) {
      problems.push(`${name} must be at least 32 random bytes, hex or base64 encoded`)
    }
    secrets[name] = bytes ?? undefined
  }

  const observeHolidays = oneOf('OBSERVE_HOLIDAYS', ['true', 'false'] as const, 'false') === 'true'

  const maxFileMb = int('MAX_FILE_MB', 50, 1, 2048)
  const maxReportMb = int('MAX_REPORT_MB', 200, 1, 8192)
  const statsSmallCount = int('STATS_SMALL_COUNT', 5, 0, 100)
  const powDefault = int('POW_BITS', DEFAULT_POW_BITS, 0, MAX_WORK_BITS)
  const powBits = Object.fromEntries(
    WORK_PURPOSES.map((p) => [
      p,
      int(`POW_BITS_${p.toUpperCase().replace('-', '_')}`, powDefault, 0, MAX_WORK_BITS),
    ])
  ) as Record<WorkPurpose, number>
  const powNoJsPerMinute = int('POW_NOJS_PER_MINUTE', 20, 1, 100_000)
  // Bounds of crypto/keys.ts (OFFICER_KDF_FLOOR, OFFICER_KDF_CEILING), so no browser refuses them.
  const staffKdfMib = int('STAFF_KDF_MIB', 64, 19, 1024)
  const staffKdfPasses = int('STAFF_KDF_PASSES', 3, 2, 32)
  if (maxReportMb < maxFileMb) problems.push('MAX_REPORT_MB must not be smaller than MAX_FILE_MB')

  const salt = str('DEPLOYMENT_SALT')
  if (salt !== undefined && !/^[0-9a-f]{32,64}$/i.test(salt)) {
    problems.push('DEPLOYMENT_SALT must be 16 to 32 bytes of hex')
  }

  const orgKey = str('ORG_PUBLIC_KEY')
  const orgKeyBytes = orgKey === undefined ? undefined : decodeKey32(orgKey)
  if (orgKey !== undefined && !orgKeyBytes) {
    problems.push('ORG_PUBLIC_KEY must be 32 bytes, base64 or hex')
  }

  const backupKey = str('BACKUP_PUBLIC_KEY')
  const backupKeyBytes = backupKey === undefined ? undefined : decodeKey32(backupKey)
  if (backupKey !== undefined && !backupKeyBytes) {
    problems.push('BACKUP_PUBLIC_KEY must be 32 bytes, base64 or hex (portal backup:keygen)')
  }

  const onion = str('ONION_HOSTNAME')?.toLowerCase()
  if (onion !== undefined && !ONION_V3.test(onion)) {
    problems.push('ONION_HOSTNAME must be a v3 onion address: 56 letters a-z, 2-7, then ".onion"')
  }
  const metricsToken = str('METRICS_TOKEN')
  if (metricsToken !== undefined && !/^[\x21-\x7e]{32,}$/.test(metricsToken)) {
    problems.push(
      'METRICS_TOKEN must be at least 32 characters without spaces (openssl rand -hex 32)'
    )
  }

  const config: Config = {
    env: nodeEnv,
    port,
    host,
    dataDir: str('DATA_DIR') ?? './data',
    mongoUri: url('MONGODB_URI', ['mongodb:', 'mongodb+srv:']),
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: str('MAIL_FROM') ?? 'portal@localhost',
    publicUrl: publicUrl.replace(/\/+$/, ''),
    deploymentSalt: salt?.toLowerCase(),
    orgName: str('ORG_NAME') ?? 'Міська рада',
    quickExitUrl: url('QUICK_EXIT_URL', ['http:', 'https:']) ?? DEFAULT_QUICK_EXIT_URL,
    orgPublicKey: orgKeyBytes && Buffer.from(orgKeyBytes).toString('base64'),
    backupPublicKey: backupKeyBytes && Buffer.from(backupKeyBytes).toString('base64'),
    defaultLanguage: oneOf('DEFAULT_LANGUAGE', LANGUAGES, 'uk'),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    holidaysFile: str('HOLIDAYS_FILE'),
    observeHolidays,
    maxFileBytes: maxFileMb * 1024 * 1024,
    maxReportBytes: maxReportMb * 1024 * 1024,
    statsSmallCount,
    powBits: Object.freeze(powBits),
    powNoJsPerMinute,
    staffKdf: { m: staffKdfMib * 1024, t: staffKdfPasses, p: 1 },
    onionHostname: onion,
    metricsToken,
    secrets,
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(config)
}

/** Tor's v3 onion service names (rend-spec-v3): base32 of 35 bytes. */
const ONION_V3 = /^[a-z2-7]{56}\.onion$/

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** A 32-byte public key in hex (64 characters) or base64 (44 with padding, 43 without). */
function decodeKey32(value: string): Uint8Array | undefined {
  const hex = /^[0-9a-f]{64}$/i.test(value)
  if (!hex && !/^[A-Za-z0-9+/]{43}=?$/.test(value)) return undefined
  const bytes = new Uint8Array(Buffer.from(value, hex ? 'hex' : 'base64'))
  return bytes.length === 32 ? bytes : undefined
}

/** Accepts hex (64+ chars) or base64/base64url (43+ chars). */
export function decodeSecret(value: string): Uint8Array | null {
  if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0) {
    return Uint8Array.from(value.match(/../g) ?? [], (h) => parseInt(h, 16))
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const b = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    return new Uint8Array(b)
  }
  return null
}
