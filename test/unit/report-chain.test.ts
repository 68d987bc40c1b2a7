import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import {
  SESSION_PLAIN_BYTES,
  decodeSessionSecrets,
  encodeSessionSecrets,
  openSessionBlob,
  sealSessionBlob,
} from '../../src/report/chain'

const random = { bytes: (n: number) => nacl.randomBytes(n) }
const secrets = () => ({ caseSecretKey: nacl.randomBytes(32), signSecretKey: nacl.randomBytes(64) })
const hash = Buffer.from(nacl.randomBytes(32)).toString('base64')

describe('no-JS session blob', () => {
  it('keeps the keys and the seen head under the cookie key', () => {
    const s = { ...secrets(), seen: { seq: 7, hash } }
    const key = nacl.randomBytes(32)
    const blob = sealSessionBlob(random, key, s)
    expect(blob.length).toBe(24 + SESSION_PLAIN_BYTES + 16)
    expect(openSessionBlob(blob, key)).toEqual(s)
    expect(openSessionBlob(blob, nacl.randomBytes(32))).toBeNull()
    expect(openSessionBlob(blob.subarray(0, 20), key)).toBeNull()
  })

  it('has the same length with nothing seen, and opens blobs from before the mark', () => {
    const s = secrets()
    expect(encodeSessionSecrets(s)).toHaveLength(SESSION_PLAIN_BYTES)
    expect(decodeSessionSecrets(encodeSessionSecrets(s))).toEqual(s)
    const legacy = new Uint8Array([...s.caseSecretKey, ...s.signSecretKey])
    expect(decodeSessionSecrets(legacy)).toEqual(s)
    expect(decodeSessionSecrets(new Uint8Array(100))).toBeNull()
  })
})
