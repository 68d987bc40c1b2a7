// Builds the server (dist/server.js, dist/cli.js) and the browser bundles (static/js/).
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

const root = new URL('../..', import.meta.url).pathname
const serverEntries = [
  { in: 'src/server.ts', out: 'server' },
  { in: 'src/cli/index.ts', out: 'cli' },
].filter((e) => existsSync(join(root, e.in)))
const browserDir = join(root, 'src/browser')
const browserEntries = existsSync(browserDir)
  ? readdirSync(browserDir)
      .filter((f) => /^[a-z0-9-]+\.(entry|worker)\.ts$/.test(f))
      .map((f) => join('src/browser', f))
  : []

rmSync(join(root, 'static/js'), { recursive: true, force: true })
rmSync(join(root, 'dist'), { recursive: true, force: true })
mkdirSync(join(root, 'dist'), { recursive: true })

await build({
  absWorkingDir: root,
  entryPoints: serverEntries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // import.meta.dirname is used to find views/ and static/ next to dist/.
  banner: { js: '// built by tools/scripts/build.mjs' },
})

if (browserEntries.length > 0) {
  await build({
    absWorkingDir: root,
    entryPoints: browserEntries,
    outdir: 'static/js',
    entryNames: '[name]',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    minify: true,
    // Module scripts and workers are always decoded as UTF-8; the Ukrainian word list stays 2
    // bytes a letter instead of a 6-byte \u escape.
    charset: 'utf8',
    sourcemap: true,
    logLevel: 'warning',
  })
}
console.log(`built ${serverEntries.length} server and ${browserEntries.length} browser entries`)
