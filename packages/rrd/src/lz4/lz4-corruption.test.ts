import { describe, expect, it } from "vitest";
import { compressBlock, decompressBlock, decompressBlockInto, Lz4Error } from "./index.ts";
import { cameraLikeRgb, randomBytes } from "./lz4-test-data.ts";

// Damaged blocks must either throw Lz4Error or decode to exactly the declared size — never another exception,
// never a hang (each loop iteration of the decoder consumes input, so a hang would show as a test timeout).

const inputs: [string, Uint8Array][] = [
  ["text", new TextEncoder().encode("hello hello hello, Rerun! ".repeat(30) + "0123456789".repeat(20))],
  ["period 3", Uint8Array.from({ length: 2000 }, (_, i) => (i % 3) + 1)],
  ["run", new Uint8Array(5000).fill(9)],
  ["camera-like", cameraLikeRgb(64, 32, 4)],
  ["random", randomBytes(600, 11)],
];

/** Decodes and classifies: "ok" (right length), "lz4-error", or rethrows anything else. */
function tryDecode(block: Uint8Array, size: number): "ok" | "lz4-error" {
  try {
    const out = decompressBlock(block, size);
    expect(out.length).toBe(size);
    // The Into variant must agree and stay inside dst.
    const dst = new Uint8Array(size);
    expect(decompressBlockInto(block, dst)).toBe(size);
    return "ok";
  } catch (error) {
    if (error instanceof Lz4Error) return "lz4-error";
    throw error;
  }
}

describe("LZ4 decoder on damaged blocks", () => {
  for (const [name, input] of inputs) {
    const block = compressBlock(input);

    it(`${name}: every truncation is rejected`, () => {
      for (let n = 0; n < block.length; n++) {
        expect(tryDecode(block.subarray(0, n), input.length)).toBe("lz4-error");
      }
    });

    it(`${name}: flipped bytes at every position give Lz4Error or a correct-length output`, () => {
      const counts = { ok: 0, "lz4-error": 0 };
      for (let pos = 0; pos < block.length; pos++) {
        for (const mask of [0x01, 0x10, 0x80, 0xff]) {
          const damaged = block.slice();
          damaged[pos] = damaged[pos]! ^ mask;
          counts[tryDecode(damaged, input.length)]++;
        }
      }
      expect(counts["lz4-error"]).toBeGreaterThan(0);
    });

    it(`${name}: a wrong declared size is rejected`, () => {
      for (const size of [0, input.length - 1, input.length + 1, input.length * 2]) {
        expect(tryDecode(block, size)).toBe("lz4-error");
      }
    });
  }

  it("random garbage never escapes as another exception type", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const garbage = randomBytes(1 + (seed % 64), seed);
      tryDecode(garbage, seed % 300);
      const dst = new Uint8Array(seed % 300);
      try {
        expect(decompressBlockInto(garbage, dst)).toBeLessThanOrEqual(dst.length);
      } catch (error) {
        expect(error).toBeInstanceOf(Lz4Error);
      }
    }
  });

  it("a huge literal length in a tiny block fails fast without allocating it", () => {
    // token 0xF0 then 255 bytes of 0xFF: a literal length near 65 000 with no literals behind it.
    const block = new Uint8Array(256).fill(0xff);
    block[0] = 0xf0;
    expect(() => decompressBlock(block, 255 * 256)).toThrow(Lz4Error);
    expect(() => decompressBlockInto(block, new Uint8Array(100))).toThrow(Lz4Error);
  });
});
