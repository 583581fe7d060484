import type { Chunk } from "@iris/chunk";
import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import { LazyChunkLoader } from "./lazy-chunk-loader.ts";
import type { ChunkIndexEntry } from "./lazy-loader-types.ts";
import { timeRangesOf } from "./stored-chunk.ts";
import { scalarType, testChunk } from "./test-chunks.ts";

const X = "Test:x";
const Y = "Test:y";

/** The index entry a manifest would give for a chunk (computed from the chunk, independently of the loader). */
function entryOf(chunk: Chunk): ChunkIndexEntry {
  return {
    chunkId: chunk.id,
    entityPath: chunk.entityPath,
    isStatic: chunk.isStatic,
    timeRanges: timeRangesOf(chunk),
    components: [...chunk.components.entries()]
      .filter(([, c]) => c.list.nullCount < c.list.length)
      .map(([name]) => name),
    byteSize: chunk.sizeBytes,
  };
}

/** A fetcher over an in-memory "file" that records what was read. */
function memoryFetcher(chunks: readonly Chunk[]) {
  const byId = new Map(chunks.map((c) => [c.id.toString(), c]));
  const reads: string[][] = [];
  const fetch = (entries: readonly ChunkIndexEntry[]): Promise<Chunk[]> => {
    reads.push(entries.map((e) => e.chunkId.toString()));
    return Promise.resolve(entries.map((e) => byId.get(e.chunkId.toString())!));
  };
  return { fetch, reads };
}

/** /e: 100 chunks of 10 frames (rows of 16 floats); /f: 20 chunks of 50 frames, every 5th frame; /e static Y. */
function recording(): Chunk[] {
  const chunks: Chunk[] = [];
  let id = 1;
  let row = 1;
  chunks.push(testChunk({ id: id++, entityPath: "/e", rows: [{ rowId: row++, values: { [Y]: [42] } }] }));
  for (let c = 0; c < 100; c++) {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      rowId: row++,
      times: { frame: BigInt(c * 10 + i) },
      values: { [X]: Array.from({ length: 16 }, (_, k) => c * 10 + i + k) },
    }));
    chunks.push(testChunk({ id: id++, entityPath: "/e", rows }));
    if (c % 5 === 0) {
      const fRows = Array.from({ length: 10 }, (_, i) => ({
        rowId: row++,
        times: { frame: BigInt(c * 10 + i * 5) },
        values: { [X]: [-(c * 10 + i * 5)] },
      }));
      chunks.push(testChunk({ id: id++, entityPath: "/f", rows: fRows }));
    }
  }
  return chunks;
}

function fullStore(chunks: readonly Chunk[]): ChunkStore {
  const store = new ChunkStore({ compaction: "disabled" });
  for (const c of chunks) store.insert(c);
  return store;
}

function answers(store: ChunkStore, time: bigint): unknown[] {
  return ["/e", "/f"].flatMap((entityPath) =>
    [X, Y].map((component) =>
      store.latestAtValues({ entityPath, timeline: "frame", time, component }, scalarType),
    ),
  );
}

describe("LazyChunkLoader", () => {
  it("knows every timeline's full range and entity from the index before reading any chunk", () => {
    const chunks = recording();
    const { fetch, reads } = memoryFetcher(chunks);
    const loader = new LazyChunkLoader(
      new ChunkStore({ compaction: "disabled" }),
      chunks.map(entryOf),
      fetch,
      { timelineTypes: new Map([["frame", "sequence"]]) },
    );
    expect([...loader.timelines().values()]).toEqual([
      { name: "frame", type: "sequence", min: 0n, max: 999n },
    ]);
    expect(loader.entityPaths()).toEqual(["/e", "/f"]);
    expect(reads).toEqual([]);
  });

  it("reads only the chunks a frame needs and answers latest-at exactly like the whole recording", async () => {
    const chunks = recording();
    const full = fullStore(chunks);
    const { fetch, reads } = memoryFetcher(chunks);
    const store = new ChunkStore({ compaction: "disabled" });
    const loader = new LazyChunkLoader(store, chunks.map(entryOf), fetch);
    await loader.loadStatic();
    expect(reads).toEqual([[chunks[0]!.id.toString()]]);
    await loader.ensureFrame({ timeline: "frame", time: 255n });
    // One chunk of /e (250–259) and one of /f (250–295), in one fetcher call.
    expect(reads.length).toBe(2);
    expect(reads[1]!.length).toBe(2);
    expect(answers(store, 255n)).toEqual(answers(full, 255n));
    for (const time of [-5n, 0n, 9n, 10n, 499n, 500n, 777n, 999n, 5000n, 3n, 254n]) {
      await loader.ensureFrame({ timeline: "frame", time });
      expect(answers(store, time), `t=${time}`).toEqual(answers(full, time));
    }
    // An entity filter limits the reads to that entity.
    const before = loader.counters.chunksFetched;
    await loader.ensureFrame({ timeline: "frame", time: 123n, entityPaths: ["/f"] });
    expect(loader.counters.chunksFetched - before).toBe(1);
  });

  it("stays within the memory budget while scrubbing, never evicting the current frame or static data", async () => {
    const chunks = recording();
    const full = fullStore(chunks);
    const temporalBytes = chunks[1]!.sizeBytes;
    const budget = 6 * temporalBytes;
    const { fetch } = memoryFetcher(chunks);
    const store = new ChunkStore({ compaction: "disabled" });
    const loader = new LazyChunkLoader(store, chunks.map(entryOf), fetch, { memoryBudgetBytes: budget });
    await loader.loadStatic();
    for (let time = 0n; time < 1000n; time += 7n) {
      await loader.ensureFrame({ timeline: "frame", time });
      expect(store.stats().bytes, `t=${time}`).toBeLessThanOrEqual(budget);
      expect(answers(store, time), `t=${time}`).toEqual(answers(full, time));
      expect(store.stats().static.chunks).toBe(1);
    }
    expect(loader.counters.evictions).toBeGreaterThan(50);
    expect(store.stats().evicted.chunks).toBe(loader.counters.evictions);
    // Going back re-reads what was evicted, and what is resident now is the most recently used.
    const fetched = loader.counters.chunksFetched;
    await loader.ensureFrame({ timeline: "frame", time: 0n });
    expect(loader.counters.chunksFetched).toBe(fetched + 2);
    expect(answers(store, 0n)).toEqual(answers(full, 0n));
  });

  it("keeps what the current frame needs even when it alone is over the budget", async () => {
    const chunks = recording();
    const { fetch } = memoryFetcher(chunks);
    const store = new ChunkStore({ compaction: "disabled" });
    const loader = new LazyChunkLoader(store, chunks.map(entryOf), fetch, { memoryBudgetBytes: 1 });
    await loader.ensureFrame({ timeline: "frame", time: 12n });
    await loader.ensureFrame({ timeline: "frame", time: 512n });
    expect(store.stats().temporal.chunks).toBe(2);
    expect(store.latestAt({ entityPath: "/e", timeline: "frame", time: 512n, component: X })?.time).toBe(
      512n,
    );
    expect(store.latestAt({ entityPath: "/f", timeline: "frame", time: 512n, component: X })?.time).toBe(
      510n,
    );
  });

  it("reads the chunks of a time range (rows of a table), keeps them and the current frame, within the budget", async () => {
    const chunks = recording();
    const full = fullStore(chunks);
    const { fetch } = memoryFetcher(chunks);
    const store = new ChunkStore({ compaction: "disabled" });
    const budget = 6 * chunks[1]!.sizeBytes;
    const loader = new LazyChunkLoader(store, chunks.map(entryOf), fetch, { memoryBudgetBytes: budget });
    await loader.loadStatic();
    await loader.ensureFrame({ timeline: "frame", time: 5n });
    for (let min = 0n; min < 1000n; min += 37n) {
      const max = min + 14n; // at most 2 chunks of /e: within the default maxBytes (half the budget)
      await loader.ensureRange({ timeline: "frame", min, max, entityPaths: ["/e"] });
      // Every row of /e in the range is resident: exact-time queries answer as on the whole recording.
      for (let t = min; t <= max && t < 1000n; t++) {
        const row = store.latestAt({ entityPath: "/e", timeline: "frame", time: t, component: X });
        expect(row?.time, `t=${t}`).toBe(t);
      }
      const inRange = loader.entriesInRange({ timeline: "frame", min, max, entityPaths: ["/e"] });
      // /e has chunks of 10 frames (0–9, 10–19, …, 990–999).
      const last = max < 999n ? max : 999n;
      expect(inRange.length, `min=${min}`).toBe(Number(last / 10n - min / 10n) + 1);
      expect(inRange.every((e) => loader.isResident(e))).toBe(true);
      // The current frame's chunks stay (pinned), and the budget holds beyond what both need.
      expect(answers(store, 5n)).toEqual(answers(full, 5n));
      expect(store.stats().bytes, `min=${min}`).toBeLessThanOrEqual(budget);
    }
    expect(loader.counters.evictions).toBeGreaterThan(20);
    // A range whose chunks exceed `maxBytes`: the earliest are read, the rest left out and counted.
    const size = chunks[1]!.sizeBytes;
    const capped = await loader.ensureRange({
      timeline: "frame",
      min: 600n,
      max: 649n,
      entityPaths: ["/e"],
      maxBytes: 2.5 * size,
    });
    const wanted = loader.entriesInRange({ timeline: "frame", min: 600n, max: 649n, entityPaths: ["/e"] });
    expect(wanted.length).toBe(5);
    expect(wanted.map((e) => loader.isResident(e))).toEqual([true, true, false, false, false]);
    expect(capped.skipped).toBe(3);
    // Read without keeping: nothing more is resident.
    const resident = store.stats().chunks;
    const read = await loader.readTransient(chunks.slice(50, 60).map(entryOf));
    expect(read.map((c) => c.id.toString())).toEqual(chunks.slice(50, 60).map((c) => c.id.toString()));
    expect(store.stats().chunks).toBe(resident);
  });

  it("keeps a range's chunks past later frames until releaseRange, then evicts them as others", async () => {
    const chunks = recording();
    const { fetch } = memoryFetcher(chunks);
    const store = new ChunkStore({ compaction: "disabled" });
    // A budget of 1 byte: everything not pinned goes at each eviction.
    const loader = new LazyChunkLoader(store, chunks.map(entryOf), fetch, { memoryBudgetBytes: 1 });
    const range = { timeline: "frame", min: 600n, max: 605n, entityPaths: ["/e"] };
    await loader.ensureRange({ ...range, maxBytes: Number.POSITIVE_INFINITY });
    const kept = loader.entriesInRange(range);
    expect(kept.length).toBeGreaterThan(0);
    await loader.ensureFrame({ timeline: "frame", time: 12n });
    expect(kept.every((e) => loader.isResident(e))).toBe(true);
    loader.releaseRange();
    await loader.ensureFrame({ timeline: "frame", time: 312n });
    expect(kept.some((e) => loader.isResident(e))).toBe(false);
  });

  it("reads older chunks when a chunk's first rows lack a component it holds later (row-level check)", async () => {
    // C: X at 0..3. A: rows 4..9, X only at t = 8 (so A lists X, but holds no X at or before t = 5).
    const c = testChunk({
      id: 1,
      rows: [0, 1, 2, 3].map((t) => ({ rowId: t + 1, times: { frame: BigInt(t) }, values: { [X]: [t] } })),
    });
    const a = testChunk({
      id: 2,
      rows: [4, 5, 6, 7, 8, 9].map((t) => ({
        rowId: t + 10,
        times: { frame: BigInt(t) },
        values: t === 8 ? { [X]: [t], [Y]: [t] } : { [Y]: [t] },
      })),
    });
    const { fetch, reads } = memoryFetcher([c, a]);
    const store = new ChunkStore({ compaction: "disabled" });
    const loader = new LazyChunkLoader(store, [c, a].map(entryOf), fetch);
    expect(loader.neededFor({ timeline: "frame", time: 5n }).map((e) => e.chunkId)).toEqual([a.id]);
    await loader.ensureFrame({ timeline: "frame", time: 5n });
    expect(reads.length).toBe(2);
    expect(
      store.latestAtValues({ entityPath: "/e", timeline: "frame", time: 5n, component: X }, scalarType),
    ).toEqual([3]);
  });

  it("runs only the newest of frames requested while one loads, and reports fetch failures", async () => {
    const chunks = recording();
    const { fetch } = memoryFetcher(chunks);
    const store = new ChunkStore({ compaction: "disabled" });
    const loader = new LazyChunkLoader(store, chunks.map(entryOf), fetch);
    const all = Array.from({ length: 20 }, (_, i) =>
      loader.ensureFrame({ timeline: "frame", time: BigInt(i * 40) }),
    );
    await Promise.all(all);
    expect(loader.counters.framesServed).toBe(2);
    expect(store.latestAt({ entityPath: "/e", timeline: "frame", time: 760n, component: X })?.time).toBe(
      760n,
    );

    const failing = new LazyChunkLoader(new ChunkStore({ compaction: "disabled" }), chunks.map(entryOf), () =>
      Promise.reject(new Error("disk gone")),
    );
    await expect(failing.ensureFrame({ timeline: "frame", time: 1n })).rejects.toThrow("disk gone");
    const lying = new LazyChunkLoader(new ChunkStore({ compaction: "disabled" }), chunks.map(entryOf), (e) =>
      Promise.resolve(e.map(() => chunks[5]!)),
    );
    await expect(lying.ensureFrame({ timeline: "frame", time: 1n })).rejects.toThrow(/the index says chunk/);
  });
});
