import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { toBase64, verifyThread, type ThreadHead } from '../../../crypto'
import { EMPTY_HEAD, headOf } from '../../../src/browser/chain'
import {
  formatHead,
  nextSeen,
  officerHeads,
  openHeads,
  sessionHeads,
} from '../../../src/browser/thread-head'

function memoryStorage() {
  const m = new Map<string, string>()
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  }
}

const h = (seq: number, fill = seq): ThreadHead => ({
  seq,
  hash: toBase64(new Uint8Array(32).fill(fill)),
})
const link = (seq: number, fill = seq) => ({
  caseId: 'c',
  itemId: `i${seq}-${fill}`,
  ...h(seq, fill),
})

describe('thread heads', () => {
  it('formats a head for people', () => {
    expect(formatHead({ seq: 7, hash: toBase64(new Uint8Array([0x3f, 0xa2, 0x91, 0xc0])) })).toBe(
      '#7 · 3fa2 91c0'
    )
  })

  it('moves the mark forward, never back, and keeps it after a cut or replaced view', () => {
    const three = verifyThread([link(1), link(2), link(3)])
    expect(nextSeen(undefined, three)).toEqual(h(3))
    expect(nextSeen(h(2), three)).toEqual(h(3))
    const cut = verifyThread([link(1), link(2)], { seen: h(3) })
    expect(cut.behindSeen).toBe(true)
    expect(nextSeen(h(3), cut)).toEqual(h(3))
    const replaced = verifyThread([link(1), link(2), link(3, 99)], { seen: h(3) })
    expect(replaced.seenReplaced).toBe(true)
    expect(nextSeen(h(3), replaced)).toEqual(h(3))
    // A replaced mark stays flagged even when the thread grows past it.
    const grown = verifyThread([link(1), link(2), link(3, 99), link(4)], { seen: h(3) })
    expect(grown.seenReplaced).toBe(true)
    expect(nextSeen(h(3), grown)).toEqual(h(3))
  })

  it('keeps the reporter’s mark per case in session storage', () => {
    const storage = memoryStorage()
    const heads = sessionHeads(storage)
    expect(heads.get('case-1')).toBeUndefined()
    heads.put('case-1', h(4))
    expect(sessionHeads(storage).get('case-1')).toEqual(h(4))
    expect(heads.get('case-2')).toBeUndefined()
    storage.map.set('portal.thread-head.case-3', '{"seq":"x"}')
    expect(heads.get('case-3')).toBeUndefined()
    // Storage that throws (disabled) is no mark, not an error.
    const broken = sessionHeads({
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      },
    })
    expect(broken.get('case-1')).toBeUndefined()
    expect(() => broken.put('case-1', h(1))).not.toThrow()
  })

  it('seals the officer’s marks under a key derived from the box secret key', () => {
    const storage = memoryStorage()
    const mine = nacl.box.keyPair().secretKey
    officerHeads(storage, 'off-1', mine).put('case-secret-id', h(5))
    officerHeads(storage, 'off-1', mine).put('case-2', h(2))
    expect(officerHeads(storage, 'off-1', mine).get('case-secret-id')).toEqual(h(5))
    const raw = [...storage.map.values()].join()
    expect(raw).not.toContain('case-secret-id')
    expect(raw).not.toContain(h(5).hash)
    expect(officerHeads(storage, 'off-1', nacl.box.keyPair().secretKey).get('case-2')).toBe(
      undefined
    )
    expect(openHeads('not base64!', mine).size).toBe(0)
  })

  it('takes the head of a listing from the ciphertext, notes by their listed hash', () => {
    expect(headOf([])).toEqual(EMPTY_HEAD)
    const a = toBase64(nacl.randomBytes(100))
    const b = toBase64(nacl.randomBytes(100))
    const head = headOf([
      { seq: 2, sealed: b },
      { seq: 1, sealed: a },
    ])
    expect(head.seq).toBe(2)
    expect(head.hash).not.toBe(headOf([{ seq: 1, sealed: a }]).hash)
    expect(headOf([{ seq: 2, sealed: b }], [{ seq: 3, hash: 'note-hash' }])).toEqual({
      seq: 3,
      hash: 'note-hash',
    })
  })
})
