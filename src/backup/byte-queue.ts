// A FIFO of bytes for the backup readers: file pieces and decrypted chunks arrive in any sizes,
// frames and records are taken out by exact lengths.
/** Bytes arriving in pieces of any size, taken out by exact lengths without re-copying all. */
export class ByteQueue {
  private parts: Uint8Array[] = []
  length = 0
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    this.parts.push(bytes)
    this.length += bytes.length
  }
  /** The first n bytes, left in place. */
  peek(n: number): Uint8Array {
    const out = new Uint8Array(n)
    let off = 0
    for (const part of this.parts) {
      if (off >= n) break
      const k = Math.min(part.length, n - off)
      out.set(part.subarray(0, k), off)
      off += k
    }
    return out
  }
  take(n: number): Uint8Array {
    const out = new Uint8Array(n)
    let off = 0
    while (off < n) {
      const head = this.parts[0]!
      const k = Math.min(head.length, n - off)
      out.set(head.subarray(0, k), off)
      off += k
      if (k === head.length) this.parts.shift()
      else this.parts[0] = head.subarray(k)
    }
    this.length -= n
    return out
  }
  /** Everything left, for the padding check. */
  rest(): Uint8Array {
    return this.take(this.length)
  }
}
