// The Huffman code table (RFC 7541 Appendix B) is a complete prefix code with the RFC's lengths, and the
// table-driven decoder inverts a plain bit-by-bit encoder written here from the same table.
import { describe, expect, it } from "vitest";
import { HpackError } from "./hpack-error.ts";
import { HUFFMAN_CODE_TABLE, HUFFMAN_EOS, HUFFMAN_SYMBOL_COUNT } from "./huffman-code.ts";
import { huffmanDecode, huffmanDecodedLengthBound } from "./huffman-decode.ts";

function code(symbol: number): { bits: number; length: number } {
  return { bits: HUFFMAN_CODE_TABLE[2 * symbol] ?? -1, length: HUFFMAN_CODE_TABLE[2 * symbol + 1] ?? -1 };
}

function bitString(symbol: number): string {
  const { bits, length } = code(symbol);
  return bits.toString(2).padStart(length, "0");
}

/** Bit-by-bit encoder with EOS-prefix padding, as RFC 7541 §5.2 describes. */
function huffmanEncode(bytes: Uint8Array): Uint8Array {
  let bits = "";
  for (const byte of bytes) bits += bitString(byte);
  bits += "1".repeat((8 - (bits.length % 8)) % 8);
  const out = new Uint8Array(bits.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(bits.slice(8 * i, 8 * i + 8), 2);
  return out;
}

function decode(encoded: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanDecodedLengthBound(encoded.length));
  return out.slice(0, huffmanDecode(encoded, 0, encoded.length, out));
}

describe("HPACK Huffman code table", () => {
  it("has 257 codes, each fitting its length, lengths 5..30", () => {
    expect(HUFFMAN_CODE_TABLE.length).toBe(2 * HUFFMAN_SYMBOL_COUNT);
    for (let s = 0; s < HUFFMAN_SYMBOL_COUNT; s++) {
      const { bits, length } = code(s);
      expect(length).toBeGreaterThanOrEqual(5);
      expect(length).toBeLessThanOrEqual(30);
      expect(bits).toBeGreaterThanOrEqual(0);
      expect(bits).toBeLessThan(2 ** length);
    }
  });

  it("has the RFC's number of codes of each length", () => {
    const counts = new Map<number, number>();
    for (let s = 0; s < HUFFMAN_SYMBOL_COUNT; s++)
      counts.set(code(s).length, (counts.get(code(s).length) ?? 0) + 1);
    // Counted from RFC 7541 Appendix B's "len" column.
    expect(Object.fromEntries([...counts].sort((a, b) => a[0] - b[0]))).toEqual({
      5: 10,
      6: 26,
      7: 32,
      8: 6,
      10: 5,
      11: 3,
      12: 2,
      13: 6,
      14: 2,
      15: 3,
      19: 3,
      20: 8,
      21: 13,
      22: 26,
      23: 29,
      24: 12,
      25: 4,
      26: 15,
      27: 19,
      28: 29,
      30: 4,
    });
  });

  it("has the RFC's codes for sampled symbols", () => {
    // From RFC 7541 Appendix B: symbol, code as bits.
    const samples: [number, string][] = [
      [0, "1111111111000"],
      [10, "111111111111111111111111111100"],
      [32, "010100"],
      [48, "00000"],
      [58, "1011100"],
      [65, "100001"],
      [97, "00011"],
      [122, "1111011"],
      [127, "1111111111111111111111111100"],
      [128, "11111111111111100110"],
      [255, "11111111111111111111101110"],
      [HUFFMAN_EOS, "111111111111111111111111111111"],
    ];
    for (const [symbol, bits] of samples) expect([symbol, bitString(symbol)]).toEqual([symbol, bits]);
  });

  it("is prefix-free", () => {
    const strings = Array.from({ length: HUFFMAN_SYMBOL_COUNT }, (_, s) => bitString(s));
    for (let a = 0; a < strings.length; a++) {
      for (let b = 0; b < strings.length; b++) {
        if (a !== b && (strings[b] ?? "").startsWith(strings[a] ?? ""))
          throw new Error(`code ${a} prefixes ${b}`);
      }
    }
  });

  it("is complete: the Kraft sum over the 257 codes is exactly 1", () => {
    let sum = 0n;
    for (let s = 0; s < HUFFMAN_SYMBOL_COUNT; s++) sum += 1n << BigInt(30 - code(s).length);
    expect(sum).toBe(1n << 30n);
  });

  it("is canonical: codes of one length are consecutive in symbol order, continuing from shorter ones", () => {
    const order = Array.from({ length: HUFFMAN_SYMBOL_COUNT }, (_, s) => s).sort(
      (a, b) => code(a).length - code(b).length || a - b,
    );
    let next = 0;
    let previousLength = code(order[0] ?? 0).length;
    for (const s of order) {
      next *= 2 ** (code(s).length - previousLength);
      previousLength = code(s).length;
      expect([s, code(s).bits]).toEqual([s, next]);
      next++;
    }
  });
});

describe("huffmanDecode", () => {
  it("decodes every byte value 0..255, alone and all in one string", () => {
    for (let byte = 0; byte < 256; byte++)
      expect(decode(huffmanEncode(new Uint8Array([byte])))).toEqual(new Uint8Array([byte]));
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decode(huffmanEncode(all))).toEqual(all);
  });

  it("decodes random strings of random lengths", () => {
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let n = 0; n < 300; n++) {
      // Mostly visible ASCII (short codes, two symbols per byte), sometimes any byte (long codes).
      const wide = random() < 0.3;
      const input = Uint8Array.from({ length: Math.floor(random() * 64) }, () =>
        wide ? Math.floor(random() * 256) : 0x20 + Math.floor(random() * 95),
      );
      expect(decode(huffmanEncode(input))).toEqual(input);
    }
  });

  it("decodes a string inside a larger buffer, reading only [start, end)", () => {
    const encoded = huffmanEncode(new TextEncoder().encode("www.example.com"));
    const framed = new Uint8Array([0x00, ...encoded, 0x00]);
    const out = new Uint8Array(huffmanDecodedLengthBound(encoded.length));
    const n = huffmanDecode(framed, 1, 1 + encoded.length, out);
    expect(new TextDecoder().decode(out.subarray(0, n))).toBe("www.example.com");
  });

  it("rejects EOS inside the string, padding over 7 bits, padding that is not all 1s", () => {
    const eos = parseInt(bitString(HUFFMAN_EOS) + "11", 2);
    const cases: [Uint8Array, RegExp][] = [
      [
        new Uint8Array([(eos >>> 24) & 0xff, (eos >>> 16) & 0xff, (eos >>> 8) & 0xff, eos & 0xff]),
        /EOS symbol/,
      ],
      [new Uint8Array([0xff]), /ends in 8 bits of padding/],
      [new Uint8Array([0x1f, 0xff]), /ends in 11 bits of padding/],
      [new Uint8Array([0x1e]), /ends in 3 bits that are not all 1s/], // 'a' then 110
      [new Uint8Array([0x00]), /ends in 3 bits that are not all 1s/], // '0' then 000
    ];
    for (const [encoded, message] of cases) {
      expect(() => decode(encoded)).toThrow(HpackError);
      expect(() => decode(encoded)).toThrow(message);
    }
    expect(decode(new Uint8Array([0x1f]))).toEqual(new TextEncoder().encode("a"));
    expect(decode(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });
});
