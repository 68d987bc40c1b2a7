import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// Three projects, so the edit-and-test loop (`npm run test:unit`) pays for no server or browser:
//   unit         pure code (domain, crypto, browser modules, mail templates): no database server,
//                no browser, no build
//   integration  the real app through app.request, the stores, the built CLI and server
//   e2e          Debian Chromium against the app on loopback
// The global setup belongs to the root, so it runs once per run and every project shares its
// one FerretDB and Chromium path; it starts nothing when only unit tests run (test/setup/global.ts).
// Mongo (FerretDB) and browser tests report themselves skipped when their server is absent.
//
// isolate: false: a worker runs its test files one after another on one module graph instead of a
// fresh process per file. Each integration file imported the whole app (hono, mongoose, docx,
// pino, ...) again: 1-3 s of CPU per file, a third of the suite's time (issue 12, point 8). Test
// files share no state through modules (each builds its own app, store and browser); the two
// that replace modules with vi.mock keep a process of their own (integration-mocks), since a
// module another file loaded first would not be replaced.
const common = {
  pool: 'forks',
  isolate: false,
  testTimeout: 20_000,
  hookTimeout: 60_000,
} as const
// Tests that spawn processes, drive Chromium or FerretDB take seconds each; on a loaded 2-core
// machine 20 s timed out tests that were only slow. A hang still fails.
const slow = { ...common, testTimeout: 60_000 } as const
const mocking = [
  'test/integration/faults-disk-full.test.ts',
  'test/integration/secret-wiping.test.ts',
]

export default defineConfig({
  test: {
    // vitest's default is one worker less than the cores: one worker on a 2-core machine, where
    // most test time is spent waiting on Chromium, FerretDB and child processes. All cores.
    maxWorkers: availableParallelism(),
    globalSetup: ['test/setup/global.ts'],
    reporters: ['default'],
    projects: [
      {
        test: {
          ...common,
          // Pure code: worker threads start faster than processes.
          pool: 'threads',
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'crypto/**/*.test.ts'],
        },
      },
      {
        test: {
          ...slow,
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/contract/**/*.test.ts'],
          exclude: mocking,
        },
      },
      {
        test: {
          ...slow,
          isolate: true,
          name: 'integration-mocks',
          include: mocking,
        },
      },
      {
        test: {
          ...slow,
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Fails a browser test whose pages logged a CSP violation or console error.
          setupFiles: ['test/setup/page-checks.ts'],
        },
      },
    ],
  },
})
