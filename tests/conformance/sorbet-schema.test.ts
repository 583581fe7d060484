// The Arrow schema of a chunk, checked against rrd-format.md §4 (Sorbet 0.1.3) and §5 (component types).
// Every expected value below is written out by hand from the spec text.
import {
  type DataType,
  type Field,
  type FixedSizeBinary,
  type Int,
  type RecordBatch,
  type Timestamp,
  type Duration,
  type Float,
  Precision,
  TimeUnit,
  Type,
  tableFromIPC,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { type Chunk, ChunkBuilder, type TimePoint, chunkToIpc, chunkToRecordBatch } from "@iris/chunk";
import { Image, Tuid } from "@iris/types";

type TypeDesc =
  string | { List: FieldDesc } | { Struct: FieldDesc[] } | { FixedSizeList: [number, FieldDesc] };
interface FieldDesc {
  name: string;
  nullable: boolean;
  metadata: Record<string, string>;
  type: TypeDesc;
}

/** A structural description of an Arrow type that keeps every detail Rerun's type equality looks at. */
function describeType(type: DataType): TypeDesc {
  switch (type.typeId) {
    case Type.Int: {
      const t = type as Int;
      return `${t.isSigned ? "Int" : "UInt"}${t.bitWidth}`;
    }
    case Type.Float:
      return { [Precision.HALF]: "Float16", [Precision.SINGLE]: "Float32", [Precision.DOUBLE]: "Float64" }[
        (type as Float).precision
      ];
    case Type.FixedSizeBinary:
      return `FixedSizeBinary(${(type as FixedSizeBinary).byteWidth})`;
    case Type.Duration:
      return `Duration(${TimeUnit[(type as Duration).unit]})`;
    case Type.Timestamp: {
      const t = type as Timestamp;
      return `Timestamp(${TimeUnit[t.unit]}, ${t.timezone ?? "no tz"})`;
    }
    case Type.Utf8:
      return "Utf8";
    case Type.List:
      return { List: describeField(type.children[0] as Field) };
    case Type.Struct:
      return { Struct: (type.children as Field[]).map(describeField) };
    default:
      return `unexpected ${Type[type.typeId]} ${String(type)}`;
  }
}

function describeField(field: Field): FieldDesc {
  return {
    name: field.name,
    nullable: field.nullable,
    metadata: Object.fromEntries(field.metadata),
    type: describeType(field.type),
  };
}

const item = (type: TypeDesc, nullable: boolean): FieldDesc => ({
  name: "item",
  nullable,
  metadata: {},
  type,
});
const nn = (name: string, type: TypeDesc): FieldDesc => ({ name, nullable: false, metadata: {}, type });
const nullable = (name: string, type: TypeDesc): FieldDesc => ({ name, nullable: true, metadata: {}, type });

// rrd-format.md §5.2
const BLOB: TypeDesc = { List: item("UInt8", false) };
const IMAGE_FORMAT: TypeDesc = {
  Struct: [
    nn("width", "UInt32"),
    nn("height", "UInt32"),
    nullable("pixel_format", "UInt8"),
    nullable("color_model", "UInt8"),
    nullable("channel_datatype", "UInt8"),
  ],
};

// rrd-format.md §4.3 "RowId column"
function rowIdField(sorted: boolean): FieldDesc {
  return {
    name: "rerun.controls.RowId",
    nullable: false,
    metadata: {
      "rerun:kind": "control",
      "ARROW:extension:name": "rerun.datatypes.TUID",
      "ARROW:extension:metadata": '{"namespace":"row"}',
      ...(sorted ? { "rerun:is_sorted": "true" } : {}),
    },
    type: "FixedSizeBinary(16)",
  };
}

// rrd-format.md §4.3 "Index (timeline) columns"
function indexField(name: string, type: string, sorted: boolean): FieldDesc {
  return {
    name,
    nullable: true,
    metadata: {
      "rerun:kind": "index",
      "rerun:index_name": name,
      ...(sorted ? { "rerun:is_sorted": "true" } : {}),
    },
    type,
  };
}

// rrd-format.md §4.3 "Component (data) columns" + §5.3 Image table
function imageField(field: string, componentType: string, inner: TypeDesc): FieldDesc {
  return {
    name: `Image:${field}`,
    nullable: true,
    metadata: {
      "rerun:kind": "data",
      "rerun:component": `Image:${field}`,
      "rerun:archetype": "rerun.archetypes.Image",
      "rerun:component_type": `rerun.components.${componentType}`,
    },
    type: { List: item(inner, true) },
  };
}

const CHUNK_ID = new Tuid(0x18b0aa9fa7b7b1a6n, 0x1d23c55ca87b18b4n);
const ENTITY = "/world/camera/image";

function timepoint(frame: bigint, simNanos: bigint, logTimeNanos: bigint): TimePoint {
  // Deliberately not in name order.
  return new Map([
    ["sim_time", { type: "duration", value: simNanos }],
    ["frame", { type: "sequence", value: frame }],
    ["log_time", { type: "timestamp", value: logTimeNanos }],
  ] as const);
}

const rgb2x1 = new Image(Uint8Array.from([255, 0, 0, 0, 255, 0]), { width: 2, height: 1, colorModel: "RGB" });
const nv12 = new Image(Uint8Array.from([16, 17, 18, 19, 128, 129, 130, 131]), {
  width: 2,
  height: 3,
  pixelFormat: "NV12",
}); // 2·(3+1) = 8 bytes

function temporalChunk(): Chunk {
  const builder = new ChunkBuilder(ENTITY);
  builder.addRow(
    new Tuid(1_700_000_000_000_000_000n, 1n),
    timepoint(5n, 2_000_000_000n, 1_700_000_000_000_000_000n),
    new Image(rgb2x1.buffer!, { width: 2, height: 1, colorModel: "RGB", opacity: 0.5 }).asComponentBatches(),
  );
  builder.addRow(
    new Tuid(1_700_000_000_000_000_000n, 2n),
    timepoint(7n, 1_500_000_000n, 1_700_000_000_000_000_001n),
    nv12.asComponentBatches(),
  );
  return builder.build(CHUNK_ID);
}

function expectSchema(
  batch: RecordBatch,
  expected: { metadata: Record<string, string>; fields: FieldDesc[] },
): void {
  expect(Object.fromEntries(batch.schema.metadata)).toEqual(expected.metadata);
  expect(batch.schema.fields.map(describeField)).toEqual(expected.fields);
}

const TEMPORAL_SCHEMA = {
  metadata: {
    "rerun:id": "chunk_18B0AA9FA7B7B1A61d23c55ca87b18b4",
    "rerun:entity_path": "/world/camera/image",
    "sorbet:version": "0.1.3",
  },
  fields: [
    rowIdField(true),
    // index columns sorted by timeline name; sim_time goes 2 s → 1.5 s, so it is not sorted
    indexField("frame", "Int64", true),
    indexField("log_time", "Timestamp(NANOSECOND, no tz)", true),
    indexField("sim_time", "Duration(NANOSECOND)", false),
    imageField("buffer", "ImageBuffer", BLOB),
    imageField("format", "ImageFormat", IMAGE_FORMAT),
    imageField("opacity", "Opacity", "Float32"),
  ],
};

describe("chunkToRecordBatch: Sorbet 0.1.3 schema", () => {
  it("writes exactly the spec's schema for a temporal Image chunk", () => {
    const batch = chunkToRecordBatch(temporalChunk());
    expect(batch.numRows).toBe(2);
    expectSchema(batch, TEMPORAL_SCHEMA);
  });

  it("writes the RowIds as 16 big-endian bytes each", () => {
    const batch = chunkToRecordBatch(temporalChunk());
    const rowIds = batch.data.children[0]!;
    const bytes = (rowIds.values as Uint8Array).subarray(rowIds.offset * 16, (rowIds.offset + 2) * 16);
    // 1_700_000_000_000_000_000 = 0x17979CFE362A0000
    const time = [0x17, 0x97, 0x9c, 0xfe, 0x36, 0x2a, 0x00, 0x00];
    expect(Array.from(bytes)).toEqual([...time, 0, 0, 0, 0, 0, 0, 0, 1, ...time, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(rowIds.nullCount).toBe(0);
  });

  it("writes the times as given, without nulls", () => {
    const batch = chunkToRecordBatch(temporalChunk());
    const times = (i: number): bigint[] => {
      const d = batch.data.children[i]!;
      expect(d.nullCount).toBe(0);
      return Array.from((d.values as BigInt64Array).subarray(d.offset, d.offset + 2));
    };
    expect(times(1)).toEqual([5n, 7n]);
    expect(times(2)).toEqual([1_700_000_000_000_000_000n, 1_700_000_000_000_000_001n]);
    expect(times(3)).toEqual([2_000_000_000n, 1_500_000_000n]);
  });

  it("writes one-element lists per row, and a null list where a row did not log the component", () => {
    const batch = chunkToRecordBatch(temporalChunk());
    const buffer = batch.getChild("Image:buffer")!;
    expect(buffer.nullCount).toBe(0);
    expect(Array.from(buffer.get(0)!.get(0)!)).toEqual([255, 0, 0, 0, 255, 0]);
    expect(Array.from(buffer.get(1)!.get(0)!)).toEqual([16, 17, 18, 19, 128, 129, 130, 131]);
    expect(buffer.get(0)!.length).toBe(1);

    const format = batch.getChild("Image:format")!;
    expect(format.get(0)!.length).toBe(1);
    expect(format.get(0)!.get(0)!.toJSON()).toEqual({
      width: 2,
      height: 1,
      pixel_format: null,
      color_model: 2,
      channel_datatype: 6,
    });
    expect(format.get(1)!.get(0)!.toJSON()).toEqual({
      width: 2,
      height: 3,
      pixel_format: 26,
      color_model: null,
      channel_datatype: null,
    });

    const opacity = batch.getChild("Image:opacity")!;
    expect(opacity.nullCount).toBe(1);
    expect(Array.from(opacity.get(0)!)).toEqual([0.5]);
    expect(opacity.get(1)).toBeNull();
  });

  it("leaves out rerun:is_sorted on the RowId column when RowIds are not ascending", () => {
    const builder = new ChunkBuilder("/a");
    const tp = new Map([["frame", { type: "sequence", value: 1n }]] as const);
    builder.addRow(new Tuid(10n, 2n), tp, rgb2x1.asComponentBatches());
    builder.addRow(new Tuid(10n, 1n), tp, rgb2x1.asComponentBatches());
    const batch = chunkToRecordBatch(builder.build(CHUNK_ID));
    expect(describeField(batch.schema.fields[0]!)).toEqual(rowIdField(false));
    // Equal times are non-decreasing, so the timeline still claims sorted.
    expect(describeField(batch.schema.fields[1]!)).toEqual(indexField("frame", "Int64", true));
  });

  it("writes a static chunk without index columns", () => {
    const builder = new ChunkBuilder("/images");
    builder.addRow(
      new Tuid(5n, 5n),
      new Map(),
      Image.fromFields({
        format: { width: 300, height: 200, colorModel: 2, channelDatatype: 6 },
      }).asComponentBatches(),
    );
    const chunk = builder.build(new Tuid(1n, 0xabcn));
    expect(chunk.isStatic).toBe(true);
    const batch = chunkToRecordBatch(chunk);
    expectSchema(batch, {
      metadata: {
        "rerun:id": "chunk_00000000000000010000000000000abc",
        "rerun:entity_path": "/images",
        "sorbet:version": "0.1.3",
      },
      fields: [rowIdField(true), imageField("format", "ImageFormat", IMAGE_FORMAT)],
    });
    expect(batch.getChild("Image:format")!.get(0)!.get(0)!.toJSON()).toEqual({
      width: 300,
      height: 200,
      pixel_format: null,
      color_model: 2,
      channel_datatype: 6,
    });
  });
});

describe("chunkToIpc: the schema survives an Arrow IPC round trip", () => {
  it("frames the stream with continuation markers and the end-of-stream marker", () => {
    const ipc = chunkToIpc(temporalChunk());
    expect(Array.from(ipc.subarray(0, 4))).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(Array.from(ipc.subarray(ipc.length - 8))).toEqual([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
  });

  it("reads back as exactly one record batch with the same schema, metadata and nested names", () => {
    const table = tableFromIPC(chunkToIpc(temporalChunk()));
    expect(table.batches).toHaveLength(1);
    const batch = table.batches[0]!;
    expect(batch.numRows).toBe(2);
    expectSchema(batch, TEMPORAL_SCHEMA);
    expect(Array.from(batch.getChild("Image:buffer")!.get(1)!.get(0)!)).toEqual([
      16, 17, 18, 19, 128, 129, 130, 131,
    ]);
    expect(batch.getChild("Image:format")!.get(1)!.get(0)!.toJSON()).toEqual({
      width: 2,
      height: 3,
      pixel_format: 26,
      color_model: null,
      channel_datatype: null,
    });
    expect(batch.getChild("Image:opacity")!.get(1)).toBeNull();
    expect(Array.from(batch.getChild("sim_time")!.toArray() as ArrayLike<bigint>)).toEqual([
      2_000_000_000n,
      1_500_000_000n,
    ]);
  });

  it("keeps a static chunk static", () => {
    const builder = new ChunkBuilder("/s");
    builder.addRow(new Tuid(5n, 5n), new Map(), rgb2x1.asComponentBatches());
    const batch = tableFromIPC(chunkToIpc(builder.build(CHUNK_ID))).batches[0]!;
    expect(batch.schema.fields.map((f) => f.name)).toEqual([
      "rerun.controls.RowId",
      "Image:buffer",
      "Image:format",
    ]);
    expect(batch.schema.fields.some((f) => f.metadata.get("rerun:kind") === "index")).toBe(false);
  });
});
