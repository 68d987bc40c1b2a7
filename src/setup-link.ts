// Where the first-run setup link goes. The link is a bearer secret that makes its holder the
// first admin, so it must not end up in collected logs (journald, docker logs, a log shipper):
// on a terminal it is printed once; otherwise it is written to a file only this user can read,
// and only the file's path is reported.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const SETUP_LINK_FILE = 'setup-link.txt'

export type SetupLinkPlace = { printed: true } | { printed: false; file: string }

export function deliverSetupLink(
  link: string,
  opts: { isTTY: boolean; dataDir: string; print(text: string): void }
): SetupLinkPlace {
  if (opts.isTTY) {
    opts.print(link)
    return { printed: true }
  }
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
  const file = join(opts.dataDir, SETUP_LINK_FILE)
  // Removed first so the mode applies: writeFileSync keeps an existing file's mode.
  rmSync(file, { force: true })
  writeFileSync(file, `${link}\n`, { mode: 0o600, flag: 'wx' })
  return { printed: false, file }
}

/** Once an admin exists the link is dead: remove a file left from the first run. */
export function forgetSetupLink(dataDir: string): void {
  rmSync(join(dataDir, SETUP_LINK_FILE), { force: true })
}
