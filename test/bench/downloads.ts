import type { Section } from './lib/context'
export const downloads: Section = { name: 'downloads', run: () => Promise.resolve([]) }
