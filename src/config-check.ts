// Combinations of settings that are each valid but together unsafe or surprising. loadConfig
// refuses what is wrong; these are warnings: printed by `portal config:check` (exit 1 when there
// are any) and logged at every start (src/server.ts). docs/deployment.md "Checking the settings".
import { SECRET_NAMES, type Config } from './config'

/** Names people write for the portal's variables, which the portal does not read. */
const MISNAMED: Record<string, string> = {
  MONGO_URL: 'MONGODB_URI',
  MONGO_URI: 'MONGODB_URI',
  MONGODB_URL: 'MONGODB_URI',
  DATABASE_URL: 'MONGODB_URI',
  BASE_URL: 'PUBLIC_URL',
  SITE_URL: 'PUBLIC_URL',
  ONION_HOST: 'ONION_HOSTNAME',
  ONION_ADDRESS: 'ONION_HOSTNAME',
  SMTP_HOST: 'SMTP_URL',
}

export function configWarnings(config: Config, env: Record<string, string | undefined>): string[] {
  const warnings: string[] = []
  const production = config.env === 'production'
  const set = (name: string) => (env[name]?.trim() ?? '') !== ''

  for (const [wrong, right] of Object.entries(MISNAMED)) {
    if (set(wrong) && !set(right)) warnings.push(`${wrong} is not read by the portal: use ${right}`)
  }
  if (production && !set('PUBLIC_URL')) {
    warnings.push(
      `PUBLIC_URL is unset: mail links and the form-origin check use ${config.publicUrl}`
    )
  }

  const publicHost = new URL(config.publicUrl).hostname
  if (config.onionHostname) {
    if (publicHost.endsWith('.onion')) {
      warnings.push(
        'PUBLIC_URL is an onion address: set it to the clear-web site and ONION_HOSTNAME to the onion'
      )
    } else if (!config.publicUrl.startsWith('https:')) {
      warnings.push(
        'ONION_HOSTNAME is set but PUBLIC_URL is not https://: Tor Browser follows Onion-Location only from https pages'
      )
    }
  }

  if (config.mongoUri) {
    if (!config.orgPublicKey) {
      warnings.push(
        'ORG_PUBLIC_KEY is unset with MONGODB_URI: each instance keeps the first organisation key it sees in its own DATA_DIR; set it on every instance'
      )
    }
    const uri = new URL(config.mongoUri)
    if (uri.protocol === 'mongodb:' && !uri.searchParams.has('replicaSet')) {
      warnings.push(
        'MONGODB_URI names no replicaSet: a single MongoDB server has no failover (docs/deployment.md "Containers")'
      )
    }
  }

  if (production) {
    if (!config.smtpUrl) warnings.push('SMTP_URL is unset: notifications wait in the outbox')
    const off = Object.entries(config.powBits).filter(([, bits]) => bits === 0)
    if (off.length > 0) {
      warnings.push(`proof of work is off for: ${off.map(([p]) => p).join(', ')}`)
    }
    if (config.logLevel === 'debug' || config.logLevel === 'trace') {
      warnings.push(`LOG_LEVEL=${config.logLevel} in production: logs grow quickly`)
    }
  }

  const secrets = Object.entries(config.secrets).filter(([, v]) => v !== undefined)
  const seen = new Map<string, string>()
  for (const [name, value] of secrets) {
    const hex = Buffer.from(value!).toString('hex')
    const twin = seen.get(hex)
    if (twin) warnings.push(`${name} is the same as ${twin}: each secret must be its own`)
    seen.set(hex, name)
  }
  if (config.metricsToken && SECRET_NAMES.some((n) => env[n]?.trim() === config.metricsToken)) {
    warnings.push('METRICS_TOKEN is one of the secrets: give it its own value')
  }
  return warnings
}
