// Staff accounts from the command line: the first-run link and invitations, for when the
// web pages are not reachable yet (or an admin prefers a shell).
import { randomBytes } from 'node:crypto'
import { systemClock } from '../deps'
import { ROLES, type Role } from '../domain/vocab'
import { deliverSetupLink } from '../setup-link'
import { createInvite, ensureSetupToken, InviteError } from '../staff/accounts'
import { EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, type Command } from './command'
import { parseFlags } from './flags'
import { withStore } from './with-store'

const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) }

export const setupLinkCommand: Command = {
  name: 'admin:setup-link',
  summary:
    'a one-time link to create the first admin (only while there is none): printed on a terminal, else written to DATA_DIR/setup-link.txt',
  run(_args, io) {
    return withStore(io, async (store, config) => {
      const token = await ensureSetupToken({ store, clock: systemClock, random })
      if (!token) {
        io.err('portal: an admin already exists; ask them for an invitation')
        return EXIT_PROBLEM
      }
      const place = deliverSetupLink(`${config.publicUrl}/staff/setup?token=${token}`, {
        isTTY: io.isTTY === true,
        dataDir: config.dataDir,
        print: (line) => io.out(line),
      })
      if (!place.printed)
        io.out(`portal: the setup link is in ${place.file} (readable by you only)`)
      return EXIT_OK
    })
  },
}

export const inviteCommand: Command = {
  name: 'admin:invite',
  usage: '--email ADDRESS --name "FULL NAME" --roles officer[,management,admin]',
  summary: 'invite a staff member and print the enrolment link (valid 7 days)',
  run(args, io) {
    const flags = parseFlags(args)
    const roles = (flags.roles ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean)
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r))
    if (!flags.email || !flags.name || roles.length === 0 || unknown.length > 0) {
      io.err(`portal: usage: portal admin:invite ${inviteCommand.usage}`)
      if (unknown.length > 0) {
        io.err(`portal: unknown role(s): ${unknown.join(', ')} (use ${ROLES.join(', ')})`)
      }
      return Promise.resolve(EXIT_UNUSABLE)
    }
    return withStore(io, async (store, config) => {
      try {
        const url = await createInvite(
          { store, clock: systemClock, random, config },
          { email: flags.email!, displayName: flags.name!, roles: roles as Role[] }
        )
        io.out(url)
        return EXIT_OK
      } catch (err) {
        if (err instanceof InviteError) {
          io.err(
            err.field === 'exists'
              ? 'portal: an account with this email exists'
              : `portal: invalid ${err.field}`
          )
          return EXIT_PROBLEM
        }
        throw err
      }
    })
  },
}
