import { join } from 'node:path'
import type { Config } from '../config'
import { openMongoStore } from './mongo'
import { openSqliteStore } from './sqlite'
import type { Store } from './types'

export type { Store } from './types'

/** MongoDB when MONGODB_URI is set, else the embedded SQLite file under DATA_DIR. */
export async function openStore(config: Pick<Config, 'mongoUri' | 'dataDir'>): Promise<Store> {
  if (config.mongoUri)
    return openMongoStore({ uri: config.mongoUri, serverSelectionTimeoutMS: 5000 })
  return openSqliteStore({ file: join(config.dataDir, 'portal.sqlite') })
}
