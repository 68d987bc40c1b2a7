/**
 * Browser fast path: hash-wasm's Argon2id (needs CSP 'wasm-unsafe-eval'). Kept out of index.ts so
 * that only pages that import it on purpose pull WASM into their bundle. No page does yet (the CSP
 * allows no WebAssembly), so hash-wasm is a devDependency: the tests' independent Argon2id. A page
 * that starts using this moves it back to dependencies.
 */
import { argon2id as hashWasmArgon2id } from 'hash-wasm'

import { nobleArgon2id, type Argon2id } from './argon2'

export const wasmArgon2id: Argon2id = async (password, salt, { m, t, p, dkLen }) =>
  hashWasmArgon2id({
    password,
    salt,
    iterations: t,
    parallelism: p,
    memorySize: m,
    hashLength: dkLen,
    outputType: 'binary',
  })

/**
 * WASM when the browser allows it, otherwise pure JS (same output, slower). The choice is made on
 * the first call and kept.
 */
export function createFastArgon2id(fallback: Argon2id = nobleArgon2id): Argon2id {
  let useWasm = typeof WebAssembly === 'object'
  return async (password, salt, params) => {
    if (useWasm) {
      try {
        return await wasmArgon2id(password, salt, params)
      } catch {
        // WebAssembly blocked (CSP, Tor Browser "Safer") or failed to instantiate.
        useWasm = false
      }
    }
    return fallback(password, salt, params)
  }
}
