// `portal <command> [args]`: finds the command and runs it. New commands go into COMMANDS.
import { inviteCommand, setupLinkCommand } from './admin'
import { auditVerifyCommand } from './audit-verify'
import { backupCommand, backupKeygenCommand, backupVerifyCommand, restoreCommand } from './backup'
import { configCheckCommand } from './config-check'
import { demoCommand } from './demo'
import { EXIT_OK, EXIT_UNUSABLE, type CliIo, type Command } from './command'
import { journalExportCommand } from './journal'
import { planImportCommand } from './plan'
import { reportAnnualCommand } from './report'

const helpCommand: Command = {
  name: 'help',
  summary: 'show this list',
  run(_args, io) {
    io.out(helpText())
    return Promise.resolve(EXIT_OK)
  },
}

export const COMMANDS: readonly Command[] = [
  auditVerifyCommand,
  setupLinkCommand,
  inviteCommand,
  journalExportCommand,
  planImportCommand,
  reportAnnualCommand,
  demoCommand,
  backupKeygenCommand,
  backupCommand,
  backupVerifyCommand,
  restoreCommand,
  configCheckCommand,
  helpCommand,
]

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => (c.name + (c.usage ? ` ${c.usage}` : '')).length))
  const lines = COMMANDS.map((c) => {
    const head = c.name + (c.usage ? ` ${c.usage}` : '')
    return `  ${head.padEnd(width)}  ${c.summary}`
  })
  return [
    'usage: portal <command>',
    '',
    'commands:',
    ...lines,
    '',
    'The commands read the same environment as the server (DATA_DIR, MONGODB_URI, …).',
  ].join('\n')
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h') return helpCommand.run([], io)
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    io.err(`portal: unknown command "${name}"; run "portal help" for the list`)
    return EXIT_UNUSABLE
  }
  return command.run(args, io)
}
