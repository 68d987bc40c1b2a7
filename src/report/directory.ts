// The officer key directory: who a report is sealed to (officers with a valid org-signed
// certificate for their current keys), the deployment salt receipts are derived with, and the
// page config a reporter's browser needs before sealing. The officer workspace reads the same
// directory (for the officers' own intake), so it is built once in createApp.
import type { Config } from '../config'
import type { Clock, Random } from '../deps'
import { MAX_PIECE_BYTES } from '../lib/upload-limits'
import { createCertificates, type Certificates, type CertifiedOfficer } from '../staff/certificates'
import type { Store } from '../store/types'
import type { Logger } from 'pino'
import type { ReporterPageConfig } from './api'

export type OfficerKey = CertifiedOfficer

export interface DirectoryDeps {
  config: Config
  store: Store
  clock: Clock
  random: Random
  log: Logger
}

export function createOfficerDirectory(
  { config, store, clock, random, log }: DirectoryDeps,
  certificates: Certificates = createCertificates({ config, store, clock, log })
) {
  let cachedSalt: Uint8Array | undefined

  async function deploymentSalt(): Promise<Uint8Array> {
    if (cachedSalt) return cachedSalt
    let hex = config.deploymentSalt ?? (await store.settings.get('deploymentSalt'))
    // Every instance must agree on the salt, or receipts made on one would fail on another.
    hex ??= await store.settings.setIfAbsent(
      'deploymentSalt',
      Buffer.from(random.bytes(16)).toString('hex')
    )
    cachedSalt = new Uint8Array(Buffer.from(hex, 'hex'))
    return cachedSalt
  }

  /**
   * Active officers with a valid org-signed certificate for their current keys. Anything else (an
   * invitation link intercepted in the mail, a key written into the database) never becomes a
   * recipient: the reporter's browser verifies each certificate again before sealing.
   */
  const officers = (): Promise<OfficerKey[]> => certificates.recipients()

  // The last officer list and salt seen, so the form can still be shown while the store is down.
  let lastGood: { officers: OfficerKey[]; salt: string; orgPublicKey?: string } | undefined

  /** `formToken` is asked for last, once the directory has answered. */
  async function pageConfig(
    lang: 'uk' | 'en',
    formToken?: () => string
  ): Promise<ReporterPageConfig> {
    try {
      const orgPublicKey = await certificates.orgPublicKey()
      lastGood = {
        officers: await officers(),
        salt: Buffer.from(await deploymentSalt()).toString('hex'),
        ...(orgPublicKey ? { orgPublicKey } : {}),
      }
    } catch (err) {
      if (!lastGood) throw err
    }
    return {
      officers: lastGood.officers,
      ...(lastGood.orgPublicKey ? { orgPublicKey: lastGood.orgPublicKey } : {}),
      deploymentSalt: lastGood.salt,
      maxFileBytes: config.maxFileBytes,
      maxReportBytes: config.maxReportBytes,
      maxPieceBytes: MAX_PIECE_BYTES,
      ...(formToken ? { formToken: formToken() } : {}),
      lang,
    }
  }

  return { certificates, officers, deploymentSalt, pageConfig }
}

export type OfficerDirectory = ReturnType<typeof createOfficerDirectory>
