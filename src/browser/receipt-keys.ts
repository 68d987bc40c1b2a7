// Receipt → keys, with Argon2id in the worker.
import { deriveReceiptKeys, fromHex, type ReceiptKeys } from '../../crypto'
import type { ReporterPageConfig } from '../report/api'

import { workerArgon2id, type KdfProgress } from './kdf'

export function deriveKeysInWorker(
  receipt: string,
  config: ReporterPageConfig,
  onProgress: KdfProgress
): Promise<ReceiptKeys> {
  return deriveReceiptKeys(receipt, fromHex(config.deploymentSalt), workerArgon2id(onProgress))
}
