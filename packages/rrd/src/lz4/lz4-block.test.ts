import { describe, expect, it } from "vitest";
import { compressBlock, decompressBlock, decompressBlockInto, lz4, Lz4Error } from "./index.ts";
import { compressBlockInto, maxCompressedSize } from "./lz4-block.ts";
import { cameraLikeRgb, firstDifference, parseSequences, randomBytes } from "./lz4-test-data.ts";

const text = new TextEncoder().encode(
  "The quick brown fox jumps over the lazy dog. ".repeat(40) +
    "Rerun stores each Arrow IPC payload as a raw LZ4 block; the uncompressed size travels separately. ".repeat(
      20,
    ),
);

function roundTrip(input: Uint8Array): Uint8Array {
  const block = compressBlock(input);
  const output = decompressBlock(block, input.length);
  expect(output.length).toBe(input.length);
  expect(firstDifference(output, input)).toBe(-1);
  return block;
}

/** Checks the end-of-block rules of the LZ4 block format on one of our blocks. */
function expectEndOfBlockRules(block: Uint8Array, inputLength: number): void {
  const sequences = parseSequences(block);
  const last = sequences[sequences.length - 1]!;
  expect(last.matchLength).toBe(0);
  expect(last.outputStart + last.literalLength).toBe(inputLength);
  if (sequences.length > 1) {
    // The last 5 bytes are literals, and the last match starts at least 12 bytes before the end.
    expect(last.literalLength).toBeGreaterThanOrEqual(5);
    const lastMatch = sequences[sequences.length - 2]!;
    expect(inputLength - (lastMatch.outputStart + lastMatch.literalLength)).toBeGreaterThanOrEqual(12);
  }
  const badOffsets = sequences
    .slice(0, -1)
    .filter((s) => s.offset <= 0 || s.offset > s.outputStart + s.literalLength || s.offset > 65535);
  expect(badOffsets).toEqual([]);
}

describe("LZ4 block round trips", () => {
  it("empty input gives the one-byte block 0x00", () => {
    const block = roundTrip(new Uint8Array(0));
    expect([...block]).toEqual([0x00]);
  });

  it("1 byte and every length 2..40 (around the 13-byte minimum for a match)", () => {
    expect([...roundTrip(Uint8Array.of(0x42))]).toEqual([0x10, 0x42]);
    for (let n = 2; n <= 40; n++) {
      for (const input of [
        new Uint8Array(n).fill(7),
        randomBytes(n, n),
        Uint8Array.from({ length: n }, (_, i) => i % 3),
      ]) {
        expectEndOfBlockRules(roundTrip(input), n);
      }
    }
  });

  it("inputs shorter than 13 bytes are stored as literals", () => {
    for (let n = 4; n <= 12; n++) {
      const block = roundTrip(new Uint8Array(n).fill(1));
      expect(block.length).toBe(n + 1);
      expect(block[0]).toBe(n << 4);
    }
  });

  it("all-equal runs compress to a few bytes", () => {
    for (const n of [13, 14, 100, 255 + 19, 65536, 1 << 20]) {
      const block = roundTrip(new Uint8Array(n).fill(0xab));
      expectEndOfBlockRules(block, n);
      expect(block.length).toBeLessThan(n / 200 + 16);
    }
  });

  it("repeating patterns with periods 1..9 (overlapping matches)", () => {
    for (let period = 1; period <= 9; period++) {
      const input = Uint8Array.from({ length: 5000 }, (_, i) => (i % period) * 31 + 1);
      const block = roundTrip(input);
      expectEndOfBlockRules(block, input.length);
      expect(block.length).toBeLessThan(100);
    }
  });

  it("random (incompressible) data gives a valid literal-only block", () => {
    for (const n of [13, 15, 16, 270, 271, 100_000]) {
      const input = randomBytes(n, 99 + n);
      const block = roundTrip(input);
      expect(block.length).toBeLessThanOrEqual(maxCompressedSize(n));
      expectEndOfBlockRules(block, n);
    }
  });

  it("a 2 MB camera-like RGB image", () => {
    const input = cameraLikeRgb(1024, 683, 1);
    expect(input.length).toBeGreaterThan(2_000_000);
    const block = roundTrip(input);
    expectEndOfBlockRules(block, input.length);
    expect(block.length).toBeLessThan(input.length);
  });

  it("text, including matches further than 64 KiB apart", () => {
    expectEndOfBlockRules(roundTrip(text), text.length);
    const far = new Uint8Array(200_000);
    far.set(text.subarray(0, 1000), 0);
    far.set(randomBytes(100_000, 5), 1000);
    far.set(text.subarray(0, 1000), 150_000);
    expectEndOfBlockRules(roundTrip(far), far.length);
  });

  it("works on views with a byteOffset and repeated calls give the same bytes", () => {
    const backing = new Uint8Array(text.length + 3);
    backing.set(text, 3);
    const view = backing.subarray(3);
    const a = compressBlock(view);
    compressBlock(randomBytes(5000, 1)); // the reused hash table must not leak between calls
    expect([...compressBlock(view)]).toEqual([...a]);
    const out = new Uint8Array(text.length + 10).subarray(5, 5 + text.length);
    expect(decompressBlockInto(a, out)).toBe(text.length);
    expect(firstDifference(out, text)).toBe(-1);
  });

  it("decompressBlockInto returns the decoded length when dst is larger", () => {
    const block = compressBlock(text);
    const dst = new Uint8Array(text.length + 100);
    expect(decompressBlockInto(block, dst)).toBe(text.length);
    expect(firstDifference(dst.subarray(0, text.length), text)).toBe(-1);
  });

  it("compressBlockInto refuses an output smaller than maxCompressedSize", () => {
    expect(() => compressBlockInto(text, new Uint8Array(10))).toThrow(Lz4Error);
  });

  it("the lz4 codec object exposes the same functions", () => {
    const block = lz4.compressBlock(text);
    expect(firstDifference(lz4.decompressBlock(block, text.length), text)).toBe(-1);
    expect(lz4.decompressBlockInto).toBe(decompressBlockInto);
  });
});

describe("LZ4 known-answer blocks (written by hand)", () => {
  it("a literal-only block for 'hello'", () => {
    // token 0x50: 5 literals, no match (last sequence); then the 5 literal bytes.
    const block = Uint8Array.of(0x50, 0x68, 0x65, 0x6c, 0x6c, 0x6f);
    expect(new TextDecoder().decode(decompressBlock(block, 5))).toBe("hello");
    expect([...compressBlock(new TextEncoder().encode("hello"))]).toEqual([...block]);
  });

  it("an overlapping match with offset 2", () => {
    // prettier-ignore
    const block = Uint8Array.of(
      0x26, // token: 2 literals, match length 6 + 4 = 10
      0x61, 0x62, // literals "ab"
      0x02, 0x00, // offset 2 (little-endian): copy from 2 bytes back, overlapping its own output
      0x50, // last sequence: 5 literals
      0x21, 0x21, 0x21, 0x21, 0x21, // "!!!!!"
    );
    expect(new TextDecoder().decode(decompressBlock(block, 17))).toBe("abababababab!!!!!");
  });

  it("an overlapping match with offset 3 and one with offset 1 and an extended length", () => {
    // prettier-ignore
    const block = Uint8Array.of(
      0x33, // token: 3 literals, match length 3 + 4 = 7
      0x78, 0x79, 0x7a, // "xyz"
      0x03, 0x00, // offset 3 → "xyzxyzx"
      0x1f, // token: 1 literal, match nibble 15 (length continues)
      0x2d, // "-"
      0x01, 0x00, // offset 1: repeat the previous byte
      0xff, 0x02, // match length 15 + 255 + 2 + 4 = 276
      0x00, // last sequence with 0 literals (accepted by decoders, never produced by our encoder)
    );
    const out = new TextDecoder().decode(decompressBlock(block, 3 + 7 + 1 + 276));
    expect(out).toBe("xyzxyzxyzx" + "-".repeat(277));
  });

  it("a literal run with an extended length (15 + 255 + 0 = 270 bytes)", () => {
    const literals = randomBytes(270, 3);
    const block = new Uint8Array(3 + 270);
    block.set([0xf0, 0xff, 0x00], 0); // token: literal nibble 15; then 255 and 0 → 15 + 255 + 0
    block.set(literals, 3);
    expect(firstDifference(decompressBlock(block, 270), literals)).toBe(-1);
    expect([...compressBlock(literals)]).toEqual([...block]);
  });

  it("a block whose decoded length differs from the declared one is rejected", () => {
    const block = Uint8Array.of(0x50, 0x68, 0x65, 0x6c, 0x6c, 0x6f);
    expect(() => decompressBlock(block, 6)).toThrow(expect.objectContaining({ kind: "size-mismatch" }));
    expect(() => decompressBlock(block, 4)).toThrow(expect.objectContaining({ kind: "output-overflow" }));
    expect(() => decompressBlock(block, -1)).toThrow(expect.objectContaining({ kind: "size-mismatch" }));
    expect(() => decompressBlock(block, 1.5)).toThrow(expect.objectContaining({ kind: "size-mismatch" }));
    // 6 bytes can never expand to 1 MB: refused before allocating.
    expect(() => decompressBlock(block, 1 << 20)).toThrow(expect.objectContaining({ kind: "size-mismatch" }));
  });

  it("names offsets and sizes in the error messages", () => {
    // offset 0
    expect(() => decompressBlock(Uint8Array.of(0x10, 0x61, 0x00, 0x00, 0x00), 5)).toThrow(
      /match offset 0 at input byte 2 \(output position 1\)/,
    );
    // offset 2 with only 1 byte of output
    expect(() => decompressBlock(Uint8Array.of(0x10, 0x61, 0x02, 0x00, 0x00), 5)).toThrow(
      /match offset 2 at input byte 2 points before the start of the output \(output position 1\)/,
    );
    // literal run longer than the input
    expect(() => decompressBlock(Uint8Array.of(0x50, 0x61, 0x62), 5)).toThrow(
      /literal run of 5 bytes at input byte 1, but only 2 input bytes remain/,
    );
    // empty block
    expect(() => decompressBlock(new Uint8Array(0), 0)).toThrow(/block is empty/);
    // a match that ends the block (the last sequence must be literals only)
    expect(() => decompressBlock(Uint8Array.of(0x10, 0x61, 0x01, 0x00), 5)).toThrow(/a token after a match/);
    expect(() => decompressBlock(Uint8Array.of(0x10, 0x61, 0x01, 0x00, 0x00), 7)).toThrow(
      /decoded to 5 bytes, expected 7/,
    );
  });
});
