import { uninitializedBytes } from "@iris/rrd/node";

/**
 * Reusable buffers for the sink's own copies of logged frames. A fresh multi-MB `Uint8Array` costs a zero fill
 * and page faults on first touch, several times the copy itself, and garbage for the collector; a buffer given
 * back after its message was acknowledged is reused for a later frame of the same or a smaller size. At most
 * `maxPooledBytes` are kept.
 */
export class FramePool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;

  constructor(private readonly maxPooledBytes: number) {}

  /** A buffer of exactly `bytes` bytes (a view of a pooled or new memory block); its contents are undefined. */
  acquire(bytes: number): Uint8Array {
    // The smallest free block that fits, so that small messages do not take the frame-sized ones.
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= bytes && (best < 0 || size < this.free[best]!.byteLength)) best = i;
    }
    if (best >= 0) {
      const block = this.free.splice(best, 1)[0]!;
      this.freeBytes -= block.byteLength;
      return new Uint8Array(block, 0, bytes);
    }
    // Node's uninitialized allocation: the caller overwrites every byte it uses.
    return uninitializedBytes(bytes);
  }

  /** Gives back a buffer from `acquire` that nothing reads any more. */
  release(view: Uint8Array): void {
    const block = view.buffer;
    if (!(block instanceof ArrayBuffer) || view.byteOffset !== 0) return;
    if (this.freeBytes + block.byteLength > this.maxPooledBytes) return;
    this.free.push(block);
    this.freeBytes += block.byteLength;
  }

  /** Bytes held for reuse. */
  get pooledBytes(): number {
    return this.freeBytes;
  }
}
