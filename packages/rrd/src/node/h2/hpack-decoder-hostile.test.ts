// Hostile header blocks: each must give a typed HpackError whose message says what was wrong (expected vs actual),
// never another exception, a hang or unbounded memory.
import { describe, expect, it } from "vitest";
import { HpackDecoder, HpackError, type HpackErrorKind } from "./hpack-decoder.ts";

function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

const C3_FIRST_REQUEST = "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d";
const AUTHORITY: [string, string] = [":authority", "www.example.com"];

function expectHpackError(
  block: Uint8Array,
  kind: HpackErrorKind,
  message: RegExp,
  decoder = new HpackDecoder(),
) {
  let thrown: unknown;
  try {
    decoder.decode(block);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(HpackError);
  expect((thrown as HpackError).kind).toBe(kind);
  expect((thrown as HpackError).message).toMatch(message);
}

describe("HpackDecoder on hostile blocks", () => {
  it("decodes an empty block to no fields", () => {
    expect(new HpackDecoder().decode(new Uint8Array(0))).toEqual([]);
  });

  it("rejects index 0 and indices past the static and dynamic tables", () => {
    expectHpackError(
      hex("80"),
      "compression",
      /index 0 at byte 0: expected 1\.\.61 \(61 static \+ 0 dynamic/,
    );
    expectHpackError(hex("82 be"), "compression", /index 62 at byte 1: expected 1\.\.61/);
    // A literal whose name refers past the tables (incremental indexing, name index 62).
    expectHpackError(hex("7e 01 61"), "compression", /index 62 at byte 0: expected 1\.\.61/);
    // After C.3's first request the dynamic table holds one entry: 62 is valid, 63 is not.
    const decoder = new HpackDecoder();
    decoder.decode(hex(C3_FIRST_REQUEST));
    expect(decoder.decode(hex("be"))).toEqual([AUTHORITY]);
    expectHpackError(
      hex("bf"),
      "compression",
      /index 63 at byte 0: expected 1\.\.62 \(61 static \+ 1 dynamic/,
      decoder,
    );
  });

  it("rejects integers that overflow, have too many continuation bytes or are cut off", () => {
    expectHpackError(hex("ff ff ff ff ff 0f"), "compression", /integer at byte 0 exceeds 2147483647/);
    expectHpackError(hex("ff 80 80 80 80 80 80 00"), "compression", /more than 5 continuation bytes/);
    expectHpackError(
      hex("82 ff 80"),
      "compression",
      /integer at byte 1 is cut off by the end of the 3-byte block/,
    );
    // The largest accepted value still decodes as an integer (here: an index, then rejected as an index).
    expectHpackError(hex("ff 80 ff ff ff 07"), "compression", /index 2147483647 at byte 0/);
  });

  it("rejects strings that run past the block end, and a missing value", () => {
    expectHpackError(
      hex("00 05 61"),
      "compression",
      /name string of 5 bytes at byte 1 runs past .* at most 1 bytes/,
    );
    expectHpackError(
      hex("00 7f ff ff ff 07 61"),
      "compression",
      /name string of \d+ bytes at byte 1 runs past/,
    );
    expectHpackError(
      hex("00 01 61"),
      "compression",
      /header value expected at byte 3, but the 3-byte block ends/,
    );
    expectHpackError(hex("44 85 61"), "compression", /value string of 5 bytes at byte 1 runs past/);
  });

  it("rejects invalid Huffman strings: EOS inside, padding longer than 7 bits, padding not all 1s", () => {
    expectHpackError(hex("00 84 ffffffff"), "compression", /Huffman string contains the EOS symbol/);
    // 'a' is 00011: one byte 0x1f is 'a' + 3 padding bits; another 0xff makes 11 bits of padding.
    expect(new HpackDecoder().decode(hex("00 81 1f 00"))).toEqual([["a", ""]]);
    expectHpackError(hex("00 82 1f ff 00"), "compression", /ends in 11 bits of padding: expected at most 7/);
    expectHpackError(hex("00 81 18 00"), "compression", /ends in 3 bits that are not all 1s/);
  });

  it("rejects a dynamic table size update above our maximum or after a field", () => {
    // 3f e1 1f = 31 + 97 + 31·128 = 4096; 3f e2 1f = 4097.
    expect(new HpackDecoder().decode(hex("20 3f e1 1f 82"))).toEqual([[":method", "GET"]]);
    expectHpackError(
      hex("3f e2 1f"),
      "compression",
      /size update to 4097 bytes .* at most our SETTINGS_HEADER_TABLE_SIZE of 4096/,
    );
    expectHpackError(
      hex("3f e1 1f"),
      "compression",
      /size update to 4096 bytes/,
      new HpackDecoder({ maxTableBytes: 100 }),
    );
    expectHpackError(
      hex("82 20"),
      "compression",
      /size update at byte 1 after 1 header field\(s\): expected it only at the start/,
    );
  });

  it("a size update evicts entries; a later block cannot refer to them", () => {
    const decoder = new HpackDecoder();
    decoder.decode(hex(C3_FIRST_REQUEST));
    expect(decoder.decode(hex("20 3f e1 1f 82"))).toEqual([[":method", "GET"]]);
    expect(decoder.dynamicTableEntries()).toEqual([]);
    expectHpackError(hex("be"), "compression", /index 62 at byte 0: expected 1\.\.61/, decoder);
  });

  it("stops at a header list over maxHeaderListBytes, before decoding the whole block", () => {
    // 10 000 × ":method: GET" (42 bytes each) against a 1000-byte bound: the 24th field crosses it.
    const many = new Uint8Array(10_000).fill(0x82);
    expectHpackError(
      many,
      "header-list-too-large",
      /reaches at least 1008 bytes with field 24 .* at most 1000/,
      new HpackDecoder({ maxHeaderListBytes: 1000 }),
    );
    // A single 2000-byte value is refused before it becomes a string.
    const big = new Uint8Array(4 + 2000).fill(0x61);
    big.set([0x00, 0x01, 0x61, 0x7f]);
    const withLength = new Uint8Array([...big.subarray(0, 4), 0xd1, 0x0e, ...big.subarray(4)]);
    expectHpackError(
      withLength,
      "header-list-too-large",
      /at least 2033 bytes with the field being read/,
      new HpackDecoder({ maxHeaderListBytes: 1000 }),
    );
  });

  it("refuses further blocks after an error (its dynamic table is out of step with the peer's)", () => {
    const decoder = new HpackDecoder();
    expectHpackError(hex("80"), "compression", /index 0/, decoder);
    expectHpackError(
      hex("82"),
      "decoder-failed",
      /after an earlier error: HPACK: header field index 0/,
      decoder,
    );
  });

  it("random blocks give fields or an HpackError, never another exception", () => {
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    let decodedBlocks = 0;
    for (let n = 0; n < 3000; n++) {
      const block = new Uint8Array(1 + Math.floor(random() * 40));
      for (let i = 0; i < block.length; i++) block[i] = Math.floor(random() * 256);
      try {
        new HpackDecoder({ maxTableBytes: 256 }).decode(block);
        decodedBlocks++;
      } catch (error) {
        expect(error).toBeInstanceOf(HpackError);
      }
    }
    // Sanity: the random input reaches both outcomes.
    expect(decodedBlocks).toBeGreaterThan(0);
    expect(decodedBlocks).toBeLessThan(3000);
  });
});
