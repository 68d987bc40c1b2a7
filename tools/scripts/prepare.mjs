// `npm install` runs this (the "prepare" script): it builds dist/ so that `npx portal …` works
// right after installing. npx links the package's own bin only if dist/cli.js exists the first
// time it runs in a folder, and remembers that folder without the link afterwards (its cache in
// ~/.npm/_npx), so a command tried before the first build would keep failing with
// "portal: not found". A production install (`npm ci --omit=dev`, the Dockerfile's runtime stage)
// has no esbuild and copies dist/ from the build stage instead, and the Dockerfile installs before
// it copies src/: nothing to do there.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { spawnSync } from 'node:child_process'

if (!existsSync(new URL('../../src/server.ts', import.meta.url))) process.exit(0)

try {
  createRequire(import.meta.url).resolve('esbuild')
} catch {
  process.exit(0)
}
const built = spawnSync(process.execPath, [new URL('build.mjs', import.meta.url).pathname], {
  stdio: 'inherit',
})
process.exit(built.status ?? 1)
