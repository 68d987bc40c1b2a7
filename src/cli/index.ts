#!/usr/bin/env node
// The `portal` command (bundled to dist/cli.js). Only this file touches process.
import { EXIT_UNUSABLE } from './command'
import { runCli } from './run'

runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  isTTY: process.stdout.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    console.error(`portal: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = EXIT_UNUSABLE
  }
)
