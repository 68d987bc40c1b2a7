// One database with a second connection to it: what two app instances share. Used by the job
// and outbox tests on each engine.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'
import { freshMongoUri } from '../setup/env'

export interface Harness {
  store: Store
  /** Another connection to the same database: a second app instance. */
  openSecond(): Promise<Store>
  close(): Promise<void>
}

function harness(store: Store, open: () => Promise<Store>, cleanup = () => {}): Harness {
  const others: Store[] = []
  return {
    store,
    async openSecond() {
      const s = await open()
      others.push(s)
      return s
    },
    async close() {
      for (const s of others) await s.close()
      await store.close()
      cleanup()
    },
  }
}

export async function sqliteHarness(label: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), `portal-${label}-`))
  const file = join(dir, 'portal.sqlite')
  return harness(
    await openSqliteStore({ file }),
    () => openSqliteStore({ file }),
    () => rmSync(dir, { recursive: true, force: true })
  )
}

export async function mongoHarness(label: string): Promise<Harness> {
  const uri = freshMongoUri(label)
  return harness(await openMongoStore({ uri, dropOnClose: true }), () => openMongoStore({ uri }))
}
