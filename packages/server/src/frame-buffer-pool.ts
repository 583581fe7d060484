import { BlockPool } from "@iris/rrd/node";

/**
 * Reusable memory for the producers' messages as the proxy receives them (`GrpcFrameDecoder`). Each multi-MB
 * message used to get fresh memory: the C library maps every such block anew and unmaps it when it is freed, so
 * copying a 6 MB frame into it page-faulted ~1,500 times (90 % of the proxy's page faults, most of its system
 * time) and its allocation drove most garbage collections. A block comes back here when the last holder of its
 * message lets go (`FrameLease`): the history evicted it and every gRPC reader's socket has taken its bytes.
 * At most `maxPooledBytes` are kept (a `BlockPool`: blocks rounded up to 64 KiB, the oldest let go first; messages
 * under 256 KiB get fresh memory, and a block serves a message of at least 3/4 its size).
 */
export class FrameBufferPool {
  private readonly blocks: BlockPool;

  constructor(maxPooledBytes: number) {
    this.blocks = new BlockPool(maxPooledBytes, { minPooledBytes: 256 * 1024, minFill: 0.75 });
  }

  /** Messages received into a reused block. */
  get reuses(): number {
    return this.blocks.reuses;
  }

  /** `bytes` bytes, `pad` bytes into a pooled or new block; the contents are undefined. */
  acquire(bytes: number, pad: number): Uint8Array {
    return this.blocks.acquire(bytes, pad);
  }

  /** A lease on `view` (from `acquire`), with no holder yet: its block returns here when the last one releases. */
  lease(view: Uint8Array): FrameLease {
    return new FrameLease(view.buffer instanceof ArrayBuffer ? view.buffer : undefined, this);
  }

  /** Bytes held for reuse. */
  get pooledBytes(): number {
    return this.blocks.pooledBytes;
  }

  /** @internal */
  giveBack(block: ArrayBuffer): void {
    this.blocks.release(new Uint8Array(block));
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
