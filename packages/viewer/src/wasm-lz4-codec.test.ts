// lz4-wasm (the viewer's codec in the browser) cross-checked against the pure TypeScript codec and the native one
// (lz4-napi, the SDK's in Node) on the same inputs: every encoder's blocks decode to the input with every
// decoder, and damaged blocks give an Lz4Error or the TypeScript decoder's bytes, never another exception.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Lz4Codec, Lz4Error, lz4 as tsLz4 } from "@iris/rrd";
import { codecCrossCheckInputs, randomBytes } from "../../rrd/src/lz4/lz4-test-data.ts";
import {
  LITERAL_BLOCK_RATIO,
  WASM_MEMORY_BOUND_BYTES,
  instantiateWasmLz4,
  mixedLz4,
  zeroMatchOffsetAt,
} from "./wasm-lz4-codec.ts";

const require = createRequire(import.meta.url);
const wasmBytes = new Uint8Array(
  readFileSync(join(dirname(require.resolve("lz4-wasm/package.json")), "lz4_wasm_bg.wasm")),
);

// lz4-napi's compressSync/uncompressSync use lz4_flex's 4-byte little-endian size prefix before the block.
const napi = require("lz4-napi") as {
  compressSync(data: Uint8Array): Uint8Array;
  uncompressSync(data: Uint8Array): Uint8Array;
};
const nativeLz4: Lz4Codec = {
  compressBlock: (src) => new Uint8Array(napi.compressSync(src)).subarray(4),
  decompressBlock(src, uncompressedSize) {
    const prefixed = new Uint8Array(4 + src.length);
    new DataView(prefixed.buffer).setUint32(0, uncompressedSize, true);
    prefixed.set(src, 4);
    return new Uint8Array(napi.uncompressSync(prefixed));
  },
};

/** Screen-like: flat areas and gradients, which compress well. */
function screenLike(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i++) out[i] = ((i / 3) % width) >> 5;
  return out;
}

const inputs: [string, Uint8Array][] = [
  ...codecCrossCheckInputs(),
  ["screen-like RGB8", screenLike(640, 360)],
];

let wasm: Lz4Codec;
let codecs: [string, Lz4Codec][];
beforeAll(async () => {
  wasm = await instantiateWasmLz4(wasmBytes);
  codecs = [
    ["typescript", tsLz4],
    ["native", nativeLz4],
    ["wasm", wasm],
    ["mixed", mixedLz4(wasm, tsLz4)],
  ];
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe("lz4-wasm, TypeScript and native LZ4 codecs", () => {
  for (const [name, input] of inputs) {
    it(`${name}: each codec's block decodes to the input with each codec`, () => {
      for (const [encoderName, encoder] of codecs) {
        const block = encoder.compressBlock(input);
        for (const [decoderName, decoder] of codecs) {
          const out = decoder.decompressBlock(block, input.length);
          expect(sameBytes(out, input), `${encoderName} → ${decoderName}`).toBe(true);
        }
      }
    });
  }

  it("the mixed codec sends mostly-literal blocks to TypeScript and compressible ones to wasm", () => {
    const calls: string[] = [];
    const spy = (label: string, codec: Lz4Codec): Lz4Codec => ({
      compressBlock: (src) => codec.compressBlock(src),
      decompressBlock: (src, size) => (calls.push(label), codec.decompressBlock(src, size)),
    });
    const mixed = mixedLz4(spy("wasm", wasm), spy("ts", tsLz4));
    const noisy = randomBytes(50_000, 5);
    const flat = screenLike(200, 100);
    const noisyBlock = tsLz4.compressBlock(noisy);
    const flatBlock = tsLz4.compressBlock(flat);
    expect(noisyBlock.length).toBeGreaterThanOrEqual(noisy.length * LITERAL_BLOCK_RATIO);
    expect(flatBlock.length).toBeLessThan(flat.length * LITERAL_BLOCK_RATIO);
    expect(sameBytes(mixed.decompressBlock(noisyBlock, noisy.length), noisy)).toBe(true);
    expect(sameBytes(mixed.decompressBlock(flatBlock, flat.length), flat)).toBe(true);
    expect(calls).toEqual(["ts", "wasm"]);
  });
});

describe("lz4-wasm on damaged blocks", () => {
  /** "ok" with the bytes, or "lz4-error"; anything else is rethrown (and fails the test). */
  function tryDecode(codec: Lz4Codec, block: Uint8Array, size: number): Uint8Array | "lz4-error" {
    try {
      return codec.decompressBlock(block, size);
    } catch (error) {
      if (error instanceof Lz4Error) return "lz4-error";
      throw error;
    }
  }

  const input = new TextEncoder().encode("hello hello hello, Rerun! ".repeat(30) + "0123456789".repeat(20));

  it("rejects every truncation with an Lz4Error", () => {
    const block = tsLz4.compressBlock(input);
    for (let n = 0; n < block.length; n++)
      expect(tryDecode(wasm, block.subarray(0, n), input.length)).toBe("lz4-error");
  });

  it("gives an Lz4Error or the TypeScript decoder's exact bytes for every single-byte change", () => {
    // lz4-wasm 0.9.2 (an older lz4_flex) would accept a match offset of 0, which the LZ4 block format forbids,
    // and copy not-yet-written output (zeros); the glue's pre-pass (zeroMatchOffsetAt) refuses such blocks.
    const block = tsLz4.compressBlock(input);
    let rejected = 0;
    for (let i = 0; i < block.length; i++) {
      for (const value of [0, 0xff, block[i]! ^ 0x10]) {
        const damaged = block.slice();
        damaged[i] = value;
        const got = tryDecode(wasm, damaged, input.length);
        let reference: Uint8Array | string;
        try {
          reference = tsLz4.decompressBlock(damaged, input.length);
        } catch (error) {
          if (!(error instanceof Lz4Error)) throw error;
          reference = error.message;
        }
        if (got === "lz4-error") rejected++;
        else {
          expect(typeof reference, `byte ${i} = ${value}: TypeScript says ${String(reference)}`).not.toBe(
            "string",
          );
          expect(sameBytes(got, reference as Uint8Array), `byte ${i} = ${value}`).toBe(true);
        }
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it("rejects a wrong or impossible declared size with an Lz4Error, and keeps working afterwards", () => {
    const block = tsLz4.compressBlock(input);
    for (const size of [input.length - 1, input.length + 1, 0, 0xffff_ffff, 2 ** 32, -1, 1.5]) {
      expect(tryDecode(wasm, block, size), `size ${size}`).toBe("lz4-error");
    }
    expect(sameBytes(wasm.decompressBlock(block, input.length), input)).toBe(true);
  });
});

describe("zeroMatchOffsetAt (the pre-pass before lz4-wasm)", () => {
  it("finds no zero offset in valid blocks of every input, whoever encoded them", () => {
    for (const [name, input] of inputs) {
      for (const [codecName, codec] of codecs) {
        expect(zeroMatchOffsetAt(codec.compressBlock(input)), `${name} by ${codecName}`).toBe(-1);
      }
    }
  });

  it("finds a zero offset after short and long literal runs and long matches (hand-written blocks)", () => {
    // token 0x10: 1 literal, match length 4; literal "a"; offset 0 at byte 2.
    expect(zeroMatchOffsetAt(Uint8Array.of(0x10, 0x61, 0, 0, 0x50, 1, 2, 3, 4, 5))).toBe(2);
    // 15 + 255 + 3 = 273 literals (token 0xf0, length bytes 255, 3), then offset 0.
    const long = new Uint8Array(1 + 2 + 273 + 2);
    long.set([0xf0, 255, 3]);
    expect(zeroMatchOffsetAt(long)).toBe(276);
    // A valid first match (offset 1, match length 15 + 255 + 0) and then a zero offset in the second sequence.
    const second = Uint8Array.of(0x1f, 0x61, 1, 0, 255, 0, 0x10, 0x62, 0, 0, 0x00);
    expect(zeroMatchOffsetAt(second)).toBe(8);
  });

  it("makes lz4-wasm refuse a zero offset with an Lz4Error naming it", () => {
    const block = Uint8Array.of(0x10, 0x61, 0, 0, 0x50, 1, 2, 3, 4, 5);
    expect(() => tsLz4.decompressBlock(block, 10)).toThrow(Lz4Error);
    expect(() => wasm.decompressBlock(block, 10)).toThrow(/match offset 0 at byte 2/);
  });
});

describe("lz4-wasm memory", () => {
  it("is given back after a large block: a fresh instance replaces one whose memory grew past the bound", async () => {
    const codec = await instantiateWasmLz4(wasmBytes);
    const small = screenLike(64, 36);
    const smallBlock = tsLz4.compressBlock(small);
    expect(codec.decompressBlock(smallBlock, small.length)).toEqual(small);
    const before = codec.memoryBytes;
    expect(before).toBeLessThan(WASM_MEMORY_BOUND_BYTES);
    const large = new Uint8Array(80 * 1024 * 1024).fill(7); // 80 MB that compress to a few hundred kB
    const largeBlock = tsLz4.compressBlock(large);
    const out = codec.decompressBlock(largeBlock, large.length);
    expect(out.length).toBe(large.length);
    expect(out[0]).toBe(7);
    expect(out[out.length - 1]).toBe(7);
    expect(codec.memoryBytes).toBeGreaterThan(WASM_MEMORY_BOUND_BYTES);
    await codec.settled();
    expect(codec.memoryBytes).toBeLessThanOrEqual(before); // a fresh instance's memory
    expect(codec.decompressBlock(smallBlock, small.length)).toEqual(small);
    expect(tsLz4.decompressBlock(codec.compressBlock(small), small.length)).toEqual(small);
  });
});
