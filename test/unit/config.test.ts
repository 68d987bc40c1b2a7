import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config'

const HEX32 = 'a'.repeat(64)

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
    })
    expect(c.publicUrl).toBe('http://127.0.0.1:3000')
    expect(c.mongoUri).toBeUndefined()
    expect(c.defaultLanguage).toBe('uk')
    expect(c.secrets.SESSION_SECRET).toBeUndefined()
    expect(Object.isFrozen(c)).toBe(true)
    // Production Argon2id for staff passphrases (tests lower it to the floor: test/helpers/app.ts).
    expect(c.staffKdf).toEqual({ m: 65536, t: 3, p: 1 })
    expect(loadConfig({ STAFF_KDF_MIB: '19', STAFF_KDF_PASSES: '2' }).staffKdf).toEqual({
      m: 19456,
      t: 2,
      p: 1,
    })
  })

  it('names every bad variable in one error', () => {
    try {
      loadConfig({
        PORT: 'abc',
        MONGODB_URI: 'http://x',
        SMTP_URL: 'nope',
        LOG_LEVEL: 'loud',
        SESSION_SECRET: 'short',
      })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      const msg = (err as Error).message
      for (const name of ['PORT', 'MONGODB_URI', 'SMTP_URL', 'LOG_LEVEL', 'SESSION_SECRET']) {
        expect(msg).toContain(name)
      }
      expect((err as ConfigError).problems).toHaveLength(5)
    }
  })

  it('takes ORG_PUBLIC_KEY as base64 or hex of 32 bytes, and nothing else', () => {
    const b64 = Buffer.alloc(32, 9).toString('base64')
    expect(loadConfig({ ORG_PUBLIC_KEY: b64 }).orgPublicKey).toBe(b64)
    expect(loadConfig({ ORG_PUBLIC_KEY: '09'.repeat(32) }).orgPublicKey).toBe(b64)
    expect(loadConfig({}).orgPublicKey).toBeUndefined()
    for (const bad of ['09'.repeat(31), Buffer.alloc(31).toString('base64'), 'not a key']) {
      expect(() => loadConfig({ ORG_PUBLIC_KEY: bad })).toThrow(/ORG_PUBLIC_KEY/)
    }
  })

  it('takes BACKUP_PUBLIC_KEY as base64 or hex of 32 bytes, and nothing else', () => {
    const b64 = Buffer.alloc(32, 5).toString('base64')
    expect(loadConfig({ BACKUP_PUBLIC_KEY: b64 }).backupPublicKey).toBe(b64)
    expect(loadConfig({ BACKUP_PUBLIC_KEY: '05'.repeat(32) }).backupPublicKey).toBe(b64)
    expect(loadConfig({}).backupPublicKey).toBeUndefined()
    for (const bad of ['05'.repeat(31), Buffer.alloc(33).toString('base64'), 'secret']) {
      expect(() => loadConfig({ BACKUP_PUBLIC_KEY: bad })).toThrow(/BACKUP_PUBLIC_KEY/)
    }
  })

  it('requires secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET is required.*RECEIPT_PEPPER is required.*DATA_KEY is required/
    )
    const c = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: HEX32,
      RECEIPT_PEPPER: Buffer.alloc(32, 7).toString('base64'),
      DATA_KEY: HEX32,
      PUBLIC_URL: 'https://report.example.org/',
    })
    expect(c.secrets.RECEIPT_PEPPER).toEqual(new Uint8Array(32).fill(7))
    expect(c.publicUrl).toBe('https://report.example.org')
  })

  it('refuses plain http PUBLIC_URL in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: HEX32,
        RECEIPT_PEPPER: HEX32,
        DATA_KEY: HEX32,
        PUBLIC_URL: 'http://x.org',
      })
    ).toThrow(/PUBLIC_URL must use https/)
  })

  it('checks ports and sizes', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/)
    expect(() => loadConfig({ MAX_FILE_MB: '100', MAX_REPORT_MB: '10' })).toThrow(/MAX_REPORT_MB/)
    expect(loadConfig({ PORT: '8080', MONGODB_URI: 'mongodb://db:27017/portal' }).mongoUri).toBe(
      'mongodb://db:27017/portal'
    )
  })

  it('reads the proof-of-work difficulty per purpose, 0 switching it off', () => {
    expect(loadConfig({}).powBits).toEqual({ submit: 15, receipt: 15, 'staff-login': 15 })
    const c = loadConfig({ POW_BITS: '0', POW_BITS_STAFF_LOGIN: '12', POW_NOJS_PER_MINUTE: '5' })
    expect(c.powBits).toEqual({ submit: 0, receipt: 0, 'staff-login': 12 })
    expect(c.powNoJsPerMinute).toBe(5)
    try {
      loadConfig({ POW_BITS: '40', POW_BITS_RECEIPT: 'x', POW_NOJS_PER_MINUTE: '0' })
      expect.unreachable()
    } catch (err) {
      const problems = (err as ConfigError).problems
      expect(problems).toHaveLength(3)
      expect(problems.join()).toContain('POW_BITS must be a whole number from 0 to 28')
      expect(problems.join()).toContain('POW_BITS_RECEIPT')
      expect(problems.join()).toContain('POW_NOJS_PER_MINUTE')
    }
  })
})
