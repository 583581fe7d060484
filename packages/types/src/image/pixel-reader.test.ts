import { describe, expect, it } from "vitest";
import { ChannelDatatype as CD, ColorModel as CM, PixelFormat as PF } from "./enums.ts";
import { float32ToFloat16 } from "./float16.ts";
import { ImageFormatError } from "./image-format-error.ts";
import { readExactIntegerTexts, readPixelValues } from "./pixel-reader.ts";

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
const u8 = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

describe("readPixelValues: pixel formats", () => {
  it("Y_U_V24: three full planes", () => {
    const bytes = u8([10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]);
    for (const pf of [PF.Y_U_V24_LimitedRange, PF.Y_U_V24_FullRange]) {
      const f = { width: 2, height: 2, pixelFormat: pf };
      expect(readPixelValues(bytes, f, 1, 1)).toEqual([13, 23, 33]);
      expect(readPixelValues(bytes, f, 1, 0)).toEqual([11, 21, 31]);
    }
  });

  it("Y_U_V16: half-width U and V planes", () => {
    // 4×2: Y 0…7, U plane 2×2 = 100…103, V plane 200…203.
    const bytes = u8(range(0, 8), range(100, 4), range(200, 4));
    for (const pf of [PF.Y_U_V16_LimitedRange, PF.Y_U_V16_FullRange]) {
      const f = { width: 4, height: 2, pixelFormat: pf };
      expect(readPixelValues(bytes, f, 0, 0)).toEqual([0, 100, 200]);
      expect(readPixelValues(bytes, f, 2, 0)).toEqual([2, 101, 201]);
      expect(readPixelValues(bytes, f, 3, 1)).toEqual([7, 103, 203]);
      expect(readPixelValues(bytes, f, 0, 1)).toEqual([4, 102, 202]);
    }
  });

  it("Y_U_V12: half-width, half-height U and V planes", () => {
    // 4×4: Y 0…15, U 2×2 = 100…103, V 200…203.
    const bytes = u8(range(0, 16), range(100, 4), range(200, 4));
    for (const pf of [PF.Y_U_V12_LimitedRange, PF.Y_U_V12_FullRange]) {
      const f = { width: 4, height: 4, pixelFormat: pf };
      expect(readPixelValues(bytes, f, 1, 1)).toEqual([5, 100, 200]);
      expect(readPixelValues(bytes, f, 2, 1)).toEqual([6, 101, 201]);
      expect(readPixelValues(bytes, f, 1, 2)).toEqual([9, 102, 202]);
      expect(readPixelValues(bytes, f, 3, 2)).toEqual([11, 103, 203]);
    }
  });

  it("NV12: interleaved UV rows, x rounded down to even", () => {
    // 4×4: Y 0…15, then 2 rows of U V pairs.
    const bytes = u8(range(0, 16), [100, 200, 101, 201], [102, 202, 103, 203]);
    const f = { width: 4, height: 4, pixelFormat: PF.NV12 };
    expect(readPixelValues(bytes, f, 0, 0)).toEqual([0, 100, 200]);
    expect(readPixelValues(bytes, f, 1, 0)).toEqual([1, 100, 200]); // Rerun's CPU helper would say [1, 200, 101]
    expect(readPixelValues(bytes, f, 3, 1)).toEqual([7, 101, 201]);
    expect(readPixelValues(bytes, f, 1, 2)).toEqual([9, 102, 202]);
    expect(readPixelValues(bytes, f, 3, 3)).toEqual([15, 103, 203]);
  });

  it("YUY2: Y0 U Y1 V groups", () => {
    const bytes = u8([10, 100, 11, 200, 12, 101, 13, 201], [20, 102, 21, 202, 22, 103, 23, 203]);
    const f = { width: 4, height: 2, pixelFormat: PF.YUY2 };
    expect(readPixelValues(bytes, f, 0, 0)).toEqual([10, 100, 200]);
    expect(readPixelValues(bytes, f, 1, 0)).toEqual([11, 100, 200]);
    expect(readPixelValues(bytes, f, 2, 0)).toEqual([12, 101, 201]);
    expect(readPixelValues(bytes, f, 3, 1)).toEqual([23, 103, 203]);
  });

  it("Y8: neutral chroma", () => {
    for (const pf of [PF.Y8_FullRange, PF.Y8_LimitedRange]) {
      expect(readPixelValues(u8([5, 6, 7]), { width: 3, height: 1, pixelFormat: pf }, 2, 0)).toEqual([
        7, 128, 128,
      ]);
    }
  });

  it("odd sizes follow Rerun's viewer addressing (missing samples read 0)", () => {
    // NV12 3×3: 9 Y bytes, one UV row of 3 bytes [100, 200, 77] at 9.
    const nv12 = u8(range(0, 9), [100, 200, 77]);
    const f = { width: 3, height: 3, pixelFormat: PF.NV12 };
    expect(readPixelValues(nv12, f, 0, 1)).toEqual([3, 100, 200]);
    // x = 2: UV column 2 → U = 77, V would be column 3, outside the 3-byte row → 0.
    expect(readPixelValues(nv12, f, 2, 0)).toEqual([2, 77, 0]);
    // y = 2: chroma row 1 does not exist (it would start at byte 12, past the buffer) → 0, 0.
    expect(readPixelValues(nv12, f, 2, 2)).toEqual([8, 0, 0]);
    // Y_U_V12 3×3 (k = ⌊3/2⌋ = 1, one chroma row): o(cx, cy) = ⌊cy/2⌋·3 + (cy mod 2)·1 + cx.
    // (0, 0): U at 9 + 0 = 100, V plane at 9 + o(0, 1) = 10 → 200. (2, 2): o(1, 1) = 2 → U at 11 = 77, V at 12 → 0.
    const i420 = u8(range(0, 9), [100], [200], [77]);
    const f420 = { width: 3, height: 3, pixelFormat: PF.Y_U_V12_FullRange };
    expect(readPixelValues(i420, f420, 0, 0)).toEqual([0, 100, 200]);
    expect(readPixelValues(i420, f420, 2, 2)).toEqual([8, 77, 0]);
    // Y_U_V16 3×2 (two chroma rows): V plane at 6 + o(0, 2) = 6 + 3 = 9.
    // (1, 0): U at 6 = 100, V at 9 = 201. (2, 1): o(1, 1) = 0 + 1 + 1 = 2 → U at 8 = 200, V at 11 = 77.
    const i422 = u8(range(0, 6), [100, 101], [200, 201], [77, 77]);
    const f422 = { width: 3, height: 2, pixelFormat: PF.Y_U_V16_LimitedRange };
    expect(readPixelValues(i422, f422, 1, 0)).toEqual([1, 100, 201]);
    expect(readPixelValues(i422, f422, 2, 1)).toEqual([5, 200, 77]);
    // YUY2 3×1: Y0 U0 Y1 V0 Y2 U1 — the last pixel has its own U; its V would be byte 7 of a 6-byte row → 0.
    const yuy2 = u8([10, 100, 11, 200, 12, 101]);
    expect(readPixelValues(yuy2, { width: 3, height: 1, pixelFormat: PF.YUY2 }, 2, 0)).toEqual([12, 101, 0]);
    // 1×1: NV12 has no chroma byte; YUY2 only its U.
    expect(readPixelValues(u8([9]), { width: 1, height: 1, pixelFormat: PF.NV12 }, 0, 0)).toEqual([9, 0, 0]);
    expect(readPixelValues(u8([9, 50]), { width: 1, height: 1, pixelFormat: PF.YUY2 }, 0, 0)).toEqual([
      9, 50, 0,
    ]);
  });

  it("even widths: the V plane starts where the U plane ends (Rerun's shader differs when the chroma row count is odd)", () => {
    // Y_U_V12 4×6: n = 24, U plane 2×3 at 24…29, V plane at 30 (Rerun's shader: 24 + ⌊3/2⌋·4 = 28).
    const bytes = u8(range(0, 24), [1, 2, 3, 4, 5, 6], [11, 12, 13, 14, 15, 16]);
    const f = { width: 4, height: 6, pixelFormat: PF.Y_U_V12_FullRange };
    expect(readPixelValues(bytes, f, 3, 5)).toEqual([23, 6, 16]);
    expect(readPixelValues(bytes, f, 0, 0)).toEqual([0, 1, 11]);
  });
});

describe("readPixelValues: colour models", () => {
  it("U8 RGB and BGR in stored order", () => {
    const bytes = u8([1, 2, 3], [4, 5, 6]);
    expect(readPixelValues(bytes, { width: 2, height: 1, colorModel: CM.RGB }, 1, 0)).toEqual([4, 5, 6]);
    expect(readPixelValues(bytes, { width: 1, height: 2, colorModel: CM.BGR }, 0, 1)).toEqual([4, 5, 6]);
  });

  it("U16 little-endian", () => {
    // Pixel 1 = (65535, 256, 0).
    const bytes = u8([1, 0, 2, 0, 3, 0], [0xff, 0xff, 0x00, 0x01, 0x00, 0x00]);
    const f = { width: 2, height: 1, colorModel: CM.RGB, channelDatatype: CD.U16 };
    expect(readPixelValues(bytes, f, 0, 0)).toEqual([1, 2, 3]);
    expect(readPixelValues(bytes, f, 1, 0)).toEqual([65535, 256, 0]);
  });

  it("signed, 64-bit, F16, F32, F64 and an unaligned buffer", () => {
    const i16 = new Uint8Array(new Int16Array([-2, 300]).buffer);
    expect(readPixelValues(i16, { width: 2, height: 1, channelDatatype: CD.I16 }, 0, 0)).toEqual([-2]);
    const i64 = new Uint8Array(new BigInt64Array([-5n, 2n ** 40n]).buffer);
    expect(readPixelValues(i64, { width: 1, height: 2, channelDatatype: CD.I64 }, 0, 1)).toEqual([2 ** 40]);
    expect(readPixelValues(i64, { width: 1, height: 2, channelDatatype: CD.I64 }, 0, 0)).toEqual([-5]);
    const u64 = new Uint8Array(new BigUint64Array([2n ** 63n]).buffer);
    expect(readPixelValues(u64, { width: 1, height: 1, channelDatatype: CD.U64 }, 0, 0)).toEqual([2 ** 63]);
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7c00]).buffer);
    expect(
      readPixelValues(f16, { width: 1, height: 1, colorModel: CM.RGBA, channelDatatype: CD.F16 }, 0, 0),
    ).toEqual([1, -2, 0.5, Infinity]);
    expect(float32ToFloat16(0.5)).toBe(0x3800);
    const f32 = new Uint8Array(new Float32Array([0.25, -1.5]).buffer);
    expect(readPixelValues(f32, { width: 2, height: 1, channelDatatype: CD.F32 }, 1, 0)).toEqual([-1.5]);
    const f64 = new Uint8Array(new Float64Array([Math.PI]).buffer);
    expect(readPixelValues(f64, { width: 1, height: 1, channelDatatype: CD.F64 }, 0, 0)).toEqual([Math.PI]);
    // Unaligned: a U32 image starting at byte offset 1 of its buffer.
    const backing = new Uint8Array(9);
    const unaligned = backing.subarray(1);
    unaligned.set([0x78, 0x56, 0x34, 0x12, 1, 0, 0, 0]);
    expect(readPixelValues(unaligned, { width: 2, height: 1, channelDatatype: CD.U32 }, 0, 0)).toEqual([
      0x12345678,
    ]);
  });

  it("rejects coordinates outside the image and wrong buffer sizes", () => {
    const f = { width: 2, height: 2 };
    for (const [x, y] of [
      [2, 0],
      [0, 2],
      [-1, 0],
      [0.5, 0],
    ] as const) {
      try {
        readPixelValues(new Uint8Array(4), f, x, y);
        expect.unreachable();
      } catch (e) {
        expect((e as ImageFormatError).kind).toBe("out-of-bounds");
        expect((e as ImageFormatError).message).toContain("0…1");
      }
    }
    expect(() => readPixelValues(new Uint8Array(3), f, 0, 0)).toThrow("expected 4");
  });
});

describe("readExactIntegerTexts", () => {
  it("gives U64/I64 values exactly (a Number rounds 2^64 − 1 to 18446744073709552000)", () => {
    const u64 = new Uint8Array(new BigUint64Array([2n ** 64n - 1n, 2n ** 53n + 1n]).buffer);
    expect(readExactIntegerTexts(u64, { width: 2, height: 1, channelDatatype: CD.U64 }, 0, 0)).toEqual([
      "18446744073709551615",
    ]);
    expect(readExactIntegerTexts(u64, { width: 2, height: 1, channelDatatype: CD.U64 }, 1, 0)).toEqual([
      "9007199254740993",
    ]);
    const i64 = new Uint8Array(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 5n]).buffer);
    expect(
      readExactIntegerTexts(i64, { width: 1, height: 1, colorModel: CM.RGB, channelDatatype: CD.I64 }, 0, 0),
    ).toEqual(["-9223372036854775808", "9223372036854775807", "5"]);
    expect(readExactIntegerTexts(u8([1, 2]), { width: 2, height: 1 }, 0, 0)).toBeUndefined();
  });
});
