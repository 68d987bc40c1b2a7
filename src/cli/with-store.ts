import { ConfigError, loadConfig, type Config } from '../config'
import { openStore } from '../store'
import type { Store } from '../store/types'
import { EXIT_UNUSABLE, type CliIo } from './command'

/**
 * Loads the configuration as the server does, opens the store, runs `fn` and closes the store.
 * Configuration and connection problems are printed as one line and give EXIT_UNUSABLE.
 */
export async function withStore(
  io: CliIo,
  fn: (store: Store, config: Config) => Promise<number>
): Promise<number> {
  let config: Config
  try {
    config = loadConfig(io.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`portal: ${err.message}`)
      return EXIT_UNUSABLE
    }
    throw err
  }
  let store: Store
  try {
    store = await openStore(config)
  } catch (err) {
    const where = config.mongoUri
      ? 'the MongoDB server in MONGODB_URI'
      : `the database in DATA_DIR "${config.dataDir}"`
    io.err(`portal: could not open ${where}: ${(err as Error).message}`)
    return EXIT_UNUSABLE
  }
  try {
    return await fn(store, config)
  } finally {
    await store.close()
  }
}
