import type { Section } from './lib/context'
export const cryptoBrowser: Section = { name: 'crypto-browser', run: () => Promise.resolve([]) }
