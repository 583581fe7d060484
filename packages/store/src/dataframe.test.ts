import { Chunk } from "@iris/chunk";
import {
  type Data,
  Field,
  Float64,
  List,
  Struct,
  type Table,
  Utf8,
  Vector,
  makeData,
  tableFromIPC,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import { queryDataframe, tableToIpcBytes } from "./dataframe.ts";
import { StoreError } from "./store-error.ts";
import { chunkId, rowId, testChunk } from "./test-chunks.ts";

const X = "Test:x";
const Y = "Test:y";
const LABELS = "Custom:labels";

/** A component of an Arrow type no ComponentType knows: List<Struct<name: Utf8, score: Float64>>. */
function labelsChunk(): Chunk {
  const struct = new Struct([new Field("name", new Utf8(), true), new Field("score", new Float64(), true)]);
  const child = vectorFromArray(
    [
      { name: "a", score: 1 },
      { name: "b", score: 2 },
    ],
    struct,
  ).data[0]!;
  const list = makeData({
    type: new List(new Field("item", struct, true)),
    length: 2,
    nullCount: 0,
    valueOffsets: Int32Array.of(0, 2, 2),
    child,
  }) as Data<List>;
  const rowIds = new Uint8Array(32);
  rowId(7).writeBytes(rowIds, 0);
  rowId(8).writeBytes(rowIds, 16);
  return new Chunk({
    id: chunkId(100),
    entityPath: "/labels",
    rowIds,
    timelines: new Map([
      [
        "frame",
        { timeline: { name: "frame", type: "sequence" }, times: BigInt64Array.of(3n, 6n), isSorted: true },
      ],
    ]),
    components: new Map([[LABELS, { descriptor: { component: LABELS }, list }]]),
  });
}

/**
 * /points       X: f1 [1], f3 [3] (RowId 2) and [33] (RowId 3, wins the tie); f5 logs only Y [5]
 * /points/sub   X: f2 [2]
 * /static       X: static [100], temporal f4 [4] (shadowed by the static value)
 * /labels       Custom:labels (unknown type): f3 [{a,1},{b,2}], f6 [] (a clear)
 * /t            X on timeline "tick" only
 */
function makeStore(): ChunkStore {
  const store = new ChunkStore({ compaction: "disabled" });
  store.insert(
    testChunk({
      id: 1,
      entityPath: "/points",
      rows: [
        { rowId: 1, times: { frame: 1n }, values: { [X]: [1] } },
        { rowId: 3, times: { frame: 3n }, values: { [X]: [33] } },
        { rowId: 2, times: { frame: 3n }, values: { [X]: [3] } },
        { rowId: 4, times: { frame: 5n }, values: { [Y]: [5] } },
      ],
    }),
  );
  store.insert(
    testChunk({
      id: 2,
      entityPath: "/points/sub",
      rows: [{ rowId: 5, times: { frame: 2n }, values: { [X]: [2] } }],
    }),
  );
  store.insert(testChunk({ id: 3, entityPath: "/static", rows: [{ rowId: 6, values: { [X]: [100] } }] }));
  store.insert(
    testChunk({
      id: 4,
      entityPath: "/static",
      rows: [{ rowId: 9, times: { frame: 4n }, values: { [X]: [4] } }],
    }),
  );
  store.insert(labelsChunk());
  store.insert(
    testChunk({ id: 5, entityPath: "/t", rows: [{ rowId: 10, times: { tick: 9n }, values: { [X]: [9] } }] }),
  );
  return store;
}

/** Column name → cell values as plain JS (null cells stay null). */
function columnsOf(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    out[field.name] = [...column].map(plain);
  }
  return out;
}

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Vector) return [...value].map(plain);
  if (typeof value === "object" && "toJSON" in value && typeof value.toJSON === "function") {
    return plain((value as { toJSON(): unknown }).toJSON());
  }
  if (typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const L = [
  { name: "a", score: 1 },
  { name: "b", score: 2 },
];
const n = null;

describe("queryDataframe", () => {
  it("has one row per distinct index value, exact cells without sparse fill, static filling its column", () => {
    const table = queryDataframe(makeStore(), { index: "frame", sparseFill: false });
    expect(columnsOf(table)).toEqual({
      frame: [1n, 2n, 3n, 4n, 5n, 6n],
      "/labels:Custom:labels": [n, n, L, n, n, []],
      "/points:Test:x": [[1], n, [33], n, n, n],
      "/points:Test:y": [n, n, n, n, [5], n],
      "/points/sub:Test:x": [n, [2], n, n, n, n],
      "/static:Test:x": [[100], [100], [100], [100], [100], [100]],
      "/t:Test:x": [n, n, n, n, n, n],
    });
  });

  it("fills gaps with the latest-at value when sparseFill is set", () => {
    const table = queryDataframe(makeStore(), { index: "frame", sparseFill: true });
    expect(columnsOf(table)).toEqual({
      frame: [1n, 2n, 3n, 4n, 5n, 6n],
      "/labels:Custom:labels": [n, n, L, L, L, []],
      "/points:Test:x": [[1], [1], [33], [33], [33], [33]],
      "/points:Test:y": [n, n, n, n, [5], [5]],
      "/points/sub:Test:x": [n, [2], [2], [2], [2], [2]],
      "/static:Test:x": [[100], [100], [100], [100], [100], [100]],
      "/t:Test:x": [n, n, n, n, n, n],
    });
  });

  it("restricts rows to an inclusive range; sparse fill still sees data logged before it", () => {
    const store = makeStore();
    const exact = queryDataframe(store, {
      index: "frame",
      range: [2n, 4n],
      sparseFill: false,
      entities: ["/points"],
    });
    expect(columnsOf(exact)).toEqual({
      frame: [3n],
      "/points:Test:x": [[33]],
      "/points:Test:y": [n],
    });
    const filled = queryDataframe(store, {
      index: "frame",
      range: [2n, 4n],
      sparseFill: true,
      entities: ["/points/**"],
    });
    expect(columnsOf(filled)).toEqual({
      frame: [2n, 3n],
      "/points:Test:x": [[1], [33]],
      "/points:Test:y": [n, n],
      "/points/sub:Test:x": [[2], [2]],
    });
  });

  it("filters entities (exact or /prefix/**) and components", () => {
    const store = makeStore();
    const onlyY = queryDataframe(store, { index: "frame", sparseFill: false, components: [Y] });
    expect(columnsOf(onlyY)).toEqual({ frame: [5n], "/points:Test:y": [[5]] });
    const subtree = queryDataframe(store, {
      index: "frame",
      sparseFill: false,
      entities: ["/points/**"],
      components: [X],
    });
    expect(Object.keys(columnsOf(subtree))).toEqual(["frame", "/points:Test:x", "/points/sub:Test:x"]);
    expect(columnsOf(subtree).frame).toEqual([1n, 2n, 3n]);
    const none = queryDataframe(store, { index: "frame", sparseFill: true, entities: ["/nothing"] });
    expect(none.numRows).toBe(0);
    expect(none.schema.fields.map((f) => f.name)).toEqual(["frame"]);
    const tick = queryDataframe(store, { index: "tick", sparseFill: false, entities: ["/t", "/static"] });
    expect(columnsOf(tick)).toEqual({ tick: [9n], "/static:Test:x": [[100]], "/t:Test:x": [[9]] });
  });

  it("leaves out /__properties unless a filter inside it names them (Rerun's default exclusion)", () => {
    const store = makeStore();
    store.insert(
      testChunk({ id: 6, entityPath: "/__properties", rows: [{ rowId: 11, values: { [X]: [7] } }] }),
    );
    const props = "/__properties:Test:x";
    expect(Object.keys(columnsOf(queryDataframe(store, { index: "tick", sparseFill: false })))).not.toContain(
      props,
    );
    const all = queryDataframe(store, { index: "tick", sparseFill: false, entities: ["/**"] });
    expect(Object.keys(columnsOf(all))).not.toContain(props);
    const named = queryDataframe(store, {
      index: "tick",
      sparseFill: false,
      entities: ["/t", "/__properties/**"],
    });
    expect(columnsOf(named)).toEqual({ tick: [9n], [props]: [[7]], "/t:Test:x": [[9]] });
    const exact = queryDataframe(store, { index: "tick", sparseFill: false, entities: ["/__properties"] });
    expect(Object.keys(columnsOf(exact))).toEqual(["tick", props]);
  });

  it("writes Rerun's field metadata and keeps the Arrow types, also through an IPC file", () => {
    const table = queryDataframe(makeStore(), { index: "frame", sparseFill: false });
    const fields = new Map(table.schema.fields.map((f) => [f.name, f]));
    expect(String(fields.get("frame")!.type)).toBe("Int64");
    expect(Object.fromEntries(fields.get("frame")!.metadata)).toEqual({
      "rerun:kind": "index",
      "rerun:index_name": "frame",
    });
    expect(Object.fromEntries(fields.get("/points:Test:x")!.metadata)).toEqual({
      "rerun:kind": "data",
      "rerun:entity_path": "/points",
      "rerun:component": X,
      "rerun:archetype": "test.archetypes.Test",
      "rerun:component_type": "test.components.Scalar",
    });
    expect(fields.get("/static:Test:x")!.metadata.get("rerun:is_static")).toBe("true");
    expect(Object.fromEntries(fields.get("/labels:Custom:labels")!.metadata)).toEqual({
      "rerun:kind": "data",
      "rerun:entity_path": "/labels",
      "rerun:component": LABELS,
    });
    expect(String(fields.get("/labels:Custom:labels")!.type)).toBe(
      String(labelsChunk().components.get(LABELS)!.list.type),
    );

    const bytes = tableToIpcBytes(table);
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe("ARROW1");
    const back = tableFromIPC(bytes);
    expect(columnsOf(back)).toEqual(columnsOf(table));
    expect(back.schema.fields.map((f) => Object.fromEntries(f.metadata))).toEqual(
      table.schema.fields.map((f) => Object.fromEntries(f.metadata)),
    );
  });

  it("uses the timeline's Arrow type for the index and refuses unknown timelines", () => {
    const store = new ChunkStore();
    store.insert(
      testChunk({
        id: 1,
        timeType: "timestamp",
        rows: [{ rowId: 1, times: { log_time: 1_700_000_000_000_000_000n }, values: { [X]: [1] } }],
      }),
    );
    const table = queryDataframe(store, { index: "log_time", sparseFill: false });
    expect(String(table.schema.fields[0]!.type)).toBe("Timestamp<NANOSECOND>");
    expect(() => queryDataframe(store, { index: "frame", sparseFill: false })).toThrow(StoreError);
    expect(() => queryDataframe(store, { index: "log_time", range: [5n, 1n], sparseFill: false })).toThrow(
      StoreError,
    );
  });
});
