// `portal demo [--data-dir DIR]`: a demonstration organisation in its own data folder (default
// ./data-demo), so the whole product can be seen in five minutes: an admin, an officer and a
// management account (passphrases printed; each sets up its authenticator at first sign-in),
// the organisation key made and both staff keys certified with it, the 2020 sample plan, and a
// year of sample reports in every state, sealed to the officer's keys exactly as a reporter's
// browser seals them (crypto/ in Node), posted through the app's own report API, then taken by
// the officer to their states through the lifecycle (demo-lifecycle.ts), and the organisation's
// name, contact page and privacy notice as an admin would write them.
// Refused on a folder that already holds an organisation; the folder gets the DEMO marker, and
// the server then shows a banner on every page.
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateOrgKey, signCertificate } from '../../crypto/certificate'
import { toBase64 } from '../../crypto/encoding'
import {
  deriveOfficerKeys,
  generateKdfSalt,
  generateOfficerKeys,
  formatRecoveryCode,
  generateRecoveryKey,
  wrapSecrets,
} from '../../crypto/keys'
import { generatePassphrase } from '../../crypto/passphrase'
import { seal } from '../../crypto/sealedbox'
import { createApp } from '../app'
import { ConfigError, loadConfig, type Config } from '../config'
import type { AppDeps } from '../deps'
import { DEMO_MARKER, DEMO_ORG_NAME, isDemoDataDir } from '../demo'
import type { Role } from '../domain/vocab'
import { createLogger } from '../log'
import { unconfiguredMailer } from '../mail/transport'
import { createOfficerCases } from '../officer/cases'
import { officerLifecycleRules, uaCalendar } from '../officer/rules'
import { replacePlan } from '../plan/import'
import { planSample } from '../plan/samples'
import type { ReporterPageConfig } from '../report/api'
import { nativeArgon2id } from '../report/native-argon2'
import { ensureSecrets } from '../secrets'
import { RECOVERY_NO_KDF } from '../staff/api'
import { createCertificates } from '../staff/certificates'
import { STAFF_KDF } from '../staff/login'
import { hashAuthSecret } from '../staff/server-crypto'
import { openStore } from '../store'
import type { Account, Store } from '../store/types'
import { EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, type CliIo, type Command } from './command'
import SAMPLES from './demo-cases.json' with { type: 'json' }
import { buildClientReport } from '../report/client-report'
import { walkSample, type SampleCase } from './demo-lifecycle'

const USAGE = '[--data-dir DIR]'
const DEFAULT_DIR = './data-demo'
const PEOPLE: { role: Role; name: string }[] = [
  { role: 'admin', name: 'Адміністраторка (демо)' },
  { role: 'officer', name: 'Уповноважений з антикорупції (демо)' },
  { role: 'management', name: 'Керівництво (демо)' },
]

function dataDirOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const m = /^--data-dir(?:=(.*))?$/.exec(args[i] ?? '')
    if (m) return m[1] ?? args[i + 1]
  }
  return DEFAULT_DIR
}

export const demoCommand: Command = {
  name: 'demo',
  usage: USAGE,
  summary: `a demonstration organisation with sample accounts, plan and cases (own folder, default ${DEFAULT_DIR})`,
  async run(args, io) {
    const dataDir = dataDirOf(args)
    if (!dataDir) {
      io.err(`portal: usage: portal demo ${USAGE}`)
      return EXIT_UNUSABLE
    }
    // Always the embedded store in its own folder: never the real organisation's database.
    const env: Record<string, string | undefined> = {
      ...io.env,
      DATA_DIR: dataDir,
      MONGODB_URI: undefined,
      ORG_NAME: io.env.ORG_NAME ?? DEMO_ORG_NAME,
    }
    let config: Config
    try {
      config = loadConfig(env)
    } catch (err) {
      if (err instanceof ConfigError) {
        io.err(`portal: ${err.message}`)
        return EXIT_UNUSABLE
      }
      throw err
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const wasDemo = isDemoDataDir(dataDir)
    const secrets = ensureSecrets(config)
    const store = await openStore(config)
    try {
      if ((await store.accounts.count()) > 0) {
        io.err(
          wasDemo
            ? `portal: ${dataDir} already holds the demonstration; start it with DATA_DIR=${dataDir} npm start, or delete the folder to make a new one`
            : `portal: refused: ${dataDir} holds a real organisation (it has staff accounts); give an empty folder with --data-dir`
        )
        return EXIT_PROBLEM
      }
      writeFileSync(join(dataDir, DEMO_MARKER), 'Made by `portal demo`: sample data only.\n')
      await seed({ config, secrets, store, io })
      return EXIT_OK
    } finally {
      await store.close()
    }
  },
}

async function seed(d: {
  config: Config
  secrets: AppDeps['secrets']
  store: Store
  io: CliIo
}): Promise<void> {
  const { config, store, io } = d
  let now = new Date()
  const clock = { now: () => new Date(now) }
  const log = createLogger({ logLevel: 'silent' })
  const certificates = createCertificates({ config, store, clock, log })
  const made: { account: Account; passphrase: string; recoveryCode: string }[] = []
  const org = generateOrgKey()
  for (const { role, name } of PEOPLE) {
    const person = await makeAccount(store, role, name, clock.now())
    made.push(person)
    const { account } = person
    if (role === 'admin') {
      const sealedSeed = toBase64(seal(org.seed, Buffer.from(account.boxPublicKey!, 'base64')))
      const problem = await certificates.createOrgKey(account, toBase64(org.publicKey), sealedSeed)
      if (problem) throw new Error(`organisation key: ${problem}`)
    }
    if (role === 'admin' || role === 'officer') {
      // Valid from before the oldest sample report (they are dated back over the last year).
      const at = new Date(Date.UTC(clock.now().getUTCFullYear() - 2, 0, 1)).toISOString()
      const statement = signCertificate(
        {
          accountId: account.id,
          boxPublicKey: account.boxPublicKey!,
          signPublicKey: account.signPublicKey!,
          roles: [...account.roles],
          notBefore: at,
          issuedAt: at,
        },
        org.secretKey
      )
      const problem = await certificates.addCertificate(account, statement)
      if (problem) throw new Error(`certificate: ${problem}`)
    }
  }
  org.secretKey.fill(0)
  org.seed.fill(0)

  const sample = planSample(2020)
  if (sample) await replacePlan(store, sample.year, sample.items)

  // The samples go through the app's own report API, in this process; proof of work guards that
  // API against strangers, not against the operator filling a demonstration store.
  const noWork = { submit: 0, receipt: 0, 'staff-login': 0 } as const
  const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) }
  const calendar = uaCalendar({ observeHolidays: config.observeHolidays })
  const app = createApp({
    config: { ...config, powBits: noWork },
    secrets: d.secrets,
    store,
    mailer: unconfiguredMailer,
    clock,
    random,
    log,
    calendar,
  })
  const origin = new URL(config.publicUrl).origin
  const officerCases = createOfficerCases({ store, clock, random }, officerLifecycleRules(calendar))
  const officerAccount = made.find((m) => m.account.roles.includes('officer'))!.account
  const officer = { account: officerAccount, sessionId: 'portal-demo', roles: officerAccount.roles }
  // The organisation's name, contact page and privacy notice, as an admin would write them.
  const admin = made.find((m) => m.account.roles.includes('admin'))!.account
  await store.org.putTexts(SAMPLES.organisation, clock.now(), admin.id)
  const receipts: string[] = []
  const start = new Date()
  for (const c of SAMPLES.cases as SampleCase[]) {
    now = new Date(start)
    now.setUTCMonth(now.getUTCMonth() - c.monthsAgo)
    now.setUTCDate(Math.min(now.getUTCDate(), 28))
    const html = await (await app.request('/report')).text()
    const json = /id="portal-config">([^<]+)</.exec(html)?.[1]
    if (!json) throw new Error('the report page is closed (no certified officer?)')
    const page = JSON.parse(json) as ReporterPageConfig
    const built = await buildClientReport(page, c.text, {
      at: clock.now(),
      wordList: page.lang === 'uk' ? 'uk' : 'en',
    })
    built.caseKeys.secretKey.fill(0)
    const res = await app.request('/api/report', {
      method: 'POST',
      body: JSON.stringify(built.request),
      headers: { 'Content-Type': 'application/json', Origin: origin },
    })
    if (!res.ok) throw new Error(`a sample report was refused: ${res.status} ${await res.text()}`)
    receipts.push(built.receipt)
    // The officer takes it to its state as a real case gets there (number, audit, clocks).
    await walkSample({
      cases: officerCases,
      officer,
      caseId: built.request.caseId,
      sample: c,
      reasons: SAMPLES.reasons,
      receivedAt: clock.now(),
      latest: start,
      setNow: (at) => {
        now = at
      },
    })
  }

  const url = config.publicUrl
  io.out(`Demonstration organisation "${config.orgName}" made in ${config.dataDir}.`)
  io.out(`Start it:  DATA_DIR=${config.dataDir} npm start   then open ${url}/staff/login`)
  io.out('')
  io.out('Accounts (sample only; each sets up an authenticator app at first sign-in):')
  for (const { account, passphrase, recoveryCode } of made) {
    io.out(`  ${account.roles.join(', ').padEnd(10)}  ${account.email}`)
    io.out(`              passphrase:    ${passphrase}`)
    io.out(`              recovery code: ${recoveryCode}`)
  }
  io.out('')
  io.out(`${receipts.length} sample reports over the last year in every state; the plan of 2020.`)
  io.out(`A reporter's receipt to try at ${url}/status:  ${receipts.at(-1) ?? ''}`)
}

async function makeAccount(
  store: Store,
  role: Role,
  displayName: string,
  at: Date
): Promise<{ account: Account; passphrase: string; recoveryCode: string }> {
  const passphrase = generatePassphrase()
  const keys = generateOfficerKeys()
  const salt = generateKdfSalt()
  const { wrapKey, authSecret } = await deriveOfficerKeys(
    passphrase,
    salt,
    STAFF_KDF,
    nativeArgon2id
  )
  const recoveryKey = generateRecoveryKey()
  const account = await store.accounts.create({
    id: randomBytes(16).toString('base64url'),
    email: `${role}@demo.example`,
    displayName,
    roles: [role],
    status: 'active',
    authHash: await hashAuthSecret(authSecret),
    boxPublicKey: toBase64(keys.box.publicKey),
    signPublicKey: toBase64(keys.sign.publicKey),
    keys: {
      wrapped: wrapSecrets(wrapKey, keys.box.secretKey, keys.signSeed),
      salt: toBase64(salt),
      kdf: { ...STAFF_KDF },
    },
    recoveryKeys: {
      wrapped: wrapSecrets(recoveryKey, keys.box.secretKey, keys.signSeed),
      salt: '',
      kdf: { ...RECOVERY_NO_KDF },
    },
    notifyDigest: false,
    createdAt: at,
  })
  const recoveryCode = formatRecoveryCode(recoveryKey)
  for (const secret of [wrapKey, authSecret, recoveryKey, keys.box.secretKey, keys.signSeed]) {
    secret.fill(0)
  }
  return { account, passphrase, recoveryCode }
}
