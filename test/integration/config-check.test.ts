// `npx portal config:check` (docs/deployment.md "Checking the settings"): the built CLI reads the
// environment as the server does; errors and unsafe combinations exit 1, a sound production
// setting exits 0. Also for the same warnings at start (src/server.ts logs them).
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { CLI_JS, run } from '../helpers/proc'

const HEX = (c: string) => c.repeat(64)
/** The guide's way to make a secret (docs/deployment.md "Containers"). */
const secret = () => execFileSync('openssl', ['rand', '-hex', '32']).toString().trim()
const ONION = `${'a'.repeat(56)}.onion`
const SOUND = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://report.example.gov.ua',
  SESSION_SECRET: secret(),
  RECEIPT_PEPPER: secret(),
  DATA_KEY: secret(),
  SMTP_URL: 'smtp://mail.example.gov.ua:587',
  DATA_DIR: '/nonexistent/not-opened-by-the-check',
}

async function check(env: Record<string, string>) {
  const p = run([CLI_JS, 'config:check'], env)
  const { code } = await p.exited
  return { code, out: p.stdout(), err: p.stderr() }
}

describe('portal config:check', () => {
  it('passes a sound production setting', async () => {
    const r = await check({ ...SOUND, ONION_HOSTNAME: ONION, METRICS_TOKEN: 'm'.repeat(40) })
    expect(r.out).toContain('settings OK: production, https://report.example.gov.ua, onion ')
    expect(r.out).toContain('/metrics on')
    expect(r.code).toBe(0)
  })

  it('names each bad value', async () => {
    const r = await check({ ...SOUND, ONION_HOSTNAME: 'example.onion', METRICS_TOKEN: 'short' })
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^error: ONION_HOSTNAME must be a v3 onion address/m)
    expect(r.out).toMatch(/^error: METRICS_TOKEN must be at least 32 characters/m)
  })

  it('warns about unsafe combinations', async () => {
    const r = await check({
      ...SOUND,
      PUBLIC_URL: 'http://report.example.gov.ua',
      NODE_ENV: 'development',
      ONION_HOSTNAME: ONION,
      MONGO_URL: 'mongodb://db/portal',
    })
    expect(r.code).toBe(1)
    expect(r.out).toContain('warning: MONGO_URL is not read by the portal: use MONGODB_URI')
    expect(r.out).toContain('warning: ONION_HOSTNAME is set but PUBLIC_URL is not https://')

    const mongo = await check({
      ...SOUND,
      MONGODB_URI: 'mongodb://db1/portal',
      SMTP_URL: '',
      POW_BITS_SUBMIT: '0',
      SESSION_SECRET: HEX('1'),
      DATA_KEY: HEX('1'),
      METRICS_TOKEN: HEX('1'),
    })
    expect(mongo.code).toBe(1)
    for (const w of [
      'ORG_PUBLIC_KEY is unset with MONGODB_URI',
      'MONGODB_URI names no replicaSet',
      'SMTP_URL is unset',
      'proof of work is off for: submit',
      'DATA_KEY is the same as SESSION_SECRET',
      'METRICS_TOKEN is one of the secrets',
    ]) {
      expect(mongo.out).toContain(`warning: ${w}`)
    }
    expect(mongo.out).toContain('6 warning(s): production')
  })
})
