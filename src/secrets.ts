// Development convenience: secrets missing from the environment are generated once and
// kept in DATA_DIR/secrets.json (mode 0600), so restarts keep sessions and receipts valid.
// In production loadConfig has already refused to start without them.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SECRET_NAMES, decodeSecret, type Config, type SecretName } from './config'

export type Secrets = Record<SecretName, Uint8Array>

export function ensureSecrets(config: Config): Secrets {
  const missing = SECRET_NAMES.filter((n) => !config.secrets[n])
  const out = { ...config.secrets }
  if (missing.length > 0) {
    const file = join(config.dataDir, 'secrets.json')
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    const kept: Partial<Record<SecretName, string>> = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<SecretName, string>>)
      : {}
    let changed = false
    for (const name of missing) {
      const have = kept[name] ? decodeSecret(kept[name]) : null
      if (have && have.length >= 32) {
        out[name] = have
      } else {
        const fresh = randomBytes(32)
        kept[name] = fresh.toString('hex')
        out[name] = new Uint8Array(fresh)
        changed = true
      }
    }
    if (changed) {
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(kept, null, 2), { mode: 0o600 })
      renameSync(tmp, file)
    }
  }
  return out as Secrets
}
