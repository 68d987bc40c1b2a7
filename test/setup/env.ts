// Helpers for tests that need an optional server: they show up as skipped, never vanish.
import { randomBytes } from 'node:crypto'
import { describe, inject } from 'vitest'

export const mongoUri = inject('mongoUri')
export const chromiumPath = inject('chromiumPath')

export const describeMongo = describe.skipIf(!mongoUri)
export const describeBrowser = describe.skipIf(!chromiumPath)

/** A fresh database URI per call, so parallel test files never share data. */
export function freshMongoUri(label: string): string {
  const db = `t_${label.replace(/[^a-z0-9]/gi, '')}_${randomBytes(4).toString('hex')}`
  const base = mongoUri.endsWith('/') ? mongoUri : `${mongoUri}/`
  const u = new URL(base)
  u.pathname = `/${db}`
  return u.toString()
}
