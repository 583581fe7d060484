import { type ComponentBatch, ImageBufferType, OpacityType, Tuid, concatBytes } from "@iris/types";
import { describe, expect, it } from "vitest";
import { ChunkBuilder } from "./chunk-builder.ts";
import { chunkToIpc } from "./chunk-to-record-batch.ts";
import { IPC_VIEW_MIN_BYTES, chunkToIpcParts } from "./ipc-parts.ts";
import { chunkFromIpc } from "./record-batch-to-chunk.ts";

const buffer = { archetype: "rerun.archetypes.Image", component: "Image:buffer" };
const opacity = { archetype: "rerun.archetypes.Image", component: "Image:opacity" };

function pixels(length: number, seed: number): Uint8Array {
  // Offset into a larger buffer, so that views are told apart from copies by byteOffset too.
  const backing = new Uint8Array(length + 24);
  for (let i = 0; i < backing.length; i++) backing[i] = (i * 31 + seed * 17) & 0xff;
  return backing.subarray(8, 8 + length);
}

function build(rows: Uint8Array[][], options?: { encodeOnly?: boolean; viewSingleByteArray?: boolean }) {
  const builder = new ChunkBuilder("camera/image");
  rows.forEach((values, i) => {
    builder.addRow(
      new Tuid(1000n + BigInt(i), 0n),
      new Map([["frame", { type: "sequence", value: BigInt(i) }]]),
      [
        { descriptor: buffer, type: ImageBufferType, values } as ComponentBatch,
        { descriptor: opacity, type: OpacityType, values: [0.5] } as ComponentBatch,
      ],
    );
  });
  return builder.build(new Tuid(1n, 2n), options);
}

/** Plain byte comparison (vitest's deep equality is slow on large arrays). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe("chunkToIpcParts", () => {
  it("joins to exactly the bytes of apache-arrow's tableToIPC, for small and large columns", () => {
    for (const rows of [
      [[pixels(5, 1)]],
      [[pixels(100_000, 2)], [pixels(3, 3)], []],
      [[pixels(40_000, 4), pixels(17, 5)]],
    ]) {
      const chunk = build(rows);
      expect(sameBytes(concatBytes(chunkToIpcParts(chunk)), chunkToIpc(chunk))).toBe(true);
    }
  });

  it("hands out a lone large image as a view of the logged array, not a copy", () => {
    const image = pixels(300_000, 7);
    const parts = chunkToIpcParts(build([[image]], { viewSingleByteArray: true }));
    const views = parts.filter((p) => p.buffer === image.buffer);
    expect(views).toHaveLength(1);
    expect(views[0]!.byteOffset).toBe(image.byteOffset);
    expect(views[0]!.byteLength).toBe(image.byteLength);
    // Everything else is small: headers, row ids, times, offsets, the opacity, padding.
    const other = parts.filter((p) => p.buffer !== image.buffer).reduce((n, p) => n + p.byteLength, 0);
    expect(other).toBeLessThan(IPC_VIEW_MIN_BYTES);
  });

  it("encodeOnly: several images are written one after another from their own arrays, no concatenation", () => {
    const images = [pixels(50_000, 1), pixels(20_001, 2), pixels(7, 3), pixels(64_003, 4)];
    const rows = [[images[0]!], [images[1]!, images[2]!], [], [images[3]!]];
    const parts = chunkToIpcParts(build(rows, { encodeOnly: true }));
    for (const image of images.filter((i) => i.byteLength >= IPC_VIEW_MIN_BYTES)) {
      expect(parts.some((p) => p.buffer === image.buffer && p.byteOffset === image.byteOffset)).toBe(true);
    }
    // Byte-identical to the chunk built with its bytes concatenated (as every other writer does).
    const joined = concatBytes(parts);
    expect(sameBytes(joined, chunkToIpc(build(rows)))).toBe(true);
    const back = chunkFromIpc(joined);
    expect(back.componentValues("Image:buffer", 1, ImageBufferType)).toEqual([images[1], images[2]]);
    expect(back.componentValues("Image:buffer", 3, ImageBufferType)).toEqual([images[3]]);
  });
});
