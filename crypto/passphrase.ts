// A staff passphrase: seven words from the EFF large list (7 × 12.9 = 90 bits), picked
// uniformly; made in the enrolling browser, and by `portal demo` for its sample accounts.
import { uniformInt } from './random'
import { EFF_LARGE_WORDLIST } from './wordlist-eff-large'

export const PASSPHRASE_WORDS = 7

export function generatePassphrase(words = PASSPHRASE_WORDS): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) {
    out.push(EFF_LARGE_WORDLIST[uniformInt(EFF_LARGE_WORDLIST.length)] ?? '')
  }
  return out.join(' ')
}
