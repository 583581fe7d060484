import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { fakeIpc, recording } from "../../test/fixtures.ts";
import { Compression } from "../gen/rerun/v1alpha1/common_pb.ts";
import { ArrowMsgSchema } from "../gen/rerun/v1alpha1/log_msg_pb.ts";
import { MessageKind } from "../message-header.ts";
import { decodeMessagePayload, encodeLogMsg, encodeMessagePayload } from "../message-payload.ts";
import type { Lz4Codec } from "./lz4-codec.ts";
import { lz4 } from "./index.ts";
import {
  SAMPLE_MIN_BYTES,
  SAMPLE_WINDOW_BYTES,
  SAMPLE_WINDOWS,
  looksIncompressible,
} from "./incompressible.ts";

/** Deterministic bytes that LZ4 cannot shrink (xorshift32). */
function noise(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The pure-TS codec, recording the size of every input it compresses. */
function countingCodec(): { codec: Lz4Codec; inputs: number[] } {
  const inputs: number[] = [];
  return {
    inputs,
    codec: {
      ...lz4,
      compressBlock: (src) => {
        inputs.push(src.length);
        return lz4.compressBlock(src);
      },
    },
  };
}

/** `toEqual` on megabyte arrays is slow; compare bytes directly. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function arrowMsgOf(payload: Uint8Array) {
  return fromBinary(ArrowMsgSchema, payload);
}

describe("incompressibility early-out", () => {
  const size = SAMPLE_MIN_BYTES + 12345;

  it("samples a large incompressible payload, does not compress it whole, stores it with compression NONE", () => {
    const ipc = noise(size);
    const { codec, inputs } = countingCodec();
    expect(looksIncompressible(ipc, codec)).toBe(true);
    expect(inputs).toEqual(Array<number>(SAMPLE_WINDOWS).fill(SAMPLE_WINDOW_BYTES));

    inputs.length = 0;
    const message = { kind: "arrowMsg", storeId: recording, ipc } as const;
    const { payload } = encodeMessagePayload(message, { lz4: codec });
    expect(inputs.every((n) => n <= SAMPLE_WINDOW_BYTES)).toBe(true);
    const proto = arrowMsgOf(payload);
    expect(proto.compression).toBe(Compression.NONE);
    expect(proto.uncompressedSize).toBe(BigInt(size));
    const decoded = decodeMessagePayload(MessageKind.ArrowMsg, payload);
    expect(decoded.kind === "arrowMsg" && sameBytes(decoded.ipc, ipc)).toBe(true);
    // The gRPC LogMsg path makes the same choice.
    expect(encodeLogMsg(message, { lz4: codec }).length).toBeGreaterThan(size);
  });

  it("still compresses a large compressible payload with LZ4, after sampling only one window", () => {
    const ipc = fakeIpc(size, 3);
    const { codec, inputs } = countingCodec();
    expect(looksIncompressible(ipc, codec)).toBe(false);
    expect(inputs).toEqual([SAMPLE_WINDOW_BYTES]);

    const { payload } = encodeMessagePayload({ kind: "arrowMsg", storeId: recording, ipc }, { lz4: codec });
    const proto = arrowMsgOf(payload);
    expect(proto.compression).toBe(Compression.LZ4);
    expect(proto.payload.length).toBeLessThan(size / 2);
    const decoded = decodeMessagePayload(MessageKind.ArrowMsg, payload);
    expect(decoded.kind === "arrowMsg" && sameBytes(decoded.ipc, ipc)).toBe(true);
  });

  it("compresses a payload whose first sampled window is noise but whose other windows compress", () => {
    const ipc = fakeIpc(size, 5);
    ipc.set(noise(size >> 2), 0);
    expect(looksIncompressible(ipc, lz4)).toBe(false);
    const { payload } = encodeMessagePayload({ kind: "arrowMsg", storeId: recording, ipc });
    expect(arrowMsgOf(payload).compression).toBe(Compression.LZ4);
  });

  it("finds an image compressible whose only repeats are whole rows of 1080p RGB8 (5760 bytes apart)", () => {
    // Every row is the same noise: LZ4 can only match a row against the one above it.
    const row = noise(1920 * 3, 11);
    const image = new Uint8Array(row.length * 300);
    for (let y = 0; y < 300; y++) image.set(row, y * row.length);
    expect(image.length).toBeGreaterThanOrEqual(SAMPLE_MIN_BYTES);
    expect(looksIncompressible(image, lz4)).toBe(false);
    const { payload } = encodeMessagePayload({ kind: "arrowMsg", storeId: recording, ipc: image });
    expect(arrowMsgOf(payload).compression).toBe(Compression.LZ4);
  });

  it("does not sample payloads below SAMPLE_MIN_BYTES (they are compressed whole, kept only if smaller)", () => {
    const { codec, inputs } = countingCodec();
    expect(looksIncompressible(noise(SAMPLE_MIN_BYTES - 1), codec)).toBe(false);
    expect(inputs).toEqual([]);
    const small = fakeIpc(SAMPLE_MIN_BYTES - 1, 3);
    const { payload } = encodeMessagePayload(
      { kind: "arrowMsg", storeId: recording, ipc: small },
      { lz4: codec },
    );
    expect(inputs).toEqual([small.length]);
    expect(arrowMsgOf(payload).compression).toBe(Compression.LZ4);
  });

  it("leaves compression none alone (no sampling)", () => {
    const { codec, inputs } = countingCodec();
    const ipc = fakeIpc(size, 3);
    const { payload } = encodeMessagePayload(
      { kind: "arrowMsg", storeId: recording, ipc },
      { compression: "none", lz4: codec },
    );
    expect(inputs).toEqual([]);
    expect(arrowMsgOf(payload).compression).toBe(Compression.NONE);
  });
});
