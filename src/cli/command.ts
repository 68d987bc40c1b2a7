// The shape every `portal` sub-command has, and what it gets to work with. Commands take their
// environment and output streams from the caller, so tests can run them in-process too.

export interface CliIo {
  /** The environment, read with loadConfig like the server does. */
  env: Record<string, string | undefined>
  out(line: string): void
  err(line: string): void
  /** stdout is a terminal (secrets such as the setup link are printed only there). */
  isTTY?: boolean
}

/** Exit codes: 0 done, 1 the check found a problem, 2 the command could not run. */
export const EXIT_OK = 0
export const EXIT_PROBLEM = 1
export const EXIT_UNUSABLE = 2

export interface Command {
  name: string
  /** Arguments after the name, for help. */
  usage?: string
  summary: string
  run(args: string[], io: CliIo): Promise<number>
}
