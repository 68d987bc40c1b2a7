// A data folder made by `portal demo` (src/cli/demo.ts) carries this marker file; the server
// then shows every page with a "demonstration" banner, so nobody takes it for the real portal.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const DEMO_MARKER = 'DEMO'
/** The demonstration's name, unless ORG_NAME gives another. */
export const DEMO_ORG_NAME = 'Демонстраційна міська рада'

export function isDemoDataDir(dataDir: string): boolean {
  return existsSync(join(dataDir, DEMO_MARKER))
}
