const EMPTY = new Uint8Array(0);
/** Bytes `peek`'s `alignedAt` gets to look at. */
const ALIGN_PREFIX_BYTES = 512;

/**
 * A FIFO of pushed byte chunks. Reading copies only when the requested range spans several chunks; otherwise it
 * returns a view (borrowing the pushed chunk), so total copying stays linear in the input size.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Index of the first unconsumed chunk in `chunks`. */
  private head = 0;
  /** Bytes already consumed from `chunks[head]`. */
  private headOffset = 0;
  private available = 0;
  private consumedTotal = 0;

  /** Unconsumed bytes. */
  get length(): number {
    return this.available;
  }

  /** Bytes consumed since creation: the offset of the next byte in the concatenated input. */
  get offset(): number {
    return this.consumedTotal;
  }

  /** Bytes of pushed chunks the queue still references (fully consumed chunks are released at once). */
  get retainedBytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) bytes += chunk.length;
    return bytes;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.available += bytes.length;
  }

  /**
   * The next `n` bytes without consuming them (n ≤ length). A view of a pushed chunk when possible (borrowed:
   * valid as long as the caller does not modify what it pushed), else a fresh copy; `alignedAt`, given the first
   * bytes, names an offset that the copy puts on an 8-byte boundary (e.g. an Arrow IPC payload, which Arrow
   * would otherwise copy again to align), or -1.
   */
  peek(n: number, alignedAt?: (prefix: Uint8Array) => number): Uint8Array {
    if (n > this.available) throw new RangeError(`peek(${n}) with only ${this.available} bytes queued`);
    const first = this.chunks[this.head];
    if (first === undefined || n === 0) return new Uint8Array(0);
    if (first.length - this.headOffset >= n) return first.subarray(this.headOffset, this.headOffset + n);
    // A copy: placed so that the offset `alignedAt` finds in the first bytes (if any) is 8-byte aligned.
    let pad = 0;
    if (alignedAt !== undefined) {
      const at = alignedAt(this.peek(Math.min(n, ALIGN_PREFIX_BYTES)));
      if (at >= 0) pad = (8 - (at % 8)) % 8;
    }
    const out = new Uint8Array(new ArrayBuffer(pad + n), pad, n);
    let filled = 0;
    let offset = this.headOffset;
    for (let i = this.head; filled < n; i++) {
      const chunk = this.chunks[i]!;
      const take = Math.min(chunk.length - offset, n - filled);
      out.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset = 0;
    }
    return out;
  }

  /**
   * At least `min(minBytes, length)` and at most `maxBytes` of the next bytes, without consuming them: a view of
   * the first pushed chunk when it holds `minBytes`, else a copy of at most `max(minBytes, 4096)` bytes (so that
   * scanning with small pushed pieces copies little per step).
   */
  peekSome(minBytes: number, maxBytes: number): Uint8Array {
    const first = this.chunks[this.head];
    if (first !== undefined && first.length - this.headOffset >= minBytes) {
      return first.subarray(
        this.headOffset,
        this.headOffset + Math.min(maxBytes, first.length - this.headOffset),
      );
    }
    return this.peek(Math.min(this.available, maxBytes, Math.max(minBytes, 4096)));
  }

  /** `peek(n)` then `skip(n)`. */
  take(n: number): Uint8Array {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  /** Consumes `n` bytes (n ≤ length). */
  skip(n: number): void {
    if (n > this.available) throw new RangeError(`skip(${n}) with only ${this.available} bytes queued`);
    this.available -= n;
    this.consumedTotal += n;
    let remaining = n;
    while (remaining > 0) {
      const chunk = this.chunks[this.head]!;
      const left = chunk.length - this.headOffset;
      if (remaining < left) {
        this.headOffset += remaining;
        remaining = 0;
      } else {
        remaining -= left;
        this.chunks[this.head] = EMPTY; // release the consumed chunk now, not at the next compaction
        this.head += 1;
        this.headOffset = 0;
      }
    }
    this.compact();
  }

  /** Drops everything queued (counted as consumed). */
  clear(): void {
    this.skip(this.available);
  }

  private compact(): void {
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
