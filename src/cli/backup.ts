// `portal backup:keygen`, `portal backup`, `portal backup:verify` and `portal restore`
// (docs/backup.md). The server holds only the backup key's public half (BACKUP_PUBLIC_KEY); the
// secret half lives offline and is read from a file only to verify or restore.
import { readFile, writeFile } from 'node:fs/promises'
import nacl from 'tweetnacl'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { verifyAuditChain } from '../audit/verify'
import {
  BackupError,
  backupPublicKey,
  restoreBackup,
  verifyBackup,
  writeBackup,
  type BackupReport,
} from '../backup'
import { EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, type CliIo, type Command } from './command'
import { parseFlags } from './flags'
import { withStore } from './with-store'

/** parseFlags takes the word after a flag as its value; --force stands alone. */
function flagsAndForce(args: string[]): { flags: Record<string, string>; force: boolean } {
  return {
    flags: parseFlags(args.filter((a) => a !== '--force')),
    force: args.includes('--force'),
  }
}

function summarize(report: BackupReport): string {
  const parts = Object.entries(report.collections).map(([name, n]) => `${name} ${n}`)
  return `${report.meta.format}, made ${report.meta.createdAt}, ${report.records} records (${parts.join(', ') || 'empty'}), ${report.bytes} bytes`
}

/** Turns the refusals a backup file can earn into one line and exit 1. */
async function refusals(io: CliIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof BackupError) {
      io.err(`portal: refused (${err.code}): ${err.message}`)
      return EXIT_PROBLEM
    }
    throw err
  }
}

export function keyFileText(secretKey: Uint8Array): string {
  return [
    '# whistle-portal backup secret key. Keep it offline (docs/backup.md); restore needs it.',
    `# BACKUP_PUBLIC_KEY=${toBase64(backupPublicKey(secretKey))}`,
    toBase64(secretKey),
    '',
  ].join('\n')
}

async function readSecretKey(file: string): Promise<Uint8Array> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new Error(`could not read the key file ${file}: ${err.message}`)
  })
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'))
  let key: Uint8Array | undefined
  try {
    key = line ? fromBase64(line) : undefined
  } catch {
    key = undefined
  }
  if (key?.length !== nacl.box.secretKeyLength) {
    throw new Error(`${file} holds no backup secret key (made by portal backup:keygen)`)
  }
  return key
}

export const backupKeygenCommand: Command = {
  name: 'backup:keygen',
  usage: '--out FILE',
  summary: 'make the offline backup key pair: secret key into FILE (mode 0600), public key printed',
  async run(args, io) {
    const { out } = parseFlags(args)
    if (!out && io.isTTY !== true) {
      io.err('portal: usage: portal backup:keygen --out FILE (the secret key goes into FILE)')
      return EXIT_UNUSABLE
    }
    const pair = nacl.box.keyPair()
    if (out) {
      try {
        await writeFile(out, keyFileText(pair.secretKey), { mode: 0o600, flag: 'wx' })
      } catch (err) {
        io.err(`portal: could not write ${out}: ${(err as Error).message}`)
        return EXIT_UNUSABLE
      }
      io.out(`secret key written to ${out}: move it offline; it is shown nowhere else`)
    } else {
      io.out(`secret key (write it down, it is shown only now): ${toBase64(pair.secretKey)}`)
    }
    pair.secretKey.fill(0)
    io.out(`BACKUP_PUBLIC_KEY=${toBase64(pair.publicKey)}`)
    return EXIT_OK
  },
}

export const backupCommand: Command = {
  name: 'backup',
  usage: '--out FILE',
  summary: 'write an encrypted backup of the whole store (to BACKUP_PUBLIC_KEY) into FILE',
  run(args, io) {
    const { out } = parseFlags(args)
    if (!out) {
      io.err(`portal: usage: portal backup ${backupCommand.usage}`)
      return Promise.resolve(EXIT_UNUSABLE)
    }
    return withStore(io, async (store, config) => {
      if (!config.backupPublicKey) {
        io.err('portal: BACKUP_PUBLIC_KEY is not set; make one with portal backup:keygen')
        return EXIT_UNUSABLE
      }
      const report = await writeBackup(store, fromBase64(config.backupPublicKey), out, new Date())
      io.out(`backup written to ${out}: ${summarize(report)}`)
      return EXIT_OK
    })
  },
}

export const backupVerifyCommand: Command = {
  name: 'backup:verify',
  usage: '--in FILE --key KEYFILE',
  summary: 'check a backup end to end with the secret key (nothing is written)',
  async run(args, io) {
    const { in: file, key } = parseFlags(args)
    if (!file || !key) {
      io.err(`portal: usage: portal backup:verify ${backupVerifyCommand.usage}`)
      return EXIT_UNUSABLE
    }
    const secretKey = await readSecretKey(key)
    return refusals(io, async () => {
      io.out(`backup OK: ${summarize(await verifyBackup(file, secretKey))}`)
      return EXIT_OK
    })
  },
}

export const restoreCommand: Command = {
  name: 'restore',
  usage: '--in FILE --key KEYFILE [--force]',
  summary:
    'verify a backup, then restore it into the configured store (--force: replace what it holds)',
  async run(args, io) {
    const { flags, force } = flagsAndForce(args)
    if (!flags.in || !flags.key) {
      io.err(`portal: usage: portal restore ${restoreCommand.usage}`)
      return EXIT_UNUSABLE
    }
    const file = flags.in
    const secretKey = await readSecretKey(flags.key)
    return withStore(io, (store) =>
      refusals(io, async () => {
        const report = await restoreBackup(store, file, secretKey, { force })
        io.out(`restored: ${summarize(report)}`)
        const chain = await verifyAuditChain(store)
        if (!chain.ok) {
          io.out(`audit chain BROKEN at entry #${chain.seq}: ${chain.reason}`)
          return EXIT_PROBLEM
        }
        io.out(`audit chain OK: ${chain.count} entries`)
        return EXIT_OK
      })
    )
  },
}
