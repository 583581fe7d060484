import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { fakeIpc, recording } from "../../test/fixtures.ts";
import { Compression } from "../gen/rerun/v1alpha1/common_pb.ts";
import { ArrowMsgSchema } from "../gen/rerun/v1alpha1/log_msg_pb.ts";
import { MessageKind } from "../message-header.ts";
import { decodeMessagePayload, encodeLogMsg, encodeMessagePayload } from "../message-payload.ts";
import type { Lz4Codec } from "./lz4-codec.ts";
import { lz4 } from "./index.ts";
import { compressBlockInto } from "./lz4-block.ts";
import {
  type CompressInto,
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

/** The sampler's compressor, recording the size of every window it compresses and every output buffer. */
function countingSampler(): { compressInto: CompressInto; windows: number[]; outputs: Uint8Array[] } {
  const windows: number[] = [];
  const outputs: Uint8Array[] = [];
  return {
    windows,
    outputs,
    compressInto: (src, dst) => {
      windows.push(src.length);
      outputs.push(dst);
      return compressBlockInto(src, dst);
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
    const { compressInto, windows } = countingSampler();
    expect(looksIncompressible(ipc, compressInto)).toBe(true);
    expect(windows).toEqual(Array<number>(SAMPLE_WINDOWS).fill(SAMPLE_WINDOW_BYTES));

    const { codec, inputs } = countingCodec();
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
    const { compressInto, windows } = countingSampler();
    expect(looksIncompressible(ipc, compressInto)).toBe(false);
    expect(windows).toEqual([SAMPLE_WINDOW_BYTES]);

    const { codec } = countingCodec();
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
    expect(looksIncompressible(ipc)).toBe(false);
    const { payload } = encodeMessagePayload({ kind: "arrowMsg", storeId: recording, ipc });
    expect(arrowMsgOf(payload).compression).toBe(Compression.LZ4);
  });

  it("finds an image compressible whose only repeats are whole rows of 1080p RGB8 (5760 bytes apart)", () => {
    // Every row is the same noise: LZ4 can only match a row against the one above it.
    const row = noise(1920 * 3, 11);
    const image = new Uint8Array(row.length * 300);
    for (let y = 0; y < 300; y++) image.set(row, y * row.length);
    expect(image.length).toBeGreaterThanOrEqual(SAMPLE_MIN_BYTES);
    expect(looksIncompressible(image)).toBe(false);
    const { payload } = encodeMessagePayload({ kind: "arrowMsg", storeId: recording, ipc: image });
    expect(arrowMsgOf(payload).compression).toBe(Compression.LZ4);
  });

  it("does not sample payloads below SAMPLE_MIN_BYTES (they are compressed whole, kept only if smaller)", () => {
    const { compressInto, windows } = countingSampler();
    expect(looksIncompressible(noise(SAMPLE_MIN_BYTES - 1), compressInto)).toBe(false);
    expect(windows).toEqual([]);
    const { codec, inputs } = countingCodec();
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

  it("samples with its own compressor: the payload codec is not called for a payload that looks incompressible", () => {
    const ipc = noise(size);
    const refusing: Lz4Codec = {
      ...lz4,
      compressBlock: () => {
        throw new Error("the payload codec must not be called for the sample");
      },
    };
    const { payload } = encodeMessagePayload(
      { kind: "arrowMsg", storeId: recording, ipc },
      { lz4: refusing },
    );
    expect(arrowMsgOf(payload).compression).toBe(Compression.NONE);
  });

  it("reuses one output buffer for every window, and reads only the returned length from it", () => {
    const inputs: [string, Uint8Array | Uint8Array[]][] = [
      ["noise", noise(size)],
      ["compressible", fakeIpc(size, 3)],
      [
        "noise then compressible",
        (() => {
          const ipc = fakeIpc(size, 5);
          ipc.set(noise(size >> 2), 0);
          return ipc;
        })(),
      ],
      // Parts split inside sampled windows: those windows are copied into the reused input buffer.
      ["noise in parts", splitEvery(noise(size), 300_001)],
      ["compressible in parts", splitEvery(fakeIpc(size, 7), 300_001)],
    ];
    for (const [name, input] of inputs) {
      const joined = Array.isArray(input) ? concat(input) : input;
      // Reference: every window compressed into a fresh buffer of its own.
      const fresh = looksIncompressible(joined, (src, dst) =>
        compressBlockInto(src, new Uint8Array(dst.length)),
      );
      const { compressInto, outputs } = countingSampler();
      const windows: Uint8Array[] = [];
      // Scribbles over the output once its length is returned and checks each window against the joined bytes:
      // a sampler that read a window's output after compressing the next one, or a window copied into the reused
      // input buffer too late or too early, would change the decision or fail here.
      const scribbling: CompressInto = (src, dst) => {
        windows.push(src.slice());
        const n = compressInto(src, dst);
        dst.fill(0xaa);
        return n;
      };
      expect(looksIncompressible(input, scribbling), name).toBe(fresh);
      expect(new Set(outputs).size, name).toBe(1);
      const stride = (joined.length - SAMPLE_WINDOW_BYTES) / SAMPLE_WINDOWS;
      windows.forEach((window, i) => {
        const start = Math.floor(stride * (i + 0.5));
        expect(
          sameBytes(window, joined.subarray(start, start + SAMPLE_WINDOW_BYTES)),
          `${name} window ${i}`,
        ).toBe(true);
      });
    }
  });
});

function splitEvery(bytes: Uint8Array, partBytes: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += partBytes) parts.push(bytes.subarray(i, i + partBytes));
  return parts;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
