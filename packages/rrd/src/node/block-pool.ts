import { uninitializedBytes } from "./uninitialized-bytes.ts";

/** New pooled blocks are rounded up to a multiple of this, so that messages a few bytes apart share blocks. */
export const BLOCK_GRANULE_BYTES = 64 * 1024;

export interface BlockPoolOptions {
  /** Requests below this many bytes get fresh memory and are not kept (the C library reuses small blocks itself). */
  minPooledBytes?: number;
  /** A block serves a request of at least this fraction of its size, so small requests do not pin big blocks. */
  minFill?: number;
}

/**
 * Reusable memory for multi-MB messages (frames being sent, received or decompressed). A fresh multi-MB block costs
 * page faults on first touch (the C library maps it anew and unmaps it when it is freed), and its allocation drives
 * V8's external-memory collections; a block given back once nothing reads it any more serves a later message of
 * about the same size. New blocks are rounded up to `BLOCK_GRANULE_BYTES`, and when more than `maxPooledBytes` would
 * be kept, the blocks given back longest ago are let go: so blocks that no request fits any more (a stream whose
 * messages grew by a few bytes) cannot fill the pool and turn every later request into a fresh allocation.
 */
export class BlockPool {
  /** Free blocks, the one given back longest ago first. */
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;
  private readonly minPooledBytes: number;
  private readonly minFill: number;
  /** Requests served from a pooled block. */
  reuses = 0;
  /** Requests of at least `minPooledBytes` that needed a new block. */
  allocations = 0;

  constructor(
    private readonly maxPooledBytes: number,
    options: BlockPoolOptions = {},
  ) {
    this.minPooledBytes = options.minPooledBytes ?? 256 * 1024;
    this.minFill = options.minFill ?? 0.5;
  }

  /** `bytes` bytes, `pad` bytes into a pooled or new block (its contents are undefined). */
  acquire(bytes: number, pad = 0): Uint8Array {
    const need = pad + bytes;
    if (need < this.minPooledBytes) return uninitializedBytes(bytes, pad);
    // The smallest free block that fits and that the request fills enough.
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= need && need >= size * this.minFill && (best < 0 || size < this.free[best]!.byteLength)) {
        best = i;
      }
    }
    if (best >= 0) {
      const block = this.free.splice(best, 1)[0]!;
      this.freeBytes -= block.byteLength;
      this.reuses++;
      return new Uint8Array(block, pad, bytes);
    }
    this.allocations++;
    const size = Math.ceil(need / BLOCK_GRANULE_BYTES) * BLOCK_GRANULE_BYTES;
    return new Uint8Array(uninitializedBytes(size).buffer, pad, bytes);
  }

  /**
   * Gives back the block under a view from `acquire` that nothing reads any more (blocks below `minPooledBytes`
   * are left to the collector). Beyond `maxPooledBytes`, the blocks given back longest ago are let go.
   */
  release(view: Uint8Array): void {
    const block = view.buffer;
    if (!(block instanceof ArrayBuffer) || block.byteLength < this.minPooledBytes) return;
    if (block.byteLength > this.maxPooledBytes) return;
    this.free.push(block);
    this.freeBytes += block.byteLength;
    while (this.freeBytes > this.maxPooledBytes) this.freeBytes -= this.free.shift()!.byteLength;
  }

  /** Bytes held for reuse. */
  get pooledBytes(): number {
    return this.freeBytes;
  }
}
