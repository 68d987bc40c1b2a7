// `portal demo` into a temporary folder: three accounts whose printed passphrases unlock their
// keys, the officer certified by the organisation key, the 2020 plan, and a year of sample
// reports in every state, each sealed to the officer: the officer's keys (unwrapped with the
// printed passphrase) open the grant and decrypt the report; each case got to its state through
// the officer's lifecycle (registration number, audit trail of transitions, clocks), and the
// organisation's profile is filled in. A second run, and a run on a
// folder holding a real organisation, are refused.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { fromBase64 } from '../../crypto/encoding'
import { openItem } from '../../crypto/item'
import {
  deriveOfficerKeys,
  officerKeysFromSecrets,
  openGrant,
  unwrapSecrets,
} from '../../crypto/keys'
import { runCli } from '../../src/cli/run'
import { loadConfig } from '../../src/config'
import { isDemoDataDir } from '../../src/demo'
import { CASE_STATES } from '../../src/domain/vocab'
import { createLogger } from '../../src/log'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { createCertificates } from '../../src/staff/certificates'
import { openStore } from '../../src/store'

const root = mkdtempSync(join(tmpdir(), 'portal-demo-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function demo(dir: string) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(['demo', '--data-dir', dir], {
    env: { NODE_ENV: 'test' },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

it(
  'makes a demonstration whose cases the officer decrypts with the printed passphrase',
  { timeout: 120_000 },
  async () => {
    const dir = join(root, 'demo')
    const run = await demo(dir)
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(isDemoDataDir(dir)).toBe(true)
    const passphraseOf = (email: string) =>
      new RegExp(`${email.replace('.', '\\.')}\\n\\s+passphrase:\\s+([a-z -]+)\\n`).exec(
        run.out
      )?.[1]
    const officerPassphrase = passphraseOf('officer@demo.example')
    expect(officerPassphrase?.split(' ')).toHaveLength(7)

    const config = loadConfig({ DATA_DIR: dir })
    const store = await openStore(config)
    try {
      const accounts = await store.accounts.list()
      expect(accounts.map((a) => a.roles[0]).sort()).toEqual(['admin', 'management', 'officer'])
      const officer = accounts.find((a) => a.roles.includes('officer'))!
      const certs = createCertificates({
        config,
        store,
        clock: { now: () => new Date() },
        log: createLogger({ logLevel: 'silent' }),
      })
      expect((await certs.recipients()).map((r) => r.id)).toEqual([officer.id])
      expect((await store.plan.listYear(2020)).length).toBeGreaterThan(10)

      const { wrapKey } = await deriveOfficerKeys(
        officerPassphrase!,
        fromBase64(officer.keys!.salt),
        officer.keys!.kdf,
        nativeArgon2id
      )
      const secrets = unwrapSecrets(officer.keys!.wrapped, wrapKey)
      const keys = officerKeysFromSecrets(secrets.boxSecretKey, secrets.signSeed)

      const { items: cases } = await store.cases.list({}, 1, 100)
      expect(new Set(cases.map((c) => c.state))).toEqual(new Set(CASE_STATES))
      const months = new Set(cases.map((c) => c.receivedAt.toISOString().slice(0, 7)))
      expect(months.size).toBeGreaterThanOrEqual(10)
      for (const c of cases) {
        const grant = (await store.grants.get(c.id, 'officer', officer.id))!
        const casePublicKey = fromBase64(c.casePublicKey)
        const caseKey = openGrant(
          grant.sealedKey,
          keys.box.publicKey,
          keys.box.secretKey,
          casePublicKey
        )
        const [answers] = await store.items.list(c.id)
        const opened = openItem(answers!.sealed, casePublicKey, caseKey, { caseId: c.id })
        const body = opened.envelope.body as { answers: { what: string } }
        expect(body.answers.what.length).toBeGreaterThan(20)

        // It got to its state as a real case does: registered (unless new or spam), each
        // transition in the audit trail by the officer, chained from 'received' to its state.
        const trail = await store.audit.listForSubject(c.id)
        const moves = trail.filter((e) => e.action === 'case.action')
        const states = moves.filter((e) => e.details.from !== e.details.to)
        expect(states.at(0)?.details.from ?? 'received').toBe('received')
        expect(states.at(-1)?.details.to ?? 'received').toBe(c.state)
        for (let i = 1; i < states.length; i++) {
          expect(states[i]!.details.from).toBe(states[i - 1]!.details.to)
        }
        expect(moves.every((e) => e.actorId === officer.id)).toBe(true)
        const registered = trail.find((e) => e.action === 'case.register')
        if (c.state === 'received' || c.outcome === 'spam') {
          expect(c.registrationNo).toBeUndefined()
        } else {
          expect(c.registrationNo).toMatch(/^\d{4}\/\d{4}$/)
          expect(registered?.details.registrationNo).toBe(c.registrationNo)
        }
        if (c.referral) expect(c.state === 'referred' || c.outcome === 'referred').toBe(true)
        if (c.state === 'referred') expect(c.referral?.body).toBeDefined()
        // Clocks stored (the first change stores them; spam stops them all), and a closed case
        // has no investigation left running.
        if (c.state !== 'received' && c.outcome !== 'spam') {
          expect(c.clocks.length, `${c.state} ${c.outcome}`).toBeGreaterThan(0)
        }
        if (c.state === 'closed') {
          const open = c.clocks.filter((k) => !k.metAt)
          expect(open.map((k) => k.kind)).not.toContain('investigation')
        }
      }
      const numbers = cases.flatMap((c) => (c.registrationNo ? [c.registrationNo] : []))
      expect(new Set(numbers).size).toBe(numbers.length)
      expect(numbers.length).toBeGreaterThanOrEqual(8)
      // The organisation's profile, as an admin would write it, in both languages.
      const org = await store.org.get()
      expect(org?.names).toEqual({
        uk: 'Демонстраційна міська рада',
        en: 'Demonstration City Council',
      })
      expect(org?.privacy.uk).toContain('демонстраційний')
    } finally {
      await store.close()
    }

    // Once made, the folder is not made again.
    const again = await demo(dir)
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/already holds the demonstration/)
  }
)

it('refuses a folder that holds a real organisation', async () => {
  const dir = join(root, 'real')
  const store = await openStore(loadConfig({ DATA_DIR: dir }))
  await store.accounts.create({
    id: 'real-admin',
    email: 'admin@council.example',
    displayName: 'Admin',
    roles: ['admin'],
    status: 'active',
    notifyDigest: false,
    createdAt: new Date(),
  })
  await store.close()
  const run = await demo(dir)
  expect(run.code).toBe(1)
  expect(run.err).toMatch(/refused: .* holds a real organisation/)
  expect(isDemoDataDir(dir)).toBe(false)
})
