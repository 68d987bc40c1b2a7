// Builds the server (dist/server.js, dist/cli.js) and the browser bundles (static/js/).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
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
    // Code the entries share (tweetnacl, @noble/hashes, crypto/, the word lists) goes into
    // content-hashed chunks under static/js/chunks/, downloaded once and cached (src/app.ts);
    // each page's entry keeps its fixed name and stays small.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
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
// Precompressed copies for serveStatic({ precompressed: true }): brotli and gzip at their
// highest levels, once here instead of on every request.
let packed = 0
const compressible = /\.(js|css|svg|txt|json)$/
for (const dir of ['static/js', 'static/js/chunks', 'static/css', 'static/img']) {
  const abs = join(root, dir)
  if (!existsSync(abs)) continue
  for (const name of readdirSync(abs)) {
    if (!compressible.test(name)) continue
    const file = join(abs, name)
    const data = readFileSync(file)
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
    )
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }))
    packed++
  }
}
console.log(
  `built ${serverEntries.length} server and ${browserEntries.length} browser entries, ${packed} files precompressed`
)
