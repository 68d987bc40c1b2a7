import type { Section } from './lib/context'
export const cryptoNode: Section = { name: 'crypto-node', run: () => Promise.resolve([]) }
