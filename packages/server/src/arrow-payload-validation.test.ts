import { create } from "@bufbuild/protobuf";
import { ChunkBuilder, chunkToIpc } from "@iris/chunk";
import { commonPb, logMsgPb, lz4 } from "@iris/rrd";
import { ImageBufferType, ImageDescriptors, batch, defaultTuidGenerator } from "@iris/types";
import { describe, expect, it } from "vitest";
import { DecompressScratch, validateArrowPayload } from "./arrow-payload-validation.ts";

function chunkIpc(pixels: number): Uint8Array {
  const bytes = new Uint8Array(pixels).map((_, i) => (i % 7 === 0 ? i & 0xff : 0));
  return chunkToIpc(
    new ChunkBuilder("/frames")
      .addRow(defaultTuidGenerator.next(), new Map(), [
        batch(ImageDescriptors.buffer, ImageBufferType, [bytes]),
      ])
      .build(),
  );
}

function lz4Msg(block: Uint8Array, uncompressedSize: number): logMsgPb.ArrowMsg {
  return create(logMsgPb.ArrowMsgSchema, {
    compression: commonPb.Compression.LZ4,
    uncompressedSize: BigInt(uncompressedSize),
    payload: block,
  });
}

describe("validateArrowPayload with a reused decompression scratch", () => {
  it("refuses a block that decodes short, even where the scratch still holds a valid payload of that size", () => {
    const scratch = new DecompressScratch();
    const ipc = chunkIpc(100_000);
    validateArrowPayload(lz4Msg(lz4.compressBlock(ipc), ipc.length), 1 << 30, scratch);
    // The same bytes but the last 8: with the scratch's old contents the rest would still read as a valid chunk.
    const short = lz4.compressBlock(ipc.subarray(0, ipc.length - 8));
    expect(() => validateArrowPayload(lz4Msg(short, ipc.length), 1 << 30, scratch)).toThrow(
      `does not decompress to ${ipc.length} bytes (uncompressed_size): it decodes to ${ipc.length - 8}`,
    );
    // A corrupt block after a good one is refused too, and a good one after it passes.
    const corrupt = lz4.compressBlock(ipc).slice();
    corrupt.fill(0xff, 10, 40);
    expect(() => validateArrowPayload(lz4Msg(corrupt, ipc.length), 1 << 30, scratch)).toThrow(/ArrowMsg/);
    validateArrowPayload(lz4Msg(lz4.compressBlock(ipc), ipc.length), 1 << 30, scratch);
  });

  it("reuses its memory up to its limit and hands out fresh memory above it", () => {
    const scratch = new DecompressScratch(1000);
    const a = scratch.take(800);
    const b = scratch.take(600);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(600);
    const big = scratch.take(2000);
    expect(big.buffer).not.toBe(a.buffer);
    expect(scratch.take(700).buffer).toBe(a.buffer); // the payload over the limit was not kept
  });
});
