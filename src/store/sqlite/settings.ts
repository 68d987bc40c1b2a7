import type { SettingStore } from '../types'
import { promised, type Sql } from './db'

export function createSettingStore(sql: Sql): SettingStore {
  const get = sql<{ value: string }>('SELECT value FROM settings WHERE key = ?')
  const set = sql(`INSERT INTO settings (key, value) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
  const insertIfAbsent = sql(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'
  )

  return promised<SettingStore>({
    get(key) {
      return get.get(key)?.value ?? null
    },
    set(key, value) {
      set.run(key, value)
    },
    setIfAbsent(key, value) {
      insertIfAbsent.run(key, value)
      return get.get(key)!.value
    },
  })
}
