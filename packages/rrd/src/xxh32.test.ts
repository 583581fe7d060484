import { describe, expect, it } from "vitest";
import { RRD_FOOTER_XXH32_SEED, xxh32 } from "./xxh32.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe("xxh32", () => {
  it("matches the reference values for empty input", () => {
    expect(xxh32(new Uint8Array(0), RRD_FOOTER_XXH32_SEED)).toBe(0x2a973671);
    expect(xxh32(new Uint8Array(0), 0)).toBe(0x02cc5d05);
  });

  it("matches published XXH32 test vectors (short and ≥ 16-byte paths)", () => {
    expect(xxh32(text("a"), 0)).toBe(0x550d7456);
    expect(xxh32(text("abc"), 0)).toBe(0x32d153ff);
    expect(xxh32(text("Nobody inspects the spammish repetition"), 0)).toBe(0xe2293b2f);
  });

  it("depends on the seed and reads views at their offset", () => {
    const bytes = text("xxabcxx").subarray(2, 5);
    expect(xxh32(bytes, 0)).toBe(0x32d153ff);
    expect(xxh32(bytes, 1)).not.toBe(0x32d153ff);
  });
});
