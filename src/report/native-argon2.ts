// The server's Argon2id: the native @node-rs/argon2 binding, byte-identical to the pure-JS one
// in crypto/argon2.ts (test/unit/crypto checks the equality). Used on the no-JavaScript path.
import { hashRaw, type Algorithm, type Version } from '@node-rs/argon2'
import type { Argon2id } from '../../crypto/argon2'

const ARGON2ID = 2 as Algorithm // const enum Algorithm.Argon2id
const V0X13 = 1 as Version // const enum Version.V0x13

export const nativeArgon2id: Argon2id = async (password, salt, { m, t, p, dkLen }) =>
  new Uint8Array(
    await hashRaw(Buffer.from(password), {
      algorithm: ARGON2ID,
      version: V0X13,
      memoryCost: m,
      timeCost: t,
      parallelism: p,
      outputLen: dkLen,
      salt: Buffer.from(salt),
    })
  )
