import { ChunkBuilder } from "@iris/chunk";
import { Image, Tuid } from "@iris/types";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import { probeImageSeries } from "./pixel-probe.ts";
import { probeToParquetBytes } from "./probe-parquet.ts";

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe("probeToParquetBytes", () => {
  it("writes a timestamp time column, U32 values ≥ 2^31, nulls for samples without values, and the status", async () => {
    const store = new ChunkStore();
    const t0 = 1_780_000_000_123_456_789n;
    const images = [Uint32Array.of(4_294_967_295, 7), undefined, Uint32Array.of(2_147_483_648, 9)];
    images.forEach((pixels, i) => {
      const builder = new ChunkBuilder("/cam");
      const image = pixels
        ? new Image(pixels, { width: 2, height: 1 })
        : Image.fromFields({ format: { width: 1, height: 1, colorModel: "L", channelDatatype: "U32" } });
      builder.addRow(
        new Tuid(9_000n, BigInt(i)),
        new Map([["time", { type: "timestamp" as const, value: t0 + BigInt(i) * 1_000n }]]),
        image.asComponentBatches(),
      );
      store.insert(builder.build(new Tuid(9_100n, BigInt(i))));
    });
    const series = probeImageSeries(store, {
      entityPath: "/cam",
      timeline: "time",
      region: { x: 0, y: 0, width: 1, height: 1 },
    });
    // At t0 + 1000 only a 1×1 format was logged: latest-at keeps the 2-pixel buffer of t0 → invalid image.
    expect(series.samples.map((s) => s.status)).toEqual(["ok", "invalid-image", "ok"]);
    const bytes = probeToParquetBytes(series);
    const rows = await parquetReadObjects({ file: arrayBufferOf(bytes) });
    expect(rows.map((r) => r["L"])).toEqual([4_294_967_295, null, 2_147_483_648]);
    expect(rows.map((r) => r["status"])).toEqual(["ok", "invalid-image", "ok"]);
    const schema = parquetSchema(parquetMetadata(arrayBufferOf(bytes)));
    const time = schema.children[0]!.element;
    expect(time.name).toBe("time");
    expect(time.logical_type).toEqual({ type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" });
    expect(schema.children[1]!.element).toMatchObject({
      name: "L",
      type: "INT32",
      converted_type: "UINT_32",
    });
    const meta = parquetMetadata(arrayBufferOf(bytes)).key_value_metadata?.find(
      (kv) => kv.key === "iris:probe",
    );
    expect(JSON.parse(meta!.value!)).toEqual({
      entityPath: "/cam",
      kind: "Image",
      region: { x: 0, y: 0, width: 1, height: 1 },
      mean: false,
      datatype: "U32",
      source: "raw",
    });
  });
});
