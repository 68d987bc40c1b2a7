import type { Section } from './lib/context'
export const middleware: Section = { name: 'middleware', run: () => Promise.resolve([]) }
