import { uninitializedBytes } from "@iris/rrd/node";

/** Smaller messages get fresh memory (the C library reuses small blocks by itself). */
const MIN_POOLED_BYTES = 256 * 1024;
/** A block serves a message of at least this fraction of its size, so small messages do not pin big blocks. */
const MIN_FILL = 0.75;

/**
 * Reusable memory for the producers' messages as the proxy receives them (`GrpcFrameDecoder`). Each multi-MB
 * message used to get fresh memory: the C library maps every such block anew and unmaps it when it is freed, so
 * copying a 6 MB frame into it page-faulted ~1,500 times (90 % of the proxy's page faults, most of its system
 * time) and its allocation drove most garbage collections. A block comes back here when the last holder of its
 * message lets go (`FrameLease`): the history evicted it and every gRPC reader's socket has taken its bytes.
 * At most `maxPooledBytes` are kept.
 */
export class FrameBufferPool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;
  /** Messages received into a reused block. */
  reuses = 0;

  constructor(private readonly maxPooledBytes: number) {}

  /** `bytes` bytes, `pad` bytes into a pooled or new block; the contents are undefined. */
  acquire(bytes: number, pad: number): Uint8Array {
    const need = pad + bytes;
    let best = -1;
    if (need >= MIN_POOLED_BYTES) {
      for (let i = 0; i < this.free.length; i++) {
        const size = this.free[i]!.byteLength;
        if (size >= need && need >= size * MIN_FILL && (best < 0 || size < this.free[best]!.byteLength)) {
          best = i;
        }
      }
    }
    if (best >= 0) {
      const block = this.free.splice(best, 1)[0]!;
      this.freeBytes -= block.byteLength;
      this.reuses++;
      return new Uint8Array(block, pad, bytes);
    }
    return uninitializedBytes(bytes, pad);
  }

  /** A lease on `view` (from `acquire`), with no holder yet: its block returns here when the last one releases. */
  lease(view: Uint8Array): FrameLease {
    return new FrameLease(view.buffer instanceof ArrayBuffer ? view.buffer : undefined, this);
  }

  /** Bytes held for reuse. */
  get pooledBytes(): number {
    return this.freeBytes;
  }

  /** @internal */
  giveBack(block: ArrayBuffer): void {
    if (block.byteLength < MIN_POOLED_BYTES || this.freeBytes + block.byteLength > this.maxPooledBytes)
      return;
    this.free.push(block);
    this.freeBytes += block.byteLength;
  }
}

/**
 * Counts the holders of one received message's memory (the history, each reader's queue, each write to a reader's
 * socket). When the count falls back to zero the block is reused for another message, so every holder must
 * release exactly once what it retained. `pin` keeps the block from ever being reused (for a holder that cannot
 * tell when it is done, such as connect-node's readers): it is then freed by the garbage collector as before.
 */
export class FrameLease {
  private holders = 0;
  private pinned = false;
  private returned = false;

  constructor(
    private readonly block: ArrayBuffer | undefined,
    private readonly pool: FrameBufferPool,
  ) {}

  retain(): void {
    this.holders++;
  }

  release(): void {
    this.holders--;
    if (this.holders > 0 || this.pinned || this.returned || this.block === undefined) return;
    this.returned = true;
    this.pool.giveBack(this.block);
  }

  pin(): void {
    this.pinned = true;
  }

  /** True once the block went back to the pool (the message's bytes may have been overwritten since). */
  get reused(): boolean {
    return this.returned;
  }
}
