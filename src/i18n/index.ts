import { LANGUAGES, type Language } from '../config'
import { en } from './en'
import { uk, type Dictionary } from './uk'

export type { Dictionary }

export const dictionaries: Record<Language, Dictionary> = { uk, en }

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v)
}
