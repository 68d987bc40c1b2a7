// The no-JavaScript path holds receipt-derived keys, the case secret key and the cookie key in
// server memory for one request; each buffer is zeroed once the request no longer needs it.
import nacl from 'tweetnacl'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as KeysModule from '../../crypto/keys'
import type { KeyPair } from '../../crypto/keys'
import type * as ReceiptModule from '../../crypto/receipt'
import type { ReceiptKeys } from '../../crypto/receipt'
import { SESSION_PLAIN_BYTES } from '../../src/report/chain'
import { formPost, makeTestApp, TEST_ORIGIN, type TestApp } from '../helpers/app'
import { addOfficer } from '../helpers/officer'

const seen = vi.hoisted(() => ({
  receiptKeys: [] as ReceiptKeys[],
  grants: [] as Uint8Array[],
  casePairs: [] as KeyPair[],
}))

vi.mock('../../crypto/receipt', async (importOriginal) => {
  const real = await importOriginal<typeof ReceiptModule>()
  return {
    ...real,
    deriveReceiptKeys: async (...args: Parameters<typeof real.deriveReceiptKeys>) => {
      const keys = await real.deriveReceiptKeys(...args)
      seen.receiptKeys.push(keys)
      return keys
    },
  }
})
vi.mock('../../crypto/keys', async (importOriginal) => {
  const real = await importOriginal<typeof KeysModule>()
  return {
    ...real,
    openGrant: (...args: Parameters<typeof real.openGrant>) => {
      const key = real.openGrant(...args)
      seen.grants.push(key)
      return key
    },
    caseKeyPairFromSecret: (sk: Uint8Array) => {
      const pair = real.caseKeyPairFromSecret(sk)
      seen.casePairs.push(pair)
      return pair
    },
  }
})

const zero = (b: Uint8Array) => b.length > 0 && b.every((x) => x === 0)
function expectWiped(keys: ReceiptKeys) {
  expect(zero(keys.authKey), 'authKey').toBe(true)
  expect(zero(keys.box.secretKey), 'box secret key').toBe(true)
  expect(zero(keys.sign.secretKey), 'sign secret key').toBe(true)
}

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
  await addOfficer(t.store)
  seen.receiptKeys.length = 0
  seen.grants.length = 0
  seen.casePairs.length = 0
})
afterEach(async () => {
  vi.restoreAllMocks()
  await t.close()
})

async function report(): Promise<string> {
  const form = await (await t.app.request('/report')).text()
  const fd = new FormData()
  fd.append('formToken', /name="formToken" value="([^"]+)"/.exec(form)![1]!)
  fd.append('q_what', 'Kickbacks on road repairs')
  fd.append('q_how_known', 'work')
  const html = await (
    await t.app.request('/report', { method: 'POST', body: fd, headers: { Origin: TEST_ORIGIN } })
  ).text()
  return [...html.matchAll(/<span class="receipt-n">\d+<\/span> ([\p{L}-]+)<\/span>/gu)]
    .map((m) => m[1])
    .join(' ')
}

describe('secrets on the no-JavaScript path are zeroed after use', () => {
  it('when a report is sealed', async () => {
    await report()
    expect(seen.receiptKeys).toHaveLength(1)
    expectWiped(seen.receiptKeys[0]!)
  })

  it('when a receipt matches no case', async () => {
    const wrong = await t.app.request(
      '/status',
      formPost({ receipt: 'abacus abdomen abdominal abide abiding ability ablaze able' })
    )
    expect(wrong.status).toBe(401)
    expect(seen.receiptKeys).toHaveLength(1)
    expectWiped(seen.receiptKeys[0]!)
  })

  it('at login, and for each request the cookie unlocks', async () => {
    const receipt = await report()
    seen.receiptKeys.length = 0
    const opened: { key: Uint8Array; plain: Uint8Array | null }[] = []
    const open = nacl.secretbox.open.bind(nacl.secretbox)
    vi.spyOn(nacl.secretbox, 'open').mockImplementation((box, nonce, key) => {
      const plain = open(box, nonce, key)
      opened.push({ key, plain })
      return plain
    })

    const login = await t.app.request('/status', formPost({ receipt }))
    expect(login.status).toBe(303)
    expectWiped(seen.receiptKeys[0]!)
    expect(seen.grants).toHaveLength(1)
    expect(zero(seen.grants[0]!), 'case secret key from the grant').toBe(true)

    const cookie = login.headers.get('Set-Cookie')!.split(';')[0]!
    seen.casePairs.length = 0
    expect((await t.app.request('/status/case', { headers: { Cookie: cookie } })).status).toBe(200)
    const reply = await t.app.request('/status/case/reply', {
      method: 'POST',
      body: new URLSearchParams({ text: 'More detail' }),
      headers: {
        Origin: TEST_ORIGIN,
        Cookie: cookie,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    })
    expect(reply.status).toBe(303)
    // Cookie key and the unsealed session blob, for both requests.
    const sessionOpens = opened.filter((o) => o.plain?.length === SESSION_PLAIN_BYTES)
    expect(sessionOpens).toHaveLength(2)
    for (const o of sessionOpens) {
      expect(zero(o.key), 'cookie key').toBe(true)
      expect(zero(o.plain!), 'session plaintext').toBe(true)
    }
    // The copies of the case secret key that deriving the public key makes.
    expect(seen.casePairs.length).toBeGreaterThanOrEqual(2)
    for (const p of seen.casePairs) expect(zero(p.secretKey), 'case key pair copy').toBe(true)
  })
})
