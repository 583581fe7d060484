import { describe, expect, it } from "vitest";
import { BLOCK_GRANULE_BYTES, BlockPool } from "./block-pool.ts";

const MB = 1024 * 1024;
/** A 1920×1080 RGB8 frame. */
const FRAME = 1920 * 1080 * 3;

describe("BlockPool", () => {
  it("rounds new blocks up to 64 KiB, so a message a few bytes longer reuses the block of a shorter one", () => {
    const pool = new BlockPool(64 * MB);
    const first = pool.acquire(FRAME + 100, 3);
    expect(first.length).toBe(FRAME + 100);
    expect(first.byteOffset).toBe(3);
    expect(first.buffer.byteLength % BLOCK_GRANULE_BYTES).toBe(0);
    expect(first.buffer.byteLength).toBeGreaterThanOrEqual(FRAME + 103);
    pool.release(first);
    const longer = pool.acquire(FRAME + 140, 7);
    expect(longer.buffer).toBe(first.buffer);
    expect([pool.reuses, pool.allocations]).toEqual([1, 1]);
  });

  it("lets go of blocks that no request fits any more instead of refusing newer ones (no poisoned pool)", () => {
    // The pool fills with blocks of a first size; then every message is larger than a block: without eviction,
    // the pool would stay full of useless blocks and refuse the new ones, so that every later message needed
    // fresh memory (as a stream whose messages grow past a 64 KiB boundary once did).
    const pool = new BlockPool(4 * FRAME);
    const small = Array.from({ length: 4 }, () => pool.acquire(FRAME - 2 * BLOCK_GRANULE_BYTES));
    for (const view of small) pool.release(view);
    const allocationsBefore = pool.allocations;
    for (let i = 0; i < 20; i++) pool.release(pool.acquire(FRAME));
    expect(pool.allocations - allocationsBefore).toBe(1);
    expect(pool.reuses).toBe(19);
    expect(pool.pooledBytes).toBeLessThanOrEqual(4 * FRAME);
  });

  it("keeps at most maxPooledBytes, the most recently given back", () => {
    const pool = new BlockPool(2 * MB + 1);
    const views = [pool.acquire(MB), pool.acquire(MB), pool.acquire(MB)];
    for (const view of views) pool.release(view);
    expect(pool.pooledBytes).toBe(2 * MB);
    const taken = [pool.acquire(MB).buffer, pool.acquire(MB).buffer];
    expect(taken).toContain(views[1]!.buffer);
    expect(taken).toContain(views[2]!.buffer);
    expect(taken).not.toContain(views[0]!.buffer);
  });

  it("gives small requests fresh memory of their exact size and never keeps it", () => {
    const pool = new BlockPool(64 * MB);
    const small = pool.acquire(1000, 5);
    expect([small.byteOffset, small.length, small.buffer.byteLength]).toEqual([5, 1000, 1005]);
    pool.release(small);
    expect(pool.pooledBytes).toBe(0);
    expect(pool.allocations).toBe(0);
  });

  it("serves a request only from a block it fills to minFill, best fit first", () => {
    const pool = new BlockPool(64 * MB, { minFill: 0.75 });
    const big = pool.acquire(8 * MB);
    const medium = pool.acquire(4 * MB);
    pool.release(big);
    pool.release(medium);
    expect(pool.acquire(3.5 * MB).buffer).toBe(medium.buffer); // best fit
    expect(pool.acquire(2 * MB).buffer).not.toBe(big.buffer); // would fill a quarter of it
    expect(pool.acquire(7 * MB).buffer).toBe(big.buffer);
  });
});
