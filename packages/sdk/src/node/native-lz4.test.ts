// The native LZ4 codec (lz4-napi) cross-checked against the pure TypeScript one, both ways, on the inputs the
// SDK compresses; and the FileSink uses it by default.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { lz4 as pureLz4 } from "@iris/rrd";
import { codecCrossCheckInputs } from "../../../rrd/src/lz4/lz4-test-data.ts";
import { fastestLz4, nativeLz4 } from "./native-lz4.ts";

const binding = createRequire(import.meta.url)("lz4-napi") as {
  uncompressSync(data: Uint8Array): Uint8Array;
};

/** lz4-napi's own decoder wants lz4_flex's 4-byte little-endian size prefix before the block. */
function nativeDecompress(block: Uint8Array, size: number): Uint8Array {
  const prefixed = new Uint8Array(4 + block.length);
  new DataView(prefixed.buffer).setUint32(0, size, true);
  prefixed.set(block, 4);
  return binding.uncompressSync(prefixed);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

const inputs = codecCrossCheckInputs();

describe("native LZ4 codec", () => {
  it("is available here (lz4-napi ships a prebuilt binary for this platform)", () => {
    expect(nativeLz4()).toBeDefined();
    expect(fastestLz4()).toBe(nativeLz4());
  });

  it("loading it leaves the environment as it was (mimalloc's huge-page option is set only while it loads)", () => {
    // nativeLz4() may already have loaded in this process; the option must not be left behind either way.
    expect(process.env.MIMALLOC_ALLOW_LARGE_OS_PAGES).toBeUndefined();
    expect(nativeLz4()).toBeDefined();
    expect(process.env.MIMALLOC_ALLOW_LARGE_OS_PAGES).toBeUndefined();
  });

  for (const [name, input] of inputs) {
    it(`native blocks decode with the TypeScript decoder and TypeScript blocks with the native one (${name})`, () => {
      const native = nativeLz4()!;
      const nativeBlock = native.compressBlock(input);
      expect(sameBytes(pureLz4.decompressBlock(nativeBlock, input.length), input)).toBe(true);
      const pureBlock = pureLz4.compressBlock(input);
      expect(sameBytes(nativeDecompress(pureBlock, input.length), input)).toBe(true);
      expect(sameBytes(native.decompressBlock(pureBlock, input.length), input)).toBe(true);
    });
  }
});
