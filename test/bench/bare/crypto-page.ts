// Loaded in Chromium by crypto-browser.ts: the browser's side of the crypto figures, with the
// same crypto/ code the portal's bundles use.
import { createAttachmentEncryptor, ATTACHMENT_CHUNK_SIZE } from '../../../crypto/attachment'
import { nobleArgon2id } from '../../../crypto/argon2'
import { wasmArgon2id } from '../../../crypto/argon2-wasm'
import { OFFICER_KDF_DEFAULT } from '../../../crypto/keys'
import { RECEIPT_KDF } from '../../../crypto/receipt'

async function attachmentMiBs(mib: number): Promise<number> {
  const chunk = new Uint8Array(ATTACHMENT_CHUNK_SIZE).fill(7)
  const frames = (mib * 1024 * 1024) / chunk.length
  const enc = createAttachmentEncryptor()
  const t0 = performance.now()
  for (let f = 0; f < frames; f++) enc.encryptChunk(chunk, f === frames - 1)
  return Promise.resolve(mib / ((performance.now() - t0) / 1000))
}

async function argon2Ms(which: 'receipt' | 'officer', path: 'wasm' | 'js'): Promise<number> {
  const params = which === 'receipt' ? RECEIPT_KDF : { ...OFFICER_KDF_DEFAULT, dkLen: 32 }
  const fn = path === 'wasm' ? wasmArgon2id : nobleArgon2id
  const pw = new TextEncoder().encode('abacus abdomen abdominal abide abiding ability ablaze able')
  const t0 = performance.now()
  await fn(pw, new Uint8Array(16).fill(7), params)
  return performance.now() - t0
}

Object.assign(globalThis, { bench: { attachmentMiBs, argon2Ms } })
