import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import type { StoreEvent } from "./store-events.ts";
import { StoreError } from "./store-error.ts";
import { chunkId, rowId, scalarType, testChunk } from "./test-chunks.ts";

const X = "Test:x";
const Y = "Test:y";

function valuesAt(store: ChunkStore, time: bigint, options: { component?: string; timeline?: string } = {}) {
  return store.latestAtValues(
    { entityPath: "/e", timeline: options.timeline ?? "frame", time, component: options.component ?? X },
    scalarType,
  );
}

describe("ChunkStore.latestAt", () => {
  it("returns the row with the greatest time ≤ t, undefined before the first time", () => {
    const store = new ChunkStore();
    store.insert(
      testChunk({
        id: 1,
        rows: [
          { rowId: 1, times: { frame: 10n }, values: { [X]: [1] } },
          { rowId: 2, times: { frame: 20n }, values: { [X]: [2] } },
        ],
      }),
    );
    expect(valuesAt(store, 9n)).toBeUndefined();
    expect(valuesAt(store, 10n)).toEqual([1]);
    expect(valuesAt(store, 19n)).toEqual([1]);
    expect(valuesAt(store, 20n)).toEqual([2]);
    expect(valuesAt(store, 1_000n)).toEqual([2]);
    const row = store.latestAt({ entityPath: "/e", timeline: "frame", time: 15n, component: X })!;
    expect(row).toMatchObject({ row: 0, time: 10n, isStatic: false });
    expect(row.rowId.equals(rowId(1))).toBe(true);
    expect(row.chunk.id.equals(chunkId(1))).toBe(true);
  });

  it("breaks ties at equal times by the greatest RowId, across and within chunks, in any order", () => {
    const store = new ChunkStore({ compaction: "disabled" });
    // Chunk 1 is unsorted: at t=5 RowIds 3 then 9 then 4; chunk 2 logs t=5 with RowId 7.
    store.insert(
      testChunk({
        id: 1,
        rows: [
          { rowId: 3, times: { frame: 5n }, values: { [X]: [30] } },
          { rowId: 9, times: { frame: 5n }, values: { [X]: [90] } },
          { rowId: 4, times: { frame: 5n }, values: { [X]: [40] } },
          { rowId: 1, times: { frame: 6n }, values: { [X]: [10] } },
        ],
      }),
    );
    store.insert(testChunk({ id: 2, rows: [{ rowId: 7, times: { frame: 5n }, values: { [X]: [70] } }] }));
    expect(valuesAt(store, 5n)).toEqual([90]);
    // A later time wins even with a smaller RowId.
    expect(valuesAt(store, 6n)).toEqual([10]);
    // A greater RowId at the same time inserted later wins.
    store.insert(testChunk({ id: 3, rows: [{ rowId: 12, times: { frame: 5n }, values: { [X]: [120] } }] }));
    expect(valuesAt(store, 5n)).toEqual([120]);
  });

  it("skips rows where the component is null, returns an empty list (a clear) as []", () => {
    const store = new ChunkStore();
    store.insert(
      testChunk({
        id: 1,
        rows: [
          { rowId: 1, times: { frame: 1n }, values: { [X]: [1, 2], [Y]: [100] } },
          { rowId: 2, times: { frame: 2n }, values: { [Y]: [200] } }, // X not logged
          { rowId: 3, times: { frame: 3n }, values: { [X]: [] } }, // X cleared
          { rowId: 4, times: { frame: 4n }, values: { [Y]: [400] } },
        ],
      }),
    );
    expect(valuesAt(store, 2n)).toEqual([1, 2]);
    expect(valuesAt(store, 3n)).toEqual([]);
    expect(valuesAt(store, 4n)).toEqual([]);
    expect(valuesAt(store, 3n, { component: Y })).toEqual([200]);
    expect(valuesAt(store, 4n, { component: Y })).toEqual([400]);
    expect(valuesAt(store, 4n, { component: "Test:unknown" })).toBeUndefined();
    expect(
      store.latestAt({ entityPath: "/nobody", timeline: "frame", time: 4n, component: X }),
    ).toBeUndefined();
  });

  it("lets static data win over temporal data, whether its RowId is smaller or greater", () => {
    const store = new ChunkStore();
    store.insert(testChunk({ id: 1, rows: [{ rowId: 5, times: { frame: 10n }, values: { [X]: [1] } }] }));
    // Static with a smaller RowId than the temporal row, inserted later.
    store.insert(testChunk({ id: 2, rows: [{ rowId: 2, values: { [X]: [100] } }] }));
    expect(valuesAt(store, 10n)).toEqual([100]);
    // Also before the first temporal time, and on a timeline the entity does not have.
    expect(valuesAt(store, -5n)).toEqual([100]);
    expect(valuesAt(store, 0n, { timeline: "log_time" })).toEqual([100]);
    const row = store.latestAt({ entityPath: "/e", timeline: "frame", time: 10n, component: X })!;
    expect(row).toMatchObject({ isStatic: true, time: null });
    // Temporal data logged afterwards (greater RowId) still loses.
    store.insert(testChunk({ id: 3, rows: [{ rowId: 50, times: { frame: 11n }, values: { [X]: [2] } }] }));
    expect(valuesAt(store, 11n)).toEqual([100]);
    // Y has no static data: temporal as usual.
    store.insert(testChunk({ id: 4, rows: [{ rowId: 51, times: { frame: 11n }, values: { [Y]: [7] } }] }));
    expect(valuesAt(store, 11n, { component: Y })).toEqual([7]);
    expect(valuesAt(store, 11n, { component: Y, timeline: "log_time" })).toBeUndefined();
  });

  it("picks the static row with the greatest RowId, wherever it is", () => {
    const store = new ChunkStore();
    store.insert(
      testChunk({
        id: 1,
        rows: [
          { rowId: 8, values: { [X]: [80] } },
          { rowId: 3, values: { [X]: [30], [Y]: [31] } },
        ],
      }),
    );
    expect(valuesAt(store, 0n)).toEqual([80]);
    expect(valuesAt(store, 0n, { component: Y })).toEqual([31]);
    // An older static chunk inserted later loses.
    store.insert(testChunk({ id: 2, rows: [{ rowId: 1, values: { [X]: [10] } }] }));
    expect(valuesAt(store, 0n)).toEqual([80]);
    // A newer one wins; a static clear is an empty list.
    store.insert(testChunk({ id: 3, rows: [{ rowId: 9, values: { [X]: [] } }] }));
    expect(valuesAt(store, 0n)).toEqual([]);
    expect(valuesAt(store, 0n, { component: Y })).toEqual([31]);
  });

  it("drops static chunks whose every component was overwritten, with a deletion event", () => {
    const store = new ChunkStore();
    store.insert(testChunk({ id: 1, rows: [{ rowId: 1, values: { [X]: [1] } }] }));
    store.insert(testChunk({ id: 2, rows: [{ rowId: 2, values: { [X]: [2], [Y]: [2] } }] }));
    const events = store.insert(testChunk({ id: 3, rows: [{ rowId: 3, values: { [X]: [3] } }] }));
    // Chunk 1 (X only) was dropped when chunk 2 came; chunk 2 still holds the winning Y.
    expect(events.map((e) => e.kind)).toEqual(["addition"]);
    expect(store.stats().static.chunks).toBe(2);
    expect(store.stats().overwrittenStatic.chunks).toBe(1);
    const late = store.insert(testChunk({ id: 4, rows: [{ rowId: 4, values: { [Y]: [4] } }] }));
    expect(late.map((e) => (e.kind === "deletion" ? `${e.kind}:${e.reason}` : e.kind))).toEqual([
      "addition",
      "deletion:overwritten-static",
    ]);
    expect(late[1]!.chunk.id.equals(chunkId(2))).toBe(true);
    expect(valuesAt(store, 0n)).toEqual([3]);
    expect(valuesAt(store, 0n, { component: Y })).toEqual([4]);
  });
});

describe("ChunkStore.range", () => {
  const rows = [
    { rowId: 6, times: { frame: 2n }, values: { [X]: [21] } },
    { rowId: 1, times: { frame: 1n }, values: { [X]: [10] } },
    { rowId: 2, times: { frame: 2n }, values: { [X]: [20] } },
    { rowId: 3, times: { frame: 3n }, values: { [Y]: [30] } }, // no X
    { rowId: 4, times: { frame: 4n }, values: { [X]: [] } },
    { rowId: 5, times: { frame: 5n }, values: { [X]: [50] } },
  ];

  it("returns every row in [start, end] that logged the component, by (time, RowId)", () => {
    const store = new ChunkStore({ compaction: "disabled" });
    store.insert(testChunk({ id: 1, rows: rows.slice(0, 3) }));
    store.insert(testChunk({ id: 2, rows: rows.slice(3) }));
    const query = { entityPath: "/e", timeline: "frame", start: 2n, end: 4n, component: X };
    const result = store.rangeValues(query, scalarType);
    expect(result.map((r) => [r.time, r.rowId.inc, r.values])).toEqual([
      [2n, 2n, [20]],
      [2n, 6n, [21]],
      [4n, 4n, []],
    ]);
    expect(store.rangeValues({ ...query, start: 5n, end: 5n }, scalarType).map((r) => r.values)).toEqual([
      [50],
    ]);
    expect(store.range({ ...query, start: 6n, end: 100n })).toEqual([]);
    expect(store.range({ ...query, start: 4n, end: 2n })).toEqual([]);
    expect(store.range({ ...query, timeline: "other" })).toEqual([]);
    expect(store.range({ ...query, start: -100n, end: 100n }).map((r) => r.rowId.inc)).toEqual([
      1n,
      2n,
      6n,
      4n,
      5n,
    ]);
  });

  it("returns only the static row when the component has static data (as Rerun's range does)", () => {
    const store = new ChunkStore();
    store.insert(testChunk({ id: 1, rows }));
    store.insert(testChunk({ id: 2, rows: [{ rowId: 0, values: { [X]: [-1] } }] }));
    const query = { entityPath: "/e", timeline: "frame", start: 0n, end: 10n, component: X };
    expect(store.rangeValues(query, scalarType)).toEqual([
      { time: null, rowId: rowId(0), isStatic: true, values: [-1] },
    ]);
    expect(store.rangeTemporal(query).map((r) => r.time)).toEqual([1n, 2n, 2n, 4n, 5n]);
  });
});

describe("ChunkStore inserts, events and metadata", () => {
  it("ignores a chunk id it already holds, also after compaction", () => {
    const store = new ChunkStore();
    const a = testChunk({ id: 1, rows: [{ rowId: 1, times: { frame: 1n }, values: { [X]: [1] } }] });
    const b = testChunk({ id: 2, rows: [{ rowId: 2, times: { frame: 2n }, values: { [X]: [2] } }] });
    expect(store.insert(a)).toHaveLength(1);
    expect(store.insert(a)).toEqual([]);
    const events = store.insert(b);
    expect(events[0]!.kind === "addition" && events[0]!.compaction !== undefined).toBe(true);
    expect(store.stats()).toMatchObject({ chunks: 1, rows: 2, compactions: 1 });
    expect(store.insert(a)).toEqual([]);
    expect(store.insert(b)).toEqual([]);
    // Same rows under a new chunk id are new data (the store does not deduplicate RowIds).
    expect(
      store.insert(testChunk({ id: 3, rows: [{ rowId: 2, times: { frame: 2n }, values: { [X]: [2] } }] })),
    ).toHaveLength(1);
    expect(store.stats().rows).toBe(3);
  });

  it("reports additions with entity, components and time ranges; unsubscribe stops them", () => {
    const store = new ChunkStore({ compaction: "disabled" });
    const seen: StoreEvent[] = [];
    const unsubscribe = store.subscribe((events) => seen.push(...events));
    store.insert(
      testChunk({
        id: 1,
        entityPath: "/cam",
        rows: [
          { rowId: 1, times: { frame: 7n, tick: 1n }, values: { [Y]: [1] } },
          { rowId: 2, times: { frame: 3n, tick: 2n }, values: { [X]: [1] } },
        ],
      }),
    );
    store.insert(testChunk({ id: 2, entityPath: "/cam", rows: [{ rowId: 3, values: { [X]: [1] } }] }));
    unsubscribe();
    store.insert(testChunk({ id: 3, rows: [{ rowId: 4, values: { [X]: [1] } }] }));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({
      kind: "addition",
      eventId: 0,
      entityPath: "/cam",
      isStatic: false,
      components: [X, Y],
      numRows: 2,
      timeRanges: new Map([
        ["frame", { min: 3n, max: 7n }],
        ["tick", { min: 1n, max: 2n }],
      ]),
    });
    expect(seen[1]).toMatchObject({ kind: "addition", eventId: 1, isStatic: true, timeRanges: new Map() });
  });

  it("lists entities, timelines and components", () => {
    const store = new ChunkStore();
    store.insert(
      testChunk({
        id: 1,
        entityPath: "/b",
        rows: [{ rowId: 1, times: { frame: 4n }, values: { [X]: [1] } }],
      }),
    );
    store.insert(
      testChunk({
        id: 2,
        entityPath: "/a",
        rows: [{ rowId: 2, times: { frame: -2n }, values: { [Y]: [1] } }],
      }),
    );
    store.insert(
      testChunk({
        id: 3,
        entityPath: "/a",
        timeType: "timestamp",
        rows: [{ rowId: 3, times: { log_time: 99n }, values: { [X]: [1] } }],
      }),
    );
    store.insert(testChunk({ id: 4, entityPath: "/a", rows: [{ rowId: 4, values: { [Y]: [1] } }] }));
    expect(store.entityPaths()).toEqual(["/a", "/b"]);
    expect([...store.timelines().values()]).toEqual([
      { name: "frame", type: "sequence", min: -2n, max: 4n },
      { name: "log_time", type: "timestamp", min: 99n, max: 99n },
    ]);
    expect(
      store.componentsOf("/a").map((c) => [c.descriptor.component, c.hasStatic, String(c.listType)]),
    ).toEqual([
      [X, false, "List<Float32>"],
      [Y, true, "List<Float32>"],
    ]);
    expect(store.componentsOf("/nobody")).toEqual([]);
    expect(store.stats()).toMatchObject({
      chunks: 4,
      rows: 4,
      static: { chunks: 1, rows: 1 },
      temporal: { chunks: 3, rows: 3 },
      evicted: { chunks: 0, rows: 0, bytes: 0 },
    });
  });

  it("refuses a timeline whose type differs from earlier chunks, without changing anything", () => {
    const store = new ChunkStore();
    store.insert(testChunk({ id: 1, rows: [{ rowId: 1, times: { frame: 1n }, values: { [X]: [1] } }] }));
    const bad = testChunk({
      id: 2,
      timeType: "duration",
      rows: [{ rowId: 2, times: { frame: 2n }, values: { [X]: [2] } }],
    });
    expect(() => store.insert(bad)).toThrow(StoreError);
    try {
      store.insert(bad);
    } catch (error) {
      expect((error as StoreError).kind).toBe("timeline-type-mismatch");
    }
    expect(store.stats().rows).toBe(1);
  });

  it("reports listener failures after the insert completed", () => {
    const store = new ChunkStore();
    let calls = 0;
    store.subscribe(() => {
      throw new Error("boom");
    });
    store.subscribe(() => calls++);
    expect(() =>
      store.insert(testChunk({ id: 1, rows: [{ rowId: 1, times: { frame: 1n }, values: { [X]: [1] } }] })),
    ).toThrow(/listener/);
    expect(calls).toBe(1);
    expect(store.stats().rows).toBe(1);
  });
});
