import { configWarnings } from '../config-check'
import { ConfigError, loadConfig } from '../config'
import { EXIT_OK, EXIT_PROBLEM, type Command } from './command'

/** Reads the environment as the server would and names what is wrong or unsafe. */
export const configCheckCommand: Command = {
  name: 'config:check',
  summary: 'check the settings as the server reads them (exit 1 on errors or warnings)',
  run(_args, io) {
    let config
    try {
      config = loadConfig(io.env)
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      for (const problem of err.problems) io.out(`error: ${problem}`)
      return Promise.resolve(EXIT_PROBLEM)
    }
    const warnings = configWarnings(config, io.env)
    for (const w of warnings) io.out(`warning: ${w}`)
    const store = config.mongoUri ? 'MongoDB' : `SQLite in ${config.dataDir}`
    const onion = config.onionHostname ? `, onion ${config.onionHostname}` : ''
    io.out(
      `${warnings.length === 0 ? 'settings OK' : `${warnings.length} warning(s)`}: ${config.env}, ${config.publicUrl}${onion}, ${store}, /metrics ${config.metricsToken ? 'on' : 'off'}`
    )
    return Promise.resolve(warnings.length === 0 ? EXIT_OK : EXIT_PROBLEM)
  },
}
