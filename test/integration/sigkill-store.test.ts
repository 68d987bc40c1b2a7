// SIGKILL in the middle of a stream of writes loses no acknowledged write.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openMongoStore } from '../../src/store/mongo'
import { openSqliteStore } from '../../src/store/sqlite'
import type { Store } from '../../src/store/types'
import { fixture, run, waitFor } from '../helpers/proc'
import { describeMongo, freshMongoUri } from '../setup/env'

async function crashAndCheck(
  engine: 'sqlite' | 'mongo',
  target: string,
  reopen: () => Promise<Store>
) {
  const p = run([await fixture('store-writer'), engine, target], {})
  const acked = () =>
    p
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('crash-'))
  await waitFor(
    () => acked().length >= 150,
    30_000,
    `150 acknowledged writes (stderr: ${p.stderr()})`
  )
  p.child.kill('SIGKILL')
  const { signal } = await p.exited
  expect(signal).toBe('SIGKILL')

  const ids = acked()
  const store = await reopen()
  try {
    for (const id of ids) {
      const c = await store.cases.get(id)
      expect(c, `case ${id} was acknowledged before the kill`).not.toBeNull()
      const items = await store.items.list(id)
      expect(items.map((i) => i.seq)).toEqual([1])
    }
    // The store still takes writes after the crash.
    const last = ids.at(-1)!
    await store.items.append({
      caseId: last,
      id: `${last}-after`,
      kind: 'message',
      authorRole: 'reporter',
      encMode: 'client',
      sealed: new Uint8Array([1]),
      createdAt: new Date(),
    })
    expect((await store.items.list(last)).map((i) => i.seq)).toEqual([1, 2])
  } finally {
    await store.close()
  }
  return ids.length
}

describe('crash safety (sqlite)', () => {
  it('keeps every acknowledged write after SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-crash-'))
    const file = join(dir, 'portal.sqlite')
    try {
      const n = await crashAndCheck('sqlite', file, () => openSqliteStore({ file }))
      expect(n).toBeGreaterThanOrEqual(150)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describeMongo('crash safety (mongo)', () => {
  it('keeps every acknowledged write after SIGKILL', async () => {
    const uri = freshMongoUri('crash')
    const n = await crashAndCheck('mongo', uri, () => openMongoStore({ uri }))
    expect(n).toBeGreaterThanOrEqual(150)
  }, 60_000)
})
