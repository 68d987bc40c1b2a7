// `portal backup` / `portal restore` behind the CLI (src/cli/backup.ts): a store's export
// (StoreDump, both engines) framed as records (records.ts), encrypted to the offline backup key
// (crypt.ts), streamed to and from a file. docs/backup.md describes the format and the procedure.
import { createReadStream } from 'node:fs'
import { access, open, rename, rm } from 'node:fs/promises'
import type { DumpPiece, Store } from '../store/types'
import { decryptBackup, encryptBackup } from './crypt'
import { BackupError } from './errors'
import { decodeRecords, encodeRecords, type BackupMeta, type BackupSummary } from './records'

export { BackupError, type BackupErrorCode } from './errors'
export { backupPublicKey } from './crypt'
export type { BackupMeta, BackupSummary } from './records'

export interface BackupReport extends BackupSummary {
  meta: BackupMeta
  /** Bytes of the backup file. */
  bytes: number
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false
  )

/**
 * Writes an encrypted backup of the whole store to `file` (mode 0600). The bytes go to
 * `file.partial` first and are renamed when complete and synced, so `file` is never half written;
 * an existing `file` is refused rather than overwritten.
 */
export async function writeBackup(
  store: Store,
  publicKey: Uint8Array,
  file: string,
  now: Date
): Promise<BackupReport> {
  if (await exists(file)) throw new Error(`${file} exists already; choose another name`)
  const partial = `${file}.partial`
  const meta: BackupMeta = { v: 1, format: store.dump.format, createdAt: now.toISOString() }
  const summary: BackupSummary = { records: 0, collections: {} }
  let bytes = 0
  const out = await open(partial, 'wx', 0o600)
  try {
    const plain = encodeRecords(meta, store.dump.export(), summary)
    for await (const chunk of encryptBackup(plain, publicKey)) {
      await out.write(chunk)
      bytes += chunk.length
    }
    await out.sync()
    await out.close()
    await rename(partial, file)
  } catch (err) {
    await out.close().catch(() => undefined)
    await rm(partial, { force: true })
    throw err
  }
  return { ...summary, meta, bytes }
}

function fileBytes(file: string): AsyncIterable<Uint8Array> {
  return createReadStream(file, { highWaterMark: 1024 * 1024 })
}

/** Reads the whole backup, checking every chunk and record; writes nothing anywhere. */
export async function verifyBackup(file: string, secretKey: Uint8Array): Promise<BackupReport> {
  let meta: BackupMeta | undefined
  let summary: BackupSummary | undefined
  let bytes = 0
  const counted = async function* () {
    for await (const b of fileBytes(file)) {
      bytes += b.length
      yield b
    }
  }
  for await (const event of decodeRecords(decryptBackup(counted(), secretKey))) {
    if (event.kind === 'meta') meta = event.meta
    if (event.kind === 'end') summary = event.summary
  }
  // decodeRecords yields both or throws; this only satisfies the types.
  if (!meta || !summary) throw new BackupError('damaged', 'the backup is incomplete')
  return { ...summary, meta, bytes }
}

/** The pieces of a backup, decrypted again (each chunk re-authenticated) on the second pass. */
async function* pieces(file: string, secretKey: Uint8Array): AsyncGenerator<DumpPiece> {
  for await (const event of decodeRecords(decryptBackup(fileBytes(file), secretKey))) {
    if (event.kind === 'piece') yield event.piece
  }
}

/** What the store holds that a restore would replace, e.g. ["3 cases", "12 audit entries"]. */
export async function storeContents(store: Store): Promise<string[]> {
  const found: string[] = []
  const cases = (await store.cases.list({}, 1, 1, { countLimit: 1000 })).total
  if (cases > 0) found.push(`${cases} cases`)
  const accounts = await store.accounts.count()
  if (accounts > 0) found.push(`${accounts} staff accounts`)
  const audit = (await store.audit.last())?.seq ?? 0
  if (audit > 0) found.push(`${audit} audit entries`)
  const planYears = (await store.plan.years()).length
  if (planYears > 0) found.push(`plan items of ${planYears} years`)
  return found
}

/**
 * Restores `file` into `store`: the whole file is verified first (a tampered, truncated or
 * foreign backup is refused before anything is written), a store that holds data is refused
 * unless `force`, then everything the store holds is replaced by the backup's content.
 */
export async function restoreBackup(
  store: Store,
  file: string,
  secretKey: Uint8Array,
  options: { force: boolean }
): Promise<BackupReport> {
  const report = await verifyBackup(file, secretKey)
  if (report.meta.format !== store.dump.format) {
    const made = report.meta.format.startsWith('sqlite') ? 'SQLite' : 'MongoDB'
    const here = store.engine === 'sqlite' ? 'SQLite (DATA_DIR)' : 'MongoDB (MONGODB_URI)'
    throw new BackupError(
      'wrong-engine',
      `this is a backup of a ${made} store; the store configured here is ${here}`
    )
  }
  const found = await storeContents(store)
  if (found.length > 0 && !options.force) {
    throw new BackupError(
      'not-empty',
      `the store is not empty (${found.join(', ')}); restore replaces everything in it: add --force to do that`
    )
  }
  await store.dump.import(pieces(file, secretKey))
  return report
}
