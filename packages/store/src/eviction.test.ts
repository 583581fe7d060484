import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import type { StoreEvent } from "./store-events.ts";
import { chunkId, scalarType, testChunk } from "./test-chunks.ts";

const X = "Test:x";

/** One row of 64 floats at `frame`, RowId `rowId`. */
const frameChunk = (id: number, rowId: number, frame: bigint, entityPath = "/e") =>
  testChunk({
    id,
    entityPath,
    rows: [{ rowId, times: { frame }, values: { [X]: Array.from({ length: 64 }, (_, i) => rowId + i) } }],
  });

describe("ChunkStore memory budget", () => {
  it("keeps stats().bytes under the budget for an endless stream, evicting oldest RowIds, never static", () => {
    const chunkBytes = frameChunk(0, 0, 0n).sizeBytes;
    const budget = 50 * chunkBytes;
    const store = new ChunkStore({ memoryBudgetBytes: budget });
    const events: StoreEvent[] = [];
    store.subscribe((batch) => events.push(...batch));
    store.insert(testChunk({ id: 1_000_000, rows: [{ rowId: 0, values: { [X]: [-1] }, times: {} }] }));
    const staticBytes = store.stats().static.bytes;

    let maxBytes = 0;
    for (let i = 1; i <= 2_000; i++) {
      store.insert(frameChunk(i, i, BigInt(i), i % 2 === 0 ? "/e" : "/f"));
      maxBytes = Math.max(maxBytes, store.stats().bytes);
    }
    expect(maxBytes).toBeLessThanOrEqual(budget);
    expect(maxBytes).toBeGreaterThan(budget / 2);
    const stats = store.stats();
    expect(stats.static).toEqual({ chunks: 1, rows: 1, bytes: staticBytes });
    expect(stats.temporal.rows + stats.evicted.rows).toBe(2_000);
    expect(stats.evicted.rows).toBeGreaterThan(1_900);
    expect(stats.evicted.bytes).toBeGreaterThan(0);
    expect(storedFrames(store)).toHaveLength(stats.temporal.rows);
    expect(storedFrames(store).at(-1)).toBe(2_000);
    // Static data survived and still wins.
    expect(
      store.latestAtValues({ entityPath: "/e", timeline: "frame", time: 0n, component: X }, scalarType),
    ).toEqual([-1]);
    // Every deletion was an eviction of temporal data; additions minus deletions = what is stored.
    const deletions = events.filter((e) => e.kind === "deletion");
    expect(deletions.every((e) => e.kind === "deletion" && e.reason === "evicted" && !e.isStatic)).toBe(true);
    const added = events.filter((e) => e.kind === "addition").reduce((n, e) => n + e.numRows, 0);
    const removed = deletions.reduce((n, e) => n + e.numRows, 0);
    expect(added - removed).toBe(stats.rows);
  });

  it("without compaction, what is left of a stream is its newest rows, without gaps", () => {
    const budget = 20 * frameChunk(0, 0, 0n).sizeBytes;
    const store = new ChunkStore({ memoryBudgetBytes: budget, compaction: "disabled" });
    for (let i = 1; i <= 500; i++) store.insert(frameChunk(i, i, BigInt(i), i % 2 === 0 ? "/e" : "/f"));
    expect(storedFrames(store)).toEqual(Array.from({ length: 20 }, (_, i) => 481 + i));
    expect(store.stats().evicted.chunks).toBe(480);
  });

  it("evicts by smallest RowId, not by time", () => {
    const bytes = frameChunk(0, 0, 0n).sizeBytes;
    const store = new ChunkStore({ memoryBudgetBytes: 2 * bytes, compaction: "disabled" });
    store.insert(frameChunk(1, 10, 1n));
    store.insert(frameChunk(2, 5, 100n));
    const events = store.insert(frameChunk(3, 20, 50n));
    expect(events.map((e) => e.kind)).toEqual(["addition", "deletion"]);
    expect(events[1]!.chunk.id.equals(chunkId(2))).toBe(true);
    expect(events[1]).toMatchObject({
      reason: "evicted",
      timeRanges: new Map([["frame", { min: 100n, max: 100n }]]),
    });
    expect(store.latestAt({ entityPath: "/e", timeline: "frame", time: 1_000n, component: X })?.time).toBe(
      50n,
    );
    expect(store.stats().evicted).toEqual({ chunks: 1, rows: 1, bytes });
    // An evicted chunk id is forgotten: the chunk can be loaded again.
    expect(store.insert(frameChunk(2, 5, 100n)).length).toBeGreaterThan(0);
  });

  it("keeps static data even when it alone is over the budget", () => {
    const store = new ChunkStore({ memoryBudgetBytes: 10 });
    store.insert(testChunk({ id: 1, rows: [{ rowId: 1, values: { [X]: [1, 2, 3] } }] }));
    const events = store.insert(frameChunk(2, 2, 1n));
    expect(events.map((e) => e.kind)).toEqual(["addition", "deletion"]);
    expect(store.stats()).toMatchObject({
      static: { chunks: 1 },
      temporal: { chunks: 0, rows: 0, bytes: 0 },
    });
    expect(store.entityPaths()).toEqual(["/e"]);
    expect(store.timelines().size).toBe(0);
  });
});

function storedFrames(store: ChunkStore): number[] {
  return ["/e", "/f"]
    .flatMap((entityPath) =>
      store
        .rangeTemporal({ entityPath, timeline: "frame", start: 0n, end: 10_000n, component: X })
        .map((r) => Number(r.time)),
    )
    .sort((a, b) => a - b);
}
