import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'crypto/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    // Fails a browser test whose pages logged a CSP violation or console error.
    setupFiles: ['test/setup/page-checks.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Mongo (FerretDB) and browser tests report themselves skipped when their server is absent.
    reporters: ['default'],
  },
})
