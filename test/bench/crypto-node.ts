// Crypto in Node (issue 12, point 5): sealing and opening a 4 KiB padded envelope with crypto/
// (tweetnacl), and attachment encryption of a large file, each against native libsodium
// (sodium-native) doing the same primitives in the same run.
import sodium from 'sodium-native'
import { openItem, sealItem } from '../../crypto/item'
import { createAttachmentEncryptor, ATTACHMENT_CHUNK_SIZE } from '../../crypto/attachment'
import { generateCaseKeyPair } from '../../crypto/keys'
import nacl from 'tweetnacl'
import type { Section } from './lib/context'
import type { Row } from './lib/table'

const TEXT = 'Посадова особа вимагала неправомірну вигоду за погодження дозволу. '.repeat(28)

/** Calls per second of `fn`, run for about `ms`. */
function rate(fn: () => void, ms: number): number {
  fn()
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < ms) {
    fn()
    n++
  }
  return n / ((performance.now() - t0) / 1000)
}

export const cryptoNode: Section = {
  name: 'crypto-node',
  run(ctx) {
    const ms = ctx.quick ? 1000 : 3000
    const keys = generateCaseKeyPair()
    const sign = nacl.sign.keyPair()
    const input = (i: number) => ({
      caseId: 'bench-case',
      itemId: `item-${i}`,
      seq: 1,
      prev: '',
      author: { role: 'reporter' as const },
      createdAt: new Date().toISOString(),
      type: 'answers' as const,
      body: { questionsVersion: 1, answers: { what: TEXT }, attachments: 0 },
    })
    let i = 0
    const seals = rate(() => void sealItem(input(i++), keys.publicKey, sign.secretKey), ms)
    const stored = sealItem(input(0), keys.publicKey, sign.secretKey)
    const opens = rate(
      () =>
        void openItem(stored, keys.publicKey, keys.secretKey, {
          caseId: 'bench-case',
          seq: 1,
          itemId: 'item-0',
          signerPublicKey: () => sign.publicKey,
        }),
      ms
    )
    // libsodium: the same work (Ed25519 sign + sealed box of 4 KiB; open + verify).
    const plain = Buffer.alloc(4096, 1)
    const pk = Buffer.alloc(32)
    const sk = Buffer.alloc(32)
    sodium.crypto_box_keypair(pk, sk)
    const spk = Buffer.alloc(32)
    const ssk = Buffer.alloc(64)
    sodium.crypto_sign_keypair(spk, ssk)
    const sig = Buffer.alloc(64)
    const sealed = Buffer.alloc(4096 + 48)
    const nativeSeal = rate(() => {
      sodium.crypto_sign_detached(sig, plain.subarray(0, 3600), ssk)
      sodium.crypto_box_seal(sealed, plain, pk)
    }, ms)
    const opened = Buffer.alloc(4096)
    const nativeOpen = rate(() => {
      sodium.crypto_box_seal_open(opened, sealed, pk, sk)
      sodium.crypto_sign_verify_detached(sig, plain.subarray(0, 3600), spk)
    }, ms)

    // Attachments: 64 KiB frames of XSalsa20-Poly1305 plus a SHA-256 of the plaintext.
    const mib = ctx.quick ? 16 : 100
    const chunk = new Uint8Array(ATTACHMENT_CHUNK_SIZE).fill(7)
    const frames = (mib * 1024 * 1024) / chunk.length
    const enc = createAttachmentEncryptor()
    let t0 = performance.now()
    for (let f = 0; f < frames; f++) enc.encryptChunk(chunk, f === frames - 1)
    const ours = mib / ((performance.now() - t0) / 1000)
    const key = Buffer.alloc(32, 1)
    const nonce = Buffer.alloc(24)
    const c = Buffer.alloc(chunk.length + 16)
    const h = Buffer.alloc(sodium.crypto_hash_sha256_STATEBYTES)
    const digest = Buffer.alloc(32)
    const bchunk = Buffer.from(chunk)
    t0 = performance.now()
    sodium.crypto_hash_sha256_init(h)
    for (let f = 0; f < frames; f++) {
      nonce.writeUInt32BE(f, 16)
      sodium.crypto_hash_sha256_update(h, bchunk)
      sodium.crypto_secretbox_easy(c, bchunk, nonce, key)
    }
    sodium.crypto_hash_sha256_final(h, digest)
    const native = mib / ((performance.now() - t0) / 1000)

    const rows: Row[] = [
      {
        section: 'crypto',
        name: 'seal 4 KiB envelope (sign + sealed box), Node',
        value: seals,
        unit: '/s',
        baseline: { name: 'libsodium native', value: nativeSeal },
        ratio: seals / nativeSeal,
      },
      {
        section: 'crypto',
        name: 'open 4 KiB envelope (open + verify), Node',
        value: opens,
        unit: '/s',
        baseline: { name: 'libsodium native', value: nativeOpen },
        ratio: opens / nativeOpen,
      },
      {
        section: 'crypto',
        name: `attachment encryption ${mib} MiB, Node`,
        value: ours,
        unit: 'MiB/s',
        baseline: { name: 'libsodium native', value: native },
        ratio: ours / native,
        note: 'tweetnacl secretbox + @noble/hashes SHA-256, 64 KiB frames',
      },
    ]
    return Promise.resolve(rows)
  },
}
