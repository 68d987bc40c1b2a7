// Crypto in Chromium (issue 12, point 5): attachment encryption MiB/s, and Argon2id for the
// receipt and officer parameters on the fast path (hash-wasm) and the fallback (pure JS), in
// Debian's chromium driven by playwright-core, against native libsodium measured in this run.
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import sodium from 'sodium-native'
import { CHROMIUM_ARGS } from '../helpers/browser'
import { chromium } from 'playwright-core'
import type { Section } from './lib/context'
import { ROOT } from './lib/server'
import type { Row } from './lib/table'
import { nativeArgon2id } from '../../src/report/native-argon2'
import { RECEIPT_KDF } from '../../crypto/receipt'
import { OFFICER_KDF_DEFAULT } from '../../crypto/keys'

const OUT = join(ROOT, 'bench-results/.build/crypto-page.js')

function nativeSecretboxMiBs(mib: number): number {
  const chunk = Buffer.alloc(65536, 7)
  const c = Buffer.alloc(chunk.length + 16)
  const key = Buffer.alloc(32, 1)
  const nonce = Buffer.alloc(24)
  const h = Buffer.alloc(sodium.crypto_hash_sha256_STATEBYTES)
  const frames = (mib * 1024 * 1024) / chunk.length
  const t0 = performance.now()
  sodium.crypto_hash_sha256_init(h)
  for (let f = 0; f < frames; f++) {
    nonce.writeUInt32BE(f, 16)
    sodium.crypto_hash_sha256_update(h, chunk)
    sodium.crypto_secretbox_easy(c, chunk, nonce, key)
  }
  sodium.crypto_hash_sha256_final(h, Buffer.alloc(32))
  return mib / ((performance.now() - t0) / 1000)
}

export const cryptoBrowser: Section = {
  name: 'crypto-browser',
  async run(ctx) {
    if (!ctx.chromiumPath) {
      ctx.log('crypto-browser: no Chromium (install Debian chromium or set CHROMIUM_PATH): skipped')
      return []
    }
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['test/bench/bare/crypto-page.ts'],
      outfile: OUT,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2020',
      minify: true,
      logLevel: 'warning',
    })
    const script = readFileSync(OUT)
    const server = createServer((req, res) => {
      if (req.url === '/bench.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' })
        res.end(script)
      } else {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end('<!doctype html><script type="module" src="/bench.js"></script>')
      }
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const browser = await chromium.launch({
      executablePath: ctx.chromiumPath,
      args: CHROMIUM_ARGS,
      headless: true,
    })
    try {
      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${port}/`)
      await page.waitForFunction(() => 'bench' in globalThis)
      type Bench = {
        attachmentMiBs(mib: number): Promise<number>
        argon2Ms(which: 'receipt' | 'officer', path: 'wasm' | 'js'): Promise<number>
      }
      // Runs in the page: only the arguments travel, not closures.
      const attachmentMiBs = (mib: number) =>
        page.evaluate(
          (m) => (globalThis as unknown as { bench: Bench }).bench.attachmentMiBs(m),
          mib
        )
      const argon2Ms = (which: 'receipt' | 'officer', path: 'wasm' | 'js') =>
        page.evaluate(
          ([w, p]) => (globalThis as unknown as { bench: Bench }).bench.argon2Ms(w, p),
          [which, path] as const
        )
      const mib = ctx.quick ? 16 : 100
      const browserMiBs = await attachmentMiBs(mib)
      const native = nativeSecretboxMiBs(mib)
      const pw = new TextEncoder().encode('abacus abdomen abdominal abide abiding ability ablaze')
      const salt = new Uint8Array(16).fill(7)
      const t0 = performance.now()
      await nativeArgon2id(pw, salt, RECEIPT_KDF)
      const nativeReceipt = performance.now() - t0
      const t1 = performance.now()
      await nativeArgon2id(pw, salt, { ...OFFICER_KDF_DEFAULT, dkLen: 32 })
      const nativeOfficer = performance.now() - t1
      const rows: Row[] = [
        {
          section: 'crypto',
          name: `attachment encryption ${mib} MiB, Chromium`,
          value: browserMiBs,
          unit: 'MiB/s',
          baseline: { name: 'libsodium native', value: native },
          ratio: browserMiBs / native,
          target: '≥ 40 MB/s',
          met: browserMiBs * 1.048576 >= 40,
        },
      ]
      for (const which of ['receipt', 'officer'] as const) {
        const base = {
          name: 'native (server)',
          value: which === 'receipt' ? nativeReceipt : nativeOfficer,
        }
        const wasm = await argon2Ms(which, 'wasm')
        rows.push({
          section: 'crypto',
          name: `Argon2id ${which} keys, Chromium fast path (WASM)`,
          value: wasm,
          unit: 'ms',
          baseline: base,
          ratio: wasm / base.value,
          ...(which === 'receipt' ? { target: '≤ 2000 ms', met: wasm <= 2000 } : {}),
        })
        if (which === 'receipt' || !ctx.quick) {
          const js = await argon2Ms(which, 'js')
          rows.push({
            section: 'crypto',
            name: `Argon2id ${which} keys, Chromium fallback (pure JS)`,
            value: js,
            unit: 'ms',
            baseline: base,
            ratio: js / base.value,
          })
        }
      }
      return rows
    } finally {
      await browser.close()
      server.close()
    }
  },
}
