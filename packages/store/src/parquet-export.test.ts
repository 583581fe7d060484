import { ChunkBuilder } from "@iris/chunk";
import { ChannelDatatype, ColorModel, ImageBufferType, ImageFormatType, batch } from "@iris/types";
import { Field, Int32, List, Struct, Table, Utf8, makeData, makeVector, vectorFromArray } from "apache-arrow";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import { queryDataframe } from "./dataframe.ts";
import { tableToParquetBytes, toJsonText } from "./parquet-export.ts";
import { StoreError } from "./store-error.ts";
import { chunkId, rowId, testChunk } from "./test-chunks.ts";

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function readBack(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({
    file: arrayBufferOf(bytes),
    utf8: false,
    parsers: { timestampFromNanoseconds: (n: bigint) => n },
  });
}

/** A JSON cell as text (hyparquet returns the raw bytes with `utf8: false`). */
function text(value: unknown): unknown {
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
}

describe("tableToParquetBytes", () => {
  it("writes a sequence index as INT64 and Float32 lists as Parquet LISTs (nulls and empty lists kept)", async () => {
    const store = new ChunkStore();
    store.insert(
      testChunk({
        id: 1,
        rows: [
          { rowId: 1, times: { frame: 1n }, values: { "Test:x": [1.5, 2] } },
          { rowId: 2, times: { frame: 3n }, values: { "Test:y": [4] } },
          { rowId: 3, times: { frame: 4n }, values: { "Test:x": [], "Test:y": [-1] } },
        ],
      }),
    );
    const table = queryDataframe(store, { index: "frame", sparseFill: false });
    const bytes = tableToParquetBytes(table);
    const rows = await readBack(bytes);
    expect(rows).toEqual([
      { frame: 1n, "/e:Test:x": [1.5, 2], "/e:Test:y": null },
      { frame: 3n, "/e:Test:x": null, "/e:Test:y": [4] },
      { frame: 4n, "/e:Test:x": [], "/e:Test:y": [-1] },
    ]);
    const metadata = parquetMetadata(arrayBufferOf(bytes));
    const schema = parquetSchema(metadata);
    const frame = schema.children.find((c) => c.element.name === "frame")!;
    expect(frame.element.type).toBe("INT64");
    expect(frame.element.repetition_type).toBe("REQUIRED");
    const x = schema.children.find((c) => c.element.name === "/e:Test:x")!;
    expect(x.element.converted_type).toBe("LIST");
    expect(x.children[0]!.children[0]!.element.type).toBe("FLOAT");
    const columns = JSON.parse(
      metadata.key_value_metadata!.find((kv) => kv.key === "iris:columns")!.value!,
    ) as {
      name: string;
      mapping: string;
      metadata: Record<string, string>;
    }[];
    expect(columns.map((c) => [c.name, c.mapping])).toEqual([
      ["frame", "index"],
      ["/e:Test:x", "list"],
      ["/e:Test:y", "list"],
    ]);
    expect(columns[1]!.metadata["rerun:entity_path"]).toBe("/e");
  });

  it("writes a timestamp index with the TIMESTAMP(NANOS) logical type, exact to the nanosecond", async () => {
    const store = new ChunkStore();
    // 2024-01-01T00:00:00.000000001Z and one second later.
    const t0 = 1_704_067_200_000_000_001n;
    store.insert(
      testChunk({
        id: 1,
        timeType: "timestamp",
        rows: [
          { rowId: 1, times: { log_time: t0 }, values: { "Test:x": [1] } },
          { rowId: 2, times: { log_time: t0 + 1_000_000_000n }, values: { "Test:x": [2] } },
        ],
      }),
    );
    const bytes = tableToParquetBytes(queryDataframe(store, { index: "log_time", sparseFill: false }));
    const rows = await readBack(bytes);
    expect(rows.map((r) => r["log_time"])).toEqual([t0, t0 + 1_000_000_000n]);
    const element = parquetSchema(parquetMetadata(arrayBufferOf(bytes))).children[0]!.element;
    expect(element.type).toBe("INT64");
    expect(element.logical_type).toEqual({ type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" });
  });

  it("writes image buffers as a LIST of BYTE_ARRAY and the format struct as JSON", async () => {
    const builder = new ChunkBuilder("/img");
    const buffer = Uint8Array.of(0, 1, 2, 250, 255, 7);
    builder.addRow(rowId(1), new Map([["step", { type: "sequence", value: 5n }]]), [
      batch({ component: "Image:buffer", componentType: ImageBufferType.name }, ImageBufferType, [buffer]),
      batch({ component: "Image:format", componentType: ImageFormatType.name }, ImageFormatType, [
        { width: 2, height: 1, colorModel: ColorModel.RGB, channelDatatype: ChannelDatatype.U8 },
      ]),
    ]);
    const store = new ChunkStore();
    store.insert(builder.build(chunkId(1)));
    const bytes = tableToParquetBytes(queryDataframe(store, { index: "step", sparseFill: false }));
    const rows = await readBack(bytes);
    expect(rows).toHaveLength(1);
    const cell = rows[0]!["/img:Image:buffer"] as Uint8Array[];
    expect(cell).toHaveLength(1);
    expect([...cell[0]!]).toEqual([0, 1, 2, 250, 255, 7]);
    // RGB = color model 2, U8 = channel datatype 6 (Rerun's enum values); pixel_format is null.
    expect(text(rows[0]!["/img:Image:format"])).toBe(
      '[{"width":2,"height":1,"pixel_format":null,"color_model":2,"channel_datatype":6}]',
    );
  });

  it("writes an arbitrary struct component as JSON", async () => {
    const struct = new Struct([new Field("a", new Int32(), true), new Field("b", new Utf8(), true)]);
    const child = vectorFromArray(
      [
        { a: 1, b: "x" },
        { a: -2, b: null },
      ],
      struct,
    ).data[0]!;
    const list = makeData({
      type: new List(new Field("item", struct, true)),
      length: 1,
      nullCount: 0,
      valueOffsets: Int32Array.of(0, 2),
      child,
    });
    const table = new Table({ step: vectorFromArray([9n]), "/s:Custom:ab": makeVector(list) });
    const rows = await readBack(tableToParquetBytes(table));
    expect(rows).toHaveLength(1);
    expect(rows[0]!["step"]).toBe(9n);
    expect(text(rows[0]!["/s:Custom:ab"])).toBe('[{"a":1,"b":"x"},{"a":-2,"b":null}]');
  });

  it("rejects a column that is neither an index nor a list", () => {
    const table = new Table({ step: vectorFromArray([1n]), plain: vectorFromArray(["text"]) });
    expect(() => tableToParquetBytes(table)).toThrow(StoreError);
  });

  it("serializes 64-bit integers exactly in JSON", () => {
    expect(toJsonText([2n ** 63n - 1n, 1.5, Number.NaN, 'q"', null])).toBe(
      '[9223372036854775807,1.5,null,"q\\"",null]',
    );
  });
});
