import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  DateMillisecond,
  Decimal,
  DenseUnion,
  Dictionary,
  DurationNanosecond,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  IntervalDayTime,
  LargeBinary,
  LargeUtf8,
  List,
  Map_,
  Message,
  MetadataVersion,
  RecordBatch,
  Schema,
  SparseUnion,
  Struct,
  Table,
  TimeMicrosecond,
  TimeSecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  makeBuilder,
  makeData,
  tableToIPC,
  vectorFromArray,
} from "apache-arrow";
import { type ComponentBatch, ImageBufferType, OpacityType, Tuid, concatBytes } from "@iris/types";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChunkBuilder } from "./chunk-builder.ts";
import { chunkToIpc } from "./chunk-to-record-batch.ts";
import { chunkToIpcParts, recordBatchToIpcParts } from "./ipc-parts.ts";
import { frameIpcMessage, framedSchemaMessage } from "./schema-message-cache.ts";
import { MetadataKey } from "./sorbet-schema.ts";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One column per datatype that apache-arrow can build from JS values (nulls included where allowed). */
function columns(): { name: string; type: DataType; values: unknown[] }[] {
  const item = (type: DataType) => new Field("item", type, true);
  return [
    { name: "bool", type: new Bool(), values: [true, null, false] },
    { name: "i8", type: new Int8(), values: [1, -2, null] },
    { name: "i16", type: new Int16(), values: [1, 2, 3] },
    { name: "i32", type: new Int32(), values: [1, 2, 3] },
    { name: "i64", type: new Int64(), values: [1n, -2n, 3n] },
    { name: "u8", type: new Uint8(), values: [1, 2, 3] },
    { name: "u16", type: new Uint16(), values: [1, 2, 3] },
    { name: "u32", type: new Uint32(), values: [1, 2, 3] },
    { name: "u64", type: new Uint64(), values: [1n, 2n, 3n] },
    { name: "f16", type: new Float16(), values: [0.5, 1, 2] },
    { name: "f32", type: new Float32(), values: [0.5, 1, 2] },
    { name: "f64", type: new Float64(), values: [0.5, null, 2] },
    { name: "utf8", type: new Utf8(), values: ["a", "bc", null] },
    { name: "large_utf8", type: new LargeUtf8(), values: ["a", "bc", ""] },
    { name: "binary", type: new Binary(), values: [Uint8Array.of(1), Uint8Array.of(), Uint8Array.of(2, 3)] },
    {
      name: "large_binary",
      type: new LargeBinary(),
      values: [Uint8Array.of(1), Uint8Array.of(4), Uint8Array.of(2)],
    },
    { name: "fsb", type: new FixedSizeBinary(2), values: [Uint8Array.of(1, 2), Uint8Array.of(3, 4), null] },
    { name: "date_day", type: new DateDay(), values: [new Date(0), new Date(86_400_000), null] },
    { name: "date_ms", type: new DateMillisecond(), values: [new Date(5), new Date(6), new Date(7)] },
    { name: "time_s", type: new TimeSecond(), values: [1, 2, 3] },
    { name: "time_us", type: new TimeMicrosecond(), values: [1n, 2n, 3n] },
    { name: "ts_ms_utc", type: new TimestampMillisecond("UTC"), values: [1, 2, 3] },
    { name: "ts_ns", type: new TimestampNanosecond(), values: [1, 2, 3] },
    { name: "duration_ns", type: new DurationNanosecond(), values: [1n, 2n, 3n] },
    {
      name: "interval_dt",
      type: new IntervalDayTime(),
      values: [Int32Array.of(1, 2), Int32Array.of(3, 4), null],
    },
    { name: "decimal", type: new Decimal(2, 10, 128), values: [Uint32Array.of(1, 0, 0, 0), null, null] },
    { name: "list_u8", type: new List(item(new Uint8())), values: [[1, 2], [], null] },
    { name: "list_f32", type: new List(item(new Float32())), values: [[0.5], [1, 2, 3], []] },
    { name: "fsl", type: new FixedSizeList(3, item(new Float32())), values: [[1, 2, 3], [4, 5, 6], null] },
    {
      name: "struct",
      type: new Struct([new Field("x", new Float32(), false), new Field("label", new Utf8(), true)]),
      values: [
        { x: 1, label: "a" },
        { x: 2, label: null },
        { x: 3, label: "c" },
      ],
    },
    {
      name: "map",
      type: new Map_(
        new Field(
          "entries",
          new Struct<{ key: Utf8; value: Int32 }>([
            new Field("key", new Utf8(), false),
            new Field("value", new Int32(), true),
          ]),
          false,
        ),
      ),
      values: [new Map([["a", 1]]), new Map(), new Map([["b", 2]])],
    },
    {
      name: "sparse_union",
      type: new SparseUnion([0, 1], [new Field("n", new Int32(), true), new Field("s", new Utf8(), true)]),
      values: [1, "x", 2],
    },
    {
      name: "dense_union",
      type: new DenseUnion([0, 1], [new Field("n", new Float64(), true), new Field("s", new Utf8(), true)]),
      values: ["y", 3, 4],
    },
    { name: "dict", type: new Dictionary(new Utf8(), new Int32(), 7), values: ["a", "b", "a"] },
  ];
}

/** Union values are told apart by JS type (string → child 1, else child 0). */
function vectorOf(type: DataType, values: unknown[]) {
  if (!(type instanceof SparseUnion || type instanceof DenseUnion)) return vectorFromArray(values, type);
  const options = { type, valueToChildTypeId: (_b: unknown, v: unknown) => (typeof v === "string" ? 1 : 0) };
  // Not a literal: makeBuilder's option type does not list the union builders' `valueToChildTypeId`.
  const builder = makeBuilder(options);
  for (const v of values) builder.append(v);
  return builder.finish().toVector();
}

function batch(
  cols: { name: string; type: DataType; values: unknown[] }[],
  schemaMeta: Map<string, string>,
  fieldMeta = false,
): RecordBatch {
  const vectors = cols.map((c) => vectorOf(c.type, c.values));
  const fields = cols.map(
    (c, i) =>
      new Field(c.name, vectors[i]!.type, true, fieldMeta ? new Map([["rerun:kind", `data${i % 3}`]]) : null),
  );
  const struct = makeData({
    type: new Struct(fields),
    length: 3,
    nullCount: 0,
    children: vectors.map((v) => v.data[0]!),
  });
  return new RecordBatch(new Schema(fields, schemaMeta), struct);
}

function chunkIdMeta(id: string, extra: [string, string][] = []): Map<string, string> {
  return new Map([...extra, [MetadataKey.chunkId, id], [MetadataKey.entityPath, "/a/b"]]);
}

describe("framedSchemaMessage", () => {
  afterEach(() => vi.restoreAllMocks());

  it("with the cache warm, record batches of every datatype encode to exactly apache-arrow's tableToIPC bytes", () => {
    const all = columns();
    const shapes = [
      all,
      ...all.map((c) => [c]),
      all.slice(0, 5).reverse(),
      [all[3]!, all[3]!].map((c, i) => ({ ...c, name: `${c.name}_${i}` })),
    ];
    let encodes = 0;
    let checked = 0;
    for (const [s, cols] of shapes.entries()) {
      for (const fieldMeta of [false, true]) {
        for (const [k, meta] of [
          chunkIdMeta(`chunk_${"0".repeat(31)}${s % 10}`),
          chunkIdMeta(`chunk_${"F".repeat(30)}${s}A`.slice(0, 38)),
          chunkIdMeta(`chunk_${"9".repeat(32)}`, [["extra", "x"]]),
          chunkIdMeta("chunk_short"),
          new Map([["no-id", "static"]]),
          new Map<string, string>(),
        ].entries()) {
          // Twice: a miss then a hit (patched id) for the same shape; different ids of the same length share it.
          for (let round = 0; round < 2; round++) {
            const b = batch(cols, meta, fieldMeta);
            const spy = vi.spyOn(Message, "encode");
            const parts = recordBatchToIpcParts(b);
            encodes += spy.mock.calls.length;
            spy.mockRestore();
            const expected = tableToIPC(new Table(b), "stream");
            if (!sameBytes(concatBytes(parts), expected)) {
              throw new Error(
                `shape ${s} (field metadata ${fieldMeta}, schema metadata #${k}, round ${round})`,
              );
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(shapes.length * 2 * 6 * 2);
    // Every record batch message is encoded (plus the dictionary batch of `dict`); schema messages only on misses,
    // which happen for at most half the batches (the second round of each shape hits).
    expect(encodes).toBeLessThan(checked * 2);
  });

  it("patches only the chunk id: a hit equals a fresh encoding, and the returned array is the caller's own", () => {
    const cols = columns().slice(0, 4);
    const first = framedSchemaMessage(batch(cols, chunkIdMeta(`chunk_${"A".repeat(32)}`)).schema);
    first.fill(0); // must not corrupt the cache
    const spy = vi.spyOn(Message, "encode");
    const schema = batch(cols, chunkIdMeta(`chunk_${"B".repeat(32)}`)).schema;
    const hit = framedSchemaMessage(schema);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const fresh = Message.encode(Message.from(schema));
    expect(sameBytes(hit.subarray(8, 8 + fresh.byteLength), fresh)).toBe(true);
    expect(new DataView(hit.buffer).getInt32(0, true)).toBe(-1);
    expect(hit.byteLength % 8).toBe(0);
  });

  it("a schema that differs from the one before in one field's name, nullability or the version is told apart", () => {
    const type = new Int32();
    const meta = chunkIdMeta(`chunk_${"C".repeat(32)}`);
    const schemas = [
      new Schema([new Field("aa", type, true)], meta),
      new Schema([new Field("ab", type, true)], meta),
      new Schema([new Field("ab", type, false)], meta),
      new Schema([new Field("ab", type, false)], meta, null, MetadataVersion.V4),
      new Schema([new Field("ab", type, false), new Field("c", type, true)], meta),
      new Schema([new Field("ab", new Int32(), false), new Field("c", type, true)], meta),
    ];
    // Each after the one before it (so it is compared with a remembered schema of nearly the same shape), twice.
    for (const schema of [...schemas, ...schemas]) {
      const fresh = frameIpcMessage(Message.encode(Message.from(schema)));
      expect(sameBytes(framedSchemaMessage(schema), fresh)).toBe(true);
    }
  });

  it("a chunk id that also appears elsewhere in the schema is not patched (not cached), still exact", () => {
    const id = "chunk_SAME";
    const cols = [{ name: id, type: new Int32(), values: [1, 2, 3] }];
    for (let round = 0; round < 2; round++) {
      const b = batch(cols, chunkIdMeta(id));
      expect(sameBytes(concatBytes(recordBatchToIpcParts(b)), tableToIPC(new Table(b), "stream"))).toBe(true);
    }
  });
});

describe("chunkToIpcParts over many chunks of one shape", () => {
  const buffer = { archetype: "rerun.archetypes.Image", component: "Image:buffer" };
  const opacity = { archetype: "rerun.archetypes.Image", component: "Image:opacity" };

  it("every chunk (several timelines, static, many row ids and chunk ids) equals chunkToIpc", () => {
    const timelineSets: [string, { type: "sequence" | "duration" | "timestamp"; value: bigint }][][] = [
      [],
      [["frame", { type: "sequence", value: 0n }]],
      [
        ["frame", { type: "sequence", value: 0n }],
        ["log_time", { type: "timestamp", value: 1_700_000_000_000_000_000n }],
        ["elapsed", { type: "duration", value: 5n }],
      ],
    ];
    for (const timelines of timelineSets) {
      for (let c = 0; c < 6; c++) {
        const builder = new ChunkBuilder("camera/image");
        for (let r = 0; r <= c % 3; r++) {
          builder.addRow(
            new Tuid(BigInt(1000 * c + r) * 7919n, BigInt(r)),
            new Map(
              timelines.map(([name, cell]) => [name, { ...cell, value: cell.value + BigInt(c * 10 + r) }]),
            ),
            [
              {
                descriptor: buffer,
                type: ImageBufferType,
                values: [Uint8Array.of(c, r, 3)],
              } as ComponentBatch,
              { descriptor: opacity, type: OpacityType, values: [0.25 * r] } as ComponentBatch,
            ],
          );
        }
        const chunk = builder.build(new Tuid(BigInt(c) * 1_000_003n + 17n, BigInt(c * 31)));
        expect(sameBytes(concatBytes(chunkToIpcParts(chunk)), chunkToIpc(chunk))).toBe(true);
      }
    }
  });
});
