import { BlobType, ImageBufferType, type ComponentBatch, Tuid } from "@iris/types";
import { describe, expect, it } from "vitest";
import { ChunkBuilder } from "./chunk-builder.ts";
import { chunkFromIpc } from "./record-batch-to-chunk.ts";
import { chunkToIpc } from "./chunk-to-record-batch.ts";

const descriptor = { archetype: "rerun.archetypes.Image", component: "Image:buffer" };

function batch(values: Uint8Array[]): ComponentBatch {
  return { descriptor, type: ImageBufferType, values } as ComponentBatch;
}

function build(rows: Uint8Array[][], options?: { viewSingleByteArray?: boolean }) {
  const builder = new ChunkBuilder("camera/image");
  rows.forEach((values, i) => {
    builder.addRow(
      new Tuid(1000n + BigInt(i), 0n),
      new Map([["frame", { type: "sequence", value: BigInt(i) }]]),
      [batch(values)],
    );
  });
  return builder.build(new Tuid(1n, 2n), options);
}

function childBytes(chunk: ReturnType<typeof build>): Uint8Array {
  // List<item: ImageBuffer>, ImageBuffer = List<item: UInt8>.
  return chunk.components.get("Image:buffer")!.list.children[0]!.children[0]!.values as Uint8Array;
}

describe("ChunkBuilder viewSingleByteArray", () => {
  const pixels = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff).subarray(3, 291);

  it("views a lone byte array instead of copying it, and the chunk encodes to the same IPC bytes", () => {
    const viewed = build([[pixels]], { viewSingleByteArray: true });
    const copied = build([[pixels]]);
    expect(childBytes(viewed).buffer).toBe(pixels.buffer);
    expect(childBytes(viewed).byteOffset).toBe(pixels.byteOffset);
    expect(childBytes(copied).buffer).not.toBe(pixels.buffer);
    const ipc = chunkToIpc(viewed);
    expect(ipc).toEqual(chunkToIpc(copied));
    const back = chunkFromIpc(ipc);
    expect(back.componentValues("Image:buffer", 0, ImageBufferType)).toEqual([pixels]);
  });

  it("copies when there is more than one array; views a lone Blob too", () => {
    const two = build([[pixels], [pixels]], { viewSingleByteArray: true });
    expect(childBytes(two).buffer).not.toBe(pixels.buffer);
    expect(childBytes(two).length).toBe(2 * pixels.length);
    expect(two.componentValues("Image:buffer", 1, ImageBufferType)).toEqual([pixels]);

    const builder = new ChunkBuilder("file");
    builder.addRow(new Tuid(5n, 0n), new Map(), [
      { descriptor: { component: "Asset:blob" }, type: BlobType, values: [pixels] } as ComponentBatch,
    ]);
    const blob = builder.build(new Tuid(6n, 0n), { viewSingleByteArray: true });
    expect(blob.components.get("Asset:blob")!.list.children[0]!.children[0]!.values.buffer).toBe(
      pixels.buffer,
    );
  });
});

describe("ChunkBuilder column order", () => {
  const opacity = { archetype: "rerun.archetypes.Image", component: "Image:opacity" };
  const cell = (value: bigint) => ({ type: "sequence" as const, value });

  it("sorts timelines and components by name whatever order the rows give them in, sorted or not", () => {
    for (const names of [
      ["a", "b", "c"],
      ["c", "a", "b"],
      ["b", "c", "a"],
    ]) {
      for (const components of [
        [descriptor, opacity],
        [opacity, descriptor],
      ]) {
        const builder = new ChunkBuilder("e");
        const timepoint = new Map(names.map((n, i) => [n, cell(BigInt(i))]));
        builder.addRow(
          new Tuid(1n, 0n),
          timepoint,
          components.map(
            (d) => ({ descriptor: d, type: BlobType, values: [Uint8Array.of(1)] }) as ComponentBatch,
          ),
        );
        // The key does not depend on the order either (rows of other orders join the same chunk).
        expect(ChunkBuilder.timelineKey(timepoint)).toBe(
          ChunkBuilder.timelineKey(new Map([...timepoint].reverse())),
        );
        builder.addRow(new Tuid(2n, 0n), new Map([...timepoint].reverse()), []);
        const chunk = builder.build(new Tuid(3n, 0n));
        expect([...chunk.timelines.keys()]).toEqual(["a", "b", "c"]);
        expect([...chunk.components.keys()]).toEqual(["Image:buffer", "Image:opacity"]);
      }
    }
  });
});
