// apache-arrow reads a custom-metadata entry without a value as `null` (found by fuzz/fuzz-rrd.ts: a mutated
// `sorbet:version` entry made `compareSorbetVersions` throw a raw TypeError out of chunkFromIpc).
import { Field, RecordBatch, Schema, Struct, makeData } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { Image, Tuid } from "@iris/types";
import { ChunkBuilder } from "./chunk-builder.ts";
import { chunkToRecordBatch } from "./chunk-to-record-batch.ts";
import { recordBatchToChunk } from "./record-batch-to-chunk.ts";

function withNullValues(rb: RecordBatch, schemaKey: string, fieldKey: string): RecordBatch {
  const nullify = (m: Map<string, string>, key: string): Map<string, string> => {
    const out = new Map(m);
    out.set(key, null as unknown as string); // what apache-arrow produces for a missing flatbuffer string
    return out;
  };
  const fields = rb.schema.fields.map(
    (f) => new Field(f.name, f.type, f.nullable, nullify(f.metadata, fieldKey)),
  );
  const schema = new Schema(fields, nullify(rb.schema.metadata, schemaKey));
  const data = makeData({
    type: new Struct(fields),
    length: rb.numRows,
    nullCount: 0,
    children: rb.data.children,
  });
  return new RecordBatch(schema, data);
}

function sampleBatch(): RecordBatch {
  const builder = new ChunkBuilder("/cam");
  const image = new Image(new Uint8Array([1, 2, 3, 4]), { width: 2, height: 2 });
  builder.addRow(
    new Tuid(1n, 1n),
    new Map([["frame", { type: "sequence", value: 3n }]]),
    image.asComponentBatches(),
  );
  return chunkToRecordBatch(builder.build());
}

describe("custom metadata entries without a value", () => {
  it("are ignored (as arrow-rs does), not a TypeError: a null sorbet:version reads as the guessed version", () => {
    const chunk = recordBatchToChunk(withNullValues(sampleBatch(), "sorbet:version", "rerun:archetype"));
    expect(chunk.entityPath).toBe("/cam");
    expect([...chunk.components.keys()].some((k) => k.startsWith("Image:"))).toBe(true);
    expect([...chunk.extraMetadata.values()].every((v) => typeof v === "string")).toBe(true);
  });
});
