import { fromBinary } from "@bufbuild/protobuf";
import { ChunkBuilder } from "@iris/chunk";
import { type ComponentBatch, ImageBufferType, OpacityType, Tuid } from "@iris/types";
import { RecordBatchStreamWriter, type Schema, Table, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { Compression } from "../gen/rerun/v1alpha1/common_pb.ts";
import { RrdFooterSchema } from "../gen/rerun/v1alpha1/log_msg_pb.ts";
import { encodeRrdFooter, schemaToIpc } from "./rrd-footer-encoding.ts";
import { RrdManifestBuilder } from "./rrd-manifest-builder.ts";

const recording = { kind: "recording", applicationId: "app", recordingId: "rec" } as const;
const buffer = { archetype: "rerun.archetypes.Image", component: "Image:buffer" };
const opacity = { archetype: "rerun.archetypes.Image", component: "Image:opacity" };

/** apache-arrow's own stream writer: the schema message and the end-of-stream marker. */
function writerSchemaIpc(schema: Schema): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  writer.close();
  return writer.toUint8Array(true);
}

/** A manifest of `chunks` chunks: images on one or two timelines, some with opacity, one static chunk. */
function manifestOf(chunks: number, seed: number): RrdManifestBuilder {
  const manifest = new RrdManifestBuilder();
  let offset = 12;
  for (let c = 0; c < chunks; c++) {
    const builder = new ChunkBuilder(c % 3 === 2 ? "camera/depth" : "camera/image");
    const timepoint = new Map(
      c === 0
        ? []
        : [
            ["frame", { type: "sequence" as const, value: BigInt(c * seed) }],
            ...(c % 2 === 0
              ? [["log_time", { type: "timestamp" as const, value: BigInt(c) * 10n ** 9n }] as const]
              : []),
          ],
    );
    const batches = [{ descriptor: buffer, type: ImageBufferType, values: [Uint8Array.of(c, seed)] }];
    if (c % 4 === 1) batches.push({ descriptor: opacity, type: OpacityType, values: [0.5] } as never);
    builder.addRow(new Tuid(BigInt(c + 1) * 7919n, BigInt(seed)), timepoint, batches as ComponentBatch[]);
    const chunk = builder.build(new Tuid(BigInt(c + 1) * 104729n, BigInt(seed)));
    manifest.append(chunk, { offset, size: 100 + c, sizeUncompressed: 200 + c });
    offset += 150 + c;
  }
  return manifest;
}

describe("encodeRrdFooter", () => {
  it("writes each manifest's data and Sorbet schema as exactly apache-arrow's IPC bytes, also when shapes repeat", () => {
    // Shapes repeat (from 3 chunks on, the same columns; the schema caches then hit) with other values each time.
    for (const [chunks, seed] of [
      [1, 1],
      [3, 2],
      [3, 5],
      [7, 3],
      [7, 4],
      [20, 9],
    ] as const) {
      const expected = manifestOf(chunks, seed).build();
      const footer = fromBinary(
        RrdFooterSchema,
        encodeRrdFooter([{ storeId: recording, manifest: manifestOf(chunks, seed) }], {
          compression: "none",
        }),
      );
      expect(footer.manifests).toHaveLength(1);
      const [manifest] = footer.manifests;
      expect(manifest!.data!.compression).toBe(Compression.NONE);
      expect(manifest!.data!.payload).toEqual(tableToIPC(new Table(expected.data), "stream"));
      expect(manifest!.sorbetSchema!.arrowSchema).toEqual(writerSchemaIpc(expected.sorbetSchema));
    }
  });

  it("schemaToIpc equals apache-arrow's stream writer for a schema seen before and a new one", () => {
    const first = manifestOf(5, 1).build();
    const second = manifestOf(5, 2).build();
    for (const { data, sorbetSchema } of [first, second, first]) {
      expect(schemaToIpc(sorbetSchema)).toEqual(writerSchemaIpc(sorbetSchema));
      expect(schemaToIpc(data.schema)).toEqual(writerSchemaIpc(data.schema));
    }
  });
});
